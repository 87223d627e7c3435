/**
 * A list answer in JSON, read into its items: in a one-shot, one JSON.parse of the whole answer
 * while it is small (the 10k-pod metrics list, 2.7 MB: 33–41 ms where ItemSplitter took 42–91 ms,
 * a fresh process); else ItemSplitter as its bytes arrive, so a big list never becomes one string
 * nor one long parse, and the live view's turns stay short.
 * The whole parse is taken only where it gives exactly what the splitter gives (the same items, the
 * same envelope; test/unit/kube/json-list.test.ts compares them): anything it cannot be sure of goes
 * to the splitter, which also skips and counts an item that is not JSON.
 */
import {StringDecoder} from 'node:string_decoder';
import {ItemSplitter} from './items.js';

/**
 * A one-shot's answers up to this size are parsed whole. Only where nothing waits for the event
 * loop: the parse of 4 MiB, or the splitter's catching up on 4 MiB when a bigger answer passes
 * the bound, holds it 50–100 ms, which the live view at 150k pods showed as one long turn per
 * metrics poll; the live view streams every answer.
 */
export const wholeListBytes = 4 * 1024 * 1024;

/**
 * The envelope of `text` with its items handed to `onItem`, as ItemSplitter would, or null where
 * that is not certain: a backslash anywhere (an escaped key may spell "items"), "items" written
 * twice (the splitter reads every top-level items array, JSON.parse keeps the last), text that does
 * not parse (an item that is not JSON: the splitter skips it), or no JSON object.
 */
export function wholeList(text: string, onItem: (item: any) => void): any {
	if (text.includes('\\')) return null;
	const first = text.indexOf('"items"');
	if (first >= 0 && text.includes('"items"', first + 1)) return null;
	let whole: unknown;
	try {
		whole = JSON.parse(text);
	} catch {
		return null;
	}

	if (typeof whole !== 'object' || whole === null || Array.isArray(whole)) return null;
	const o = whole as {items?: unknown};
	const items = o.items;
	if (Array.isArray(items)) {
		o.items = [];
		// the splitter hands on objects and arrays only (a number or null between them is no item)
		for (const item of items) if (typeof item === 'object' && item !== null) onItem(item);
	}

	return o;
}

export class JsonListReader {
	private parts: Buffer[] | null = [];
	private size = 0;
	private readonly splitter: ItemSplitter;
	private readonly decoder = new StringDecoder('utf8');
	/** the envelope of an answer read whole */
	private whole: any = null;

	constructor(
		private readonly onItem: (item: any) => void,
		onBad?: (why: string) => void,
		/** answers up to this size are parsed whole (0: every answer as it comes) */
		private readonly wholeBytes = 0,
	) {
		this.splitter = new ItemSplitter(onItem, onBad);
	}

	/** the answer's next bytes; throws ItemSplitter's SyntaxError once it is read as it comes */
	push(chunk: Buffer): void {
		if (this.parts) {
			this.parts.push(chunk);
			this.size += chunk.length;
			if (this.size <= this.wholeBytes) return;
			chunk = Buffer.concat(this.parts, this.size);
			this.parts = null;
		}

		this.splitter.push(this.decoder.write(chunk));
	}

	/** the answer is complete: read whole if it was held, else the splitter has it all (throws as push) */
	flush(): void {
		if (!this.parts) return;
		const text = Buffer.concat(this.parts, this.size).toString('utf8');
		this.parts = null;
		this.whole = wholeList(text, this.onItem);
		if (this.whole === null) this.splitter.push(text);
	}

	/** the envelope, after flush (ItemSplitter.end's SyntaxError for a truncated answer) */
	end(): any {
		return this.whole ?? this.splitter.end();
	}
}
