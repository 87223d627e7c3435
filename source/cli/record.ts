/**
 * Recording from the command line: `--record FILE` next to the live view or a stream, and
 * `memtop record -o FILE [--duration D]` with no view at all (a tmux pane, a systemd unit).
 */
import {MemtopError} from '../kube/errors.js';
import {packageJson} from '../package/metadata.js';
import {keyframe} from '../record/keyframe.js';
import {RecordingWriter} from '../record/writer.js';
import type {Store} from '../store/store.js';
import type {Options} from './flags.js';

export interface Recorder {
	/** the part being written */
	writer: RecordingWriter;
	/** rejects when recording stops on an error (the disk is full, ...) */
	failed: Promise<never>;
	close(): void;
}

/** start recording every input of `store` into options.recordFile; throws a MemtopError when the file cannot be made */
export function startRecorder(store: Store, options: Options, historySamples: number, onError: (message: string) => void): Recorder {
	let reject!: (e: Error) => void;
	const failed = new Promise<never>((_, r) => (reject = r));
	failed.catch(() => {});
	const open = (file: string, part: number) =>
		new RecordingWriter(
			file,
			{
				memtopVersion: packageJson.version,
				historySamples,
				metricsIntervalMs: options.metricsIntervalMs,
				onError(message) {
					onError(message);
					reject(new MemtopError(message, 1));
				},
			},
			store.now(),
			part,
		);
	const recorder: Recorder = {writer: open(options.recordFile!, 1), failed, close: () => recorder.writer.close()};
	recorder.writer.attach(store);
	if (options.rotateMs !== undefined) {
		// FILE, then FILE.2, FILE.3, ...: each begins with the store as it is then (record/keyframe.ts)
		let part = 1;
		const timer = setInterval(() => {
			if (recorder.writer.failed) return;
			recorder.writer.close();
			part++;
			try {
				recorder.writer = open(`${options.recordFile!}.${part}`, part);
			} catch (error) {
				clearInterval(timer);
				const message = error instanceof Error ? error.message : String(error);
				onError(message);
				reject(new MemtopError(message, 1));
				return;
			}

			for (const input of keyframe(store, store.now())) recorder.writer.add(input);
			recorder.writer.attach(store);
		}, options.rotateMs);
		timer.unref();
		const close = recorder.close;
		recorder.close = () => {
			clearInterval(timer);
			close();
		};
	}

	return recorder;
}

/** `memtop record`: until --duration has passed, a signal, or a failed write */
export async function runRecord(recorder: Recorder, options: Options): Promise<number> {
	let done!: () => void;
	const stopped = new Promise<void>(resolve => (done = resolve));
	const timer = options.durationMs === undefined ? null : setTimeout(done, options.durationMs);
	const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	for (const s of signals) process.once(s, done);
	process.stderr.write(`memtop: recording to ${options.recordFile}${options.durationMs === undefined ? ' until stopped (Ctrl-C)' : ''}\n`);
	try {
		await Promise.race([stopped, recorder.failed]);
	} finally {
		if (timer) clearTimeout(timer);
		for (const s of signals) process.off(s, done);
		recorder.close();
	}

	const w = recorder.writer;
	if (w.failed) throw new MemtopError(w.failed, 1);
	process.stderr.write(`memtop: recorded ${w.inputs} inputs in ${w.chunks} chunks, ${w.bytes} bytes, to ${w.file}\n`);
	return 0;
}

/** a stream (--watch) until a signal, or a failed write when recording alongside */
export async function runUntilSignal(failed: Promise<never> | null): Promise<number> {
	let done!: () => void;
	const stopped = new Promise<void>(resolve => (done = resolve));
	const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
	for (const s of signals) process.once(s, done);
	try {
		await Promise.race(failed ? [stopped, failed] : [stopped]);
	} finally {
		for (const s of signals) process.off(s, done);
	}

	return 0;
}
