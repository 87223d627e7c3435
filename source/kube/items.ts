/**
 * Splits a Kubernetes list answer (`{"kind":..., "metadata":{...}, "items":[{...}, ...]}`) into
 * its items while the bytes arrive, so a 50 MB PodMetricsList is never one string nor one
 * JSON.parse that holds the event loop for seconds: each item is parsed on its own as soon as its
 * closing brace arrives, and everything outside `items` is kept and parsed at the end (the
 * envelope: metadata.continue, resourceVersion). A watch stream is split the same way, into lines.
 *
 * Only the structure is read character by character: a string is jumped through with indexOf to
 * its closing quote (a quote after an odd run of backslashes is escaped and skipped), so the
 * names, labels and timestamps that make most of an answer cost one native search each.
 */
const QUOTE = 34;
const BACKSLASH = 92;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const COLON = 58;

/** the longest envelope key read: "items" and a few escapes of it */
const maxKey = 40;

export class ItemSplitter {
	private depth = 0;
	private inString = false;
	/** the string's last character so far was an unpaired backslash (the chunk ended inside an escape) */
	private escaped = false;
	/** text of the string being read at depth 1 outside items (a candidate key), up to maxKey */
	private key = '';
	private lastKey = '';
	/** 0: outside items; 1: saw "items" key, waiting ':'; 2: waiting '['; 3: inside the array */
	private phase = 0;
	private envelope = '';
	private item = '';
	count = 0;
	/** items that were not JSON (skipped and told to `onBad`) */
	bad = 0;

	/**
	 * `onBad`: an item that is not JSON (its brackets balance, its text does not parse) is skipped,
	 * counted in `bad` and told here; without it, push throws the SyntaxError.
	 */
	constructor(
		private readonly onItem: (item: any) => void,
		private readonly onBad?: (why: string) => void,
	) {}

	push(chunk: string): void {
		const len = chunk.length;
		let envStart = this.phase === 3 ? -1 : 0;
		let itemStart = this.phase === 3 && this.depth > 1 ? 0 : -1;
		let i = 0;
		if (this.inString) {
			// the string the last chunk ended in
			const atKey = this.depth === 1 && this.phase === 0;
			const close = this.stringEnd(chunk, 0);
			if (atKey && this.key.length < maxKey) this.key += chunk.slice(0, Math.min(close < 0 ? len : close, maxKey - this.key.length));
			if (close < 0) {
				this.keep(chunk, envStart, itemStart);
				return;
			}

			if (atKey) this.lastKey = this.key;
			i = close + 1;
		}

		for (; i < len; i++) {
			const c = chunk.charCodeAt(i);
			if (c === QUOTE) {
				// a string: jump to its closing quote (or to the chunk's end, inside it)
				const from = i + 1;
				const atKey = this.depth === 1 && this.phase === 0;
				const close = this.stringEnd(chunk, from);
				if (close < 0) {
					this.inString = true;
					if (atKey) this.key = chunk.slice(from, Math.min(len, from + maxKey));
					break;
				}

				if (atKey) this.lastKey = chunk.slice(from, Math.min(close, from + maxKey));
				i = close;
				continue;
			}

			if (this.phase === 3) {
				if (c === OPEN_BRACE || c === OPEN_BRACKET) {
					if (this.depth === 1) itemStart = i;
					this.depth++;
				} else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
					this.depth--;
					if (this.depth === 1 && itemStart >= 0) {
						this.emit(this.item === '' ? chunk.slice(itemStart, i + 1) : this.item + chunk.slice(itemStart, i + 1));
						this.item = '';
						itemStart = -1;
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
				this.phase = isItemsKey(this.lastKey) ? 2 : 0;
			} else if (c > 32 && this.phase === 2) {
				this.phase = 0; // "items": null
			}
		}

		this.keep(chunk, envStart, itemStart);
	}

	/** what of the chunk is carried to the next: the envelope's part, the item's unfinished part */
	private keep(chunk: string, envStart: number, itemStart: number): void {
		if (envStart >= 0) this.envelope += chunk.slice(envStart);
		if (this.phase === 3 && itemStart >= 0) this.item += chunk.slice(itemStart);
	}

	/**
	 * The index of the quote that closes the string read from `from` (inString is cleared), or -1
	 * when the chunk ends inside it (inString and escaped say where it stopped).
	 */
	private stringEnd(chunk: string, from: number): number {
		let lo = from;
		if (this.escaped) {
			// the previous chunk ended on a backslash: this chunk's first character is the escaped one
			this.escaped = false;
			if (from >= chunk.length) {
				this.escaped = true;
				return -1;
			}

			lo = from + 1;
		}

		for (;;) {
			const q = chunk.indexOf('"', lo);
			if (q < 0) {
				this.escaped = oddBackslashesBefore(chunk, chunk.length, lo);
				return -1;
			}

			if (!oddBackslashesBefore(chunk, q, lo)) {
				this.inString = false;
				return q;
			}

			lo = q + 1;
		}
	}

	private emit(text: string): void {
		let item: unknown;
		try {
			item = JSON.parse(text);
		} catch (error) {
			if (!this.onBad) throw error;
			this.bad++;
			this.onBad(`item ${this.count + this.bad} is not JSON`);
			return;
		}

		this.count++;
		this.onItem(item);
	}

	/** the list without its items, parsed */
	end(): any {
		if (this.inString || this.depth !== 0) {
			throw new SyntaxError('truncated list answer');
		}

		return JSON.parse(this.envelope);
	}
}

/** an odd run of backslashes right before `at`, counted back to `lo` (where no escape is pending) */
function oddBackslashesBefore(chunk: string, at: number, lo: number): boolean {
	let k = at - 1;
	while (k >= lo && chunk.charCodeAt(k) === BACKSLASH) k--;
	return (at - 1 - k) % 2 === 1;
}

/** the envelope key was "items" (as the server wrote it: escapes read as JSON reads them) */
function isItemsKey(raw: string): boolean {
	if (raw === 'items') return true;
	if (!raw.includes('\\') || raw.length >= maxKey) return false;
	try {
		return JSON.parse(`"${raw}"`) === 'items';
	} catch {
		return false;
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
