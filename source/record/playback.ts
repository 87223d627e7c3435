/**
 * Playing a recording in real time for the replay view: the recorded clock moves `speed` times
 * as fast as the wall clock (×1, ×10, ×60) unless paused; keys step to the next metrics window
 * and jump by minutes. The label is the header's: REPLAY, the recorded time, the speed or state.
 */
import type {Player} from './player.js';

const speeds = [1, 10, 60];
const tickMs = 100;

function local(t: number): string {
	const d = new Date(t);
	const p = (n: number) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

export class Playback {
	speed = 1;
	paused = false;
	private timer: NodeJS.Timeout | null = null;
	private last = performance.now();
	private readonly listeners = new Set<() => void>();

	constructor(readonly player: Player) {}

	start(): void {
		this.last = performance.now();
		this.timer ??= setInterval(() => this.tick(), tickMs);
	}

	stop(): void {
		if (this.timer) clearInterval(this.timer);
		this.timer = null;
	}

	subscribe(fn: () => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	label(): string {
		const p = this.player;
		const state = p.ended && p.time >= p.end ? 'end' : this.paused ? 'paused' : `×${this.speed}`;
		return `REPLAY ${local(p.time)} ${state}`;
	}

	/** a replay key (keys/replay.ts) */
	key(what: string): void {
		const p = this.player;
		const i = speeds.indexOf(this.speed);
		if (what === 'pause') this.paused = !this.paused;
		else if (what === 'faster') this.speed = speeds[Math.min(speeds.length - 1, i + 1)]!;
		else if (what === 'slower') this.speed = speeds[Math.max(0, i - 1)]!;
		else if (what === 'step') {
			this.paused = true;
			p.stepWindow();
		} else {
			const jumps: Record<string, number> = {forward: 60_000, back: -60_000, forward10: 600_000, back10: -600_000};
			const to = what === 'start' ? p.first : what === 'end' ? p.end : jumps[what] === undefined ? null : p.time + jumps[what]!;
			if (to !== null) p.seek(Math.max(p.first, Math.min(p.end, to)));
		}

		this.last = performance.now();
		this.tell();
	}

	private tick(): void {
		const now = performance.now();
		const elapsed = now - this.last;
		this.last = now;
		const p = this.player;
		if (this.paused || p.time >= p.end) return;
		const before = p.time;
		p.seek(Math.min(p.end, p.time + elapsed * this.speed));
		if (p.time !== before) this.tell();
	}

	private tell(): void {
		for (const l of this.listeners) l();
	}
}
