/**
 * UI figures for `npm run bench`: the real Ink app rendering into a fake terminal of the given
 * size (interactive mode, incremental rendering, as in a real TTY), keys written to a fake stdin.
 * Latency = from the moment the key was due (its timer) to Ink writing the next frame, so a key
 * that waits for a busy event loop counts the wait. While the keys are pressed the cluster keeps
 * changing: the simulated cluster's watch events, and a metrics poll every `changeEveryMs`.
 * Before that, a quiet run of sort changes gives the heap bytes allocated per frame.
 */
import {EventEmitter} from 'node:events';
import {monitorEventLoopDelay} from 'node:perf_hooks';
import type {Store} from '../store/store.js';
import {allocated} from './alloc.js';

class FakeStdout extends EventEmitter {
	isTTY = true;
	writes = 0;
	bytes = 0;
	lastWriteAt = 0;
	private waiters: Array<() => void> = [];
	constructor(
		readonly columns: number,
		readonly rows: number,
	) {
		super();
	}

	write = (chunk: string | Uint8Array, cb?: unknown): boolean => {
		this.writes++;
		this.bytes += chunk.length;
		this.lastWriteAt = performance.now();
		const w = this.waiters;
		this.waiters = [];
		for (const f of w) f();
		if (typeof cb === 'function') (cb as () => void)();
		return true;
	};

	/** resolves at the next write */
	next(): Promise<number> {
		return new Promise(resolve => this.waiters.push(() => resolve(performance.now())));
	}
}

class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write(data: string): void {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	}

	read = (): string | null => {
		const d = this.data;
		this.data = null;
		return d;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}

interface UiBench {
	firstFrameMs: number;
	sortFrameMs: number;
	keypress: {sortP50: number; sortP99: number; filterP50: number; filterP99: number; drillP50: number; drillP99: number; samples: number};
	/** every measurement (ms), in the order taken */
	raw: {sort: number[]; filter: number[]; drill: number[]};
	/** heap bytes allocated per frame (sort changes, nothing else changing), collections per frame */
	frameAlloc: {bytes: number; frames: number; gcsPerFrame: number; markCompacts: number};
	/** event-loop delay while the keys were pressed and the cluster changed (ms) */
	loop: {max: number; p99: number};
	/** metrics polls during the presses */
	changes: number;
}

function quantile(xs: number[], q: number): number {
	if (xs.length === 0) return Number.NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)]!;
}

const pause = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export async function benchUi(store: Store, opts: {width: number; height: number; samples?: number; change?: () => Promise<void>; changeEveryMs?: number}): Promise<UiBench> {
	const samples = opts.samples ?? 30;
	// as runTui: React's production build unless told otherwise (loaded only after this)
	process.env['NODE_ENV'] ??= 'production';
	const [{render}, {createElement}, {App}, {FrameWriter}] = await Promise.all([import('ink'), import('react'), import('../ui/app.js'), import('../ui/frame-writer.js')]);
	// as runTui: memtop writes the frames (into `stdout`), Ink prints into a sink
	const stdout = new FakeStdout(opts.width, opts.height);
	const writer = new FrameWriter(stdout);
	const inkOut = new FakeStdout(opts.width, opts.height);
	const stdin = new FakeStdin();
	store.flush();
	const firstWrite = stdout.next();
	const t0 = performance.now();
	const instance = render(createElement(App, {store, actions: {setSelector: async () => {}}, width: opts.width, height: opts.height, colorMode: 'basic', tickMs: 0, sink: writer}), {
		stdout: inkOut as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		interactive: true,
		incrementalRendering: true,
		exitOnCtrlC: false,
		patchConsole: false,
		maxFps: 1000,
	});
	const firstFrameMs = (await firstWrite) - t0;
	// A person looks at the first frame before pressing a key: the app prepares sort columns and
	// forecasts in idle steps meanwhile. Give it that time.
	await pause(Math.min(5000, 1000 + store.pods.size / 100));

	/** time from when a key was due to the frame it causes (keys are spaced so no frame is throttled) */
	const press = async (key: string): Promise<number> => {
		const due = performance.now() + 5;
		await pause(5);
		const frame = stdout.next();
		stdin.write(key);
		const end = await Promise.race([frame, pause(2000).then(() => Number.NaN)]);
		return end - due;
	};

	const sortKeys = ['z', 'x', 'u', 'l', 't', 'a', 's', 'm', 'r'];
	// heap bytes per frame: sort changes with nothing else going on (collections accounted)
	const framesBefore = writer.frames;
	const alloc = await allocated(async () => {
		for (let i = 0; i < 18; i++) await press(sortKeys[i % sortKeys.length]!);
	});
	const frames = writer.frames - framesBefore;
	await press('m');

	// from here on the cluster changes while keys are pressed
	let changes = 0;
	let inFlight = false;
	const changer = opts.change
		? setInterval(() => {
				if (inFlight) return;
				inFlight = true;
				changes++;
				void opts.change!().finally(() => (inFlight = false));
			}, opts.changeEveryMs ?? 2000)
		: null;
	const loop = monitorEventLoopDelay({resolution: 5});
	loop.enable();
	const sort: number[] = [];
	for (let i = 0; i < samples; i++) sort.push(await press(sortKeys[i % sortKeys.length]!));
	const filter: number[] = [];
	await press('m');
	const word = 'pod-1';
	for (let i = 0; filter.length < samples; i++) {
		await press('/');
		for (const ch of word) {
			if (filter.length >= samples) break;
			filter.push(await press(ch));
		}

		stdin.write('\u001b'); // Esc clears the filter (Ink flushes a lone Esc after a short wait)
		await pause(120);
	}

	const drill: number[] = [];
	for (let i = 0; i < samples; i++) {
		drill.push(await press('\r'));
		stdin.write('\u001b');
		await pause(120);
		await press('j');
	}

	loop.disable();
	if (changer) clearInterval(changer);
	while (inFlight) await pause(50);
	instance.unmount();
	instance.cleanup();
	const ok = (xs: number[]) => xs.filter(x => Number.isFinite(x));
	return {
		firstFrameMs,
		sortFrameMs: quantile(ok(sort), 0.5),
		keypress: {
			sortP50: quantile(ok(sort), 0.5),
			sortP99: quantile(ok(sort), 0.99),
			filterP50: quantile(ok(filter), 0.5),
			filterP99: quantile(ok(filter), 0.99),
			drillP50: quantile(ok(drill), 0.5),
			drillP99: quantile(ok(drill), 0.99),
			samples,
		},
		raw: {sort, filter, drill},
		frameAlloc: {bytes: frames > 0 ? alloc.bytes / frames : Number.NaN, frames, gcsPerFrame: frames > 0 ? alloc.gcs / frames : Number.NaN, markCompacts: alloc.markCompacts},
		loop: {max: loop.max / 1e6, p99: loop.percentile(99) / 1e6},
		changes,
	};
}
