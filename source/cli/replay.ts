/**
 * `memtop replay FILE`: the live view on a recording; `--at T --once` the snapshot at T;
 * `memtop recommend --from FILE` right-sizing from the whole recording. The recording's inputs
 * go into a Store as they went live (record/player.ts), and everything after reads that store.
 */
import {MemtopError} from '../kube/errors.js';
import {shownLine} from '../kube/sanitize.js';
import {Player} from '../record/player.js';
import {RecordingFile} from '../record/reader.js';
import type {Options} from './flags.js';
import {atTime} from './record-flags.js';

const iso = (t: number): string => new Date(t).toISOString();

export async function runReplay(options: Options): Promise<number> {
	const rec = new RecordingFile(options.replayFile!);
	try {
		return await replay(rec, options);
	} finally {
		rec.close();
	}
}

async function replay(rec: RecordingFile, options: Options): Promise<number> {
	if (options.watch) throw new MemtopError('--watch streams a live cluster; replay a recording with --at T --once, or in the live view', 2);
	const whole = options.command === 'recommend';
	const spanSamples = rec.chunks.length === 0 ? 0 : Math.ceil(((rec.lastTime ?? 0) - rec.header.started) / rec.header.metricsIntervalMs) + 8;
	const player = new Player(rec, {notifyIntervalMs: options.once || whole ? 0 : 500, historySamples: whole ? Math.min(40_320, Math.max(rec.header.historySamples, spanSamples)) : undefined});
	if (rec.chunks.length === 0) {
		throw new MemtopError(`${rec.file}: the recording holds no data${rec.cut ? ` (${rec.cut})` : ''}`, 1);
	}

	const say = (line: string) => process.stderr.write(`memtop: ${shownLine(line)}\n`);
	const cutNote = () => {
		if (rec.cut) say(`${rec.file}: ${rec.cut}`);
	};

	cutNote();
	const first = player.first;
	const last = player.end;
	let at = last;
	if (options.at !== undefined) {
		at = atTime(options.at, first, last);
		if (at < first || at > last + 60_000) throw new MemtopError(`--at ${options.at}: the recording runs from ${iso(first)} to ${iso(last)}`, 2);
	}

	if (whole) {
		if (options.windowMs > 0) throw new MemtopError('--window reads Prometheus; with --from FILE the recording is the history', 2);
		player.seek(Number.POSITIVE_INFINITY);
		const {runRecommend} = await import('./recommend.js');
		return runRecommend(player.store, null, {...options, observeMs: Math.max(0, player.time - first)});
	}

	if (options.once) {
		player.seek(at);
		const before = rec.cut;
		const {runOnce} = await import('./once-print.js');
		const code = await runOnce(player.store, options.command === 'recommend' ? 'pods' : options.command, options, at);
		if (rec.cut !== before) cutNote();
		return code;
	}

	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw new MemtopError('the replay view needs a terminal; use --at T --once -o table|json for scripts', 2);
	}

	const {runReplayTui} = await import('../ui/replay.js');
	await runReplayTui(player, options.at === undefined ? first : at, options.command === 'recommend' ? 'pods' : options.command);
	return 0;
}
