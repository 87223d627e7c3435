/**
 * Splits a Kubernetes list answer (`{"kind":..., "metadata":{...}, "items":[{...}, ...]}`) into
 * its items while the bytes arrive, so a 50 MB PodMetricsList is never one string nor one
 * JSON.parse that holds the event loop for seconds: each item is parsed on its own as soon as its
 * closing brace arrives, and everything outside `items` is kept and parsed at the end (the
 * envelope: metadata.continue, resourceVersion). A watch stream is split the same way, into lines.
 */
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;

export class ItemSplitter {
	private depth = 0;
	private inString = false;
	private escaped = false;
	/** text of the string being read at depth 1 (candidate key) */
	private key = '';
	private lastKey = '';
	/** 0: outside items; 1: saw "items" key, waiting ':'; 2: waiting '['; 3: inside the array */
	private phase = 0;
	private envelope = '';
	private item = '';
	private itemStart = -1;
	count = 0;

	constructor(private readonly onItem: (item: any) => void) {}

	push(chunk: string): void {
		let envStart = this.phase === 3 ? -1 : 0;
		this.itemStart = this.phase === 3 && this.depth > 1 ? 0 : -1;
		for (let i = 0; i < chunk.length; i++) {
			const c = chunk.charCodeAt(i);
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (c === BACKSLASH) this.escaped = true;
				else if (c === QUOTE) {
					this.inString = false;
					if (this.depth === 1 && this.phase === 0) this.lastKey = this.key;
				} else if (this.depth === 1 && this.phase === 0 && this.key.length < 8) this.key += chunk[i];
				continue;
			}

			if (c === QUOTE) {
				this.inString = true;
				this.key = '';
				continue;
			}

			if (this.phase === 3) {
				if (c === OPEN_BRACE || c === OPEN_BRACKET) {
					if (this.depth === 1) this.itemStart = i;
					this.depth++;
				} else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
					this.depth--;
					if (this.depth === 1 && this.itemStart >= 0) {
						this.emit(this.item + chunk.slice(this.itemStart, i + 1));
						this.item = '';
						this.itemStart = -1;
					} else if (this.depth === 0) {
						// the items array closed: back to the envelope
						this.phase = 0;
						this.depth = 1;
						envStart = i;
					}
				}

				continue;
			}

			if (c === OPEN_BRACE || c === OPEN_BRACKET) {
				if (this.phase === 2 && c === OPEN_BRACKET && this.depth === 1) {
					// "items": [ — keep "[" in the envelope, then read elements with depth counted from the array
					this.envelope += chunk.slice(envStart, i + 1);
					envStart = -1;
					this.phase = 3;
					this.depth = 1;
					continue;
				}

				this.depth++;
				this.phase = 0;
			} else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
				this.depth--;
				this.phase = 0;
			} else if (c === COLON && this.depth === 1) {
				this.phase = this.lastKey === 'items' ? 2 : 0;
			} else if (c > 32 && this.phase === 2) {
				this.phase = 0; // "items": null
			}
		}

		if (envStart >= 0) this.envelope += chunk.slice(envStart);
		if (this.phase === 3 && this.itemStart >= 0) this.item += chunk.slice(this.itemStart);
	}

	private emit(text: string): void {
		this.count++;
		this.onItem(JSON.parse(text));
	}

	/** the list without its items, parsed */
	end(): any {
		if (this.inString || this.depth !== 0) {
			throw new SyntaxError('truncated list answer');
		}

		return JSON.parse(this.envelope);
	}
}

const NEWLINE = 10;

/**
 * Splits a watch stream into its lines as the bytes arrive. Only the new bytes are searched for the
 * newline, so a line that never ends costs linear time; a line longer than `maxBytes` is refused
 * (`tooLong` makes the error) before it is ever one string.
 */
export class LineSplitter {
	private parts: Buffer[] = [];
	private size = 0;

	constructor(
		private readonly maxBytes: number,
		private readonly tooLong: () => Error,
	) {}

	push(chunk: Buffer, onLine: (line: string) => void): void {
		let start = 0;
		for (let nl = chunk.indexOf(NEWLINE); nl >= 0; nl = chunk.indexOf(NEWLINE, start)) {
			this.take(chunk.subarray(start, nl));
			const line = Buffer.concat(this.parts).toString('utf8');
			this.parts = [];
			this.size = 0;
			start = nl + 1;
			onLine(line);
		}

		if (start < chunk.length) this.take(chunk.subarray(start));
	}

	private take(piece: Buffer): void {
		this.size += piece.length;
		if (this.size > this.maxBytes) throw this.tooLong();
		this.parts.push(piece);
	}
}
