/**
 * The live view's frames written to the terminal by memtop itself, not through Ink's output.
 *
 * Ink turns every frame into a grid of one object per cell and tokenizes every character again,
 * about 18 MB of garbage for a 200×50 frame; at 150,000 pods V8's old space is large and that
 * garbage brings mark-compacts into key presses. The screens build exact lines already
 * (screen/: at most `width` cells each), so here a frame is those lines as strings (view.tsx
 * lineRuns: the same text and SGR codes Ink would print), compared with the previous frame's,
 * and only the lines that changed are rewritten, inside a synchronized-output bracket. Ink keeps
 * the keyboard, the React tree and the resize events; it prints into a sink (inkSink).
 *
 * Autowrap is off while the view is up, so a line the terminal counts wider than memtop did is
 * cut at the right edge instead of wrapping into the next line.
 */
import {EventEmitter} from 'node:events';
import type {Line} from './screen/common.js';
import {lineRuns} from './view.js';

export interface FrameSink {
	draw(lines: Line[], width: number, height: number): void;
}

/** enter: alternate screen, cursor hidden, autowrap off, screen cleared */
export const enterSequence = '\u001b[?1049h\u001b[?25l\u001b[?7l\u001b[2J';
/** what enterSequence changed, given back (the caller adds the main screen and cursor) */
export const leaveSequence = '\u001b[?7h';

export class FrameWriter implements FrameSink {
	private shown: string[] = [];
	private size = '';
	/** frames written (the bench counts them) */
	frames = 0;

	constructor(private readonly out: {write(s: string): unknown}) {}

	private last: {lines: Line[]; width: number; height: number} | null = null;

	draw(lines: Line[], width: number, height: number): void {
		this.last = {lines, width, height};
		const size = `${width}x${height}`;
		let buf = '';
		if (size !== this.size) {
			// a new size: everything is drawn again on a cleared screen
			this.size = size;
			this.shown = [];
			buf += '\u001b[2J';
		}

		const next: string[] = [];
		for (let i = 0; i < height; i++) {
			const line = lines[i];
			const text = line ? lineRuns(line).join('') : '';
			next.push(text);
			if (this.shown[i] === text) continue;
			// erase first, then print: erasing after would take the last column with it
			buf += `\u001b[${i + 1};1H\u001b[2K${text}\u001b[0m`;
		}

		this.shown = next;
		if (buf === '') return;
		this.frames++;
		this.out.write(`\u001b[?2026h${buf}\u001b[?2026l`);
	}

	/** draw the last frame again, whole (something else wrote to the screen meanwhile) */
	redraw(): void {
		this.size = '';
		if (this.last) this.draw(this.last.lines, this.last.width, this.last.height);
	}
}

/**
 * A stand-in stdout for Ink: it has the terminal's size and resize events, and swallows what Ink
 * would print (its frame is empty when memtop writes its own).
 */
export function inkSink(real: NodeJS.WriteStream): NodeJS.WriteStream {
	const sink = new EventEmitter() as EventEmitter & {isTTY: boolean; writable: boolean; destroyed: boolean; writableEnded: boolean; write: (chunk: unknown, cb?: unknown) => boolean};
	sink.isTTY = true;
	sink.writable = true;
	sink.destroyed = false;
	sink.writableEnded = false;
	Object.defineProperty(sink, 'columns', {get: () => real.columns});
	Object.defineProperty(sink, 'rows', {get: () => real.rows});
	sink.write = (_chunk, cb) => {
		if (typeof cb === 'function') (cb as () => void)();
		return true;
	};

	real.on('resize', () => sink.emit('resize'));
	return sink as unknown as NodeJS.WriteStream;
}
