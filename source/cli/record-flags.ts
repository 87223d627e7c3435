/**
 * The flags of recording, replay and streams (--watch, --record, record, replay, --at, --from,
 * --duration, --rotate), checked apart from the rest: flags.ts hands them over here.
 */
import {MemtopError} from '../kube/errors.js';
import {durationFlag} from './flags.js';

export interface RecordFlags {
	watch?: boolean;
	record?: string;
	at?: string;
	from?: string;
	duration?: string;
	rotate?: string;
	output?: string;
	once?: boolean;
}

export interface RecordOptions {
	/** --watch: a stream for a pipe */
	watch: boolean;
	/** --record FILE, or `record -o FILE` */
	recordFile?: string;
	/** `memtop record`: record with no view */
	recordOnly: boolean;
	/** `replay FILE`, or `recommend --from FILE` */
	replayFile?: string;
	/** --at: a time of day (HH:MM[:SS], in the recording's days, local time), or an ISO time */
	at?: string;
	/** `record --duration`: stop after this long */
	durationMs?: number;
	/** `record --rotate`: a new file this often */
	rotateMs?: number;
}

/**
 * `words` are the command words (`record`, `replay FILE [view]`); returns the options and the
 * words that are left for the view. `output` is the file for `record -o FILE`.
 */
export function resolveRecordFlags(words: string[], f: RecordFlags): {options: RecordOptions; words: string[]; outputIsFile: boolean} {
	const options: RecordOptions = {watch: Boolean(f.watch), recordOnly: words[0] === 'record'};
	let rest = words;
	let outputIsFile = false;
	if (words[0] === 'record') {
		if (!f.output) throw new MemtopError('memtop record needs -o FILE (where to write the recording)', 2);
		if (f.record) throw new MemtopError('memtop record writes to -o FILE; --record is for the live view', 2);
		options.recordFile = f.output;
		outputIsFile = true;
		rest = words.slice(1);
		if (rest.length > 0) throw new MemtopError(`memtop record takes no view (it records everything): ${rest.join(' ')}`, 2);
	} else if (words[0] === 'replay') {
		if (words[1] === undefined) throw new MemtopError('memtop replay needs a FILE (a recording made by memtop record or --record)', 2);
		options.replayFile = words[1];
		rest = words.slice(2);
	}

	if (f.record !== undefined) {
		if (f.record.trim() === '') throw new MemtopError('--record needs a FILE', 2);
		if (options.replayFile) throw new MemtopError('--record goes with a live cluster, not with replay', 2);
		options.recordFile = f.record;
	}

	if (f.from !== undefined) {
		if (rest[0] !== 'recommend' && rest[0] !== 'rec') throw new MemtopError('--from FILE goes with recommend (memtop recommend --from FILE)', 2);
		options.replayFile = f.from;
	}

	if (f.at !== undefined) {
		if (!options.replayFile || words[0] !== 'replay') throw new MemtopError('--at goes with memtop replay FILE', 2);
		options.at = f.at;
	}

	if (f.duration !== undefined) {
		if (words[0] !== 'record') throw new MemtopError('--duration goes with memtop record', 2);
		options.durationMs = durationFlag(f.duration, 'duration');
		if (options.durationMs < 1000) throw new MemtopError('--duration must be at least 1s', 2);
	}

	if (f.rotate !== undefined) {
		if (words[0] !== 'record') throw new MemtopError('--rotate goes with memtop record', 2);
		options.rotateMs = durationFlag(f.rotate, 'rotate');
		if (options.rotateMs < 10_000) throw new MemtopError('--rotate must be at least 10s', 2);
	}

	if (options.watch && f.once) throw new MemtopError('--watch and --once exclude each other', 2);
	if (options.watch && words[0] === 'record') throw new MemtopError('memtop record writes a file; use --watch on a view', 2);
	return {options, words: rest, outputIsFile};
}

/**
 * `--at` against a recording from `first` to `last`: an ISO time, or a time of day (local time)
 * taken on the recording's first day, or the next day when that is before the recording starts.
 */
export function atTime(at: string, first: number, last: number): number {
	const s = at.trim();
	const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(s);
	if (m) {
		const d = new Date(first);
		d.setHours(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number((m[4] ?? '0').padEnd(3, '0')));
		let t = d.getTime();
		if (Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) throw new MemtopError(`--at: "${at}" is not a time (use HH:MM, HH:MM:SS or an ISO time)`, 2);
		// a time of day before the recording starts is the next day's (a minute's slack for the start)
		if (t + 60_000 < first && t + 86_400_000 <= last + 60_000) t += 86_400_000;
		return t;
	}

	const t = Date.parse(s);
	if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(t)) throw new MemtopError(`--at: "${at}" is not a time (use HH:MM, HH:MM:SS or an ISO time)`, 2);
	return t;
}
