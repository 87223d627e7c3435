/**
 * A list answer in Kubernetes' protobuf encoding, read as its bytes arrive. The body is the magic
 * `k8s\0`, then a runtime.Unknown {typeMeta = 1, raw = 2, contentEncoding = 3, contentType = 4}
 * whose raw bytes are the list {metadata = 1 (ListMeta), items = 2 (repeated)}. Each item is
 * length-delimited, so it is decoded as soon as its last byte is in, and only one item's bytes
 * are ever held beyond the chunk at hand. An item that does not decode is handed on as null, for
 * the door to skip and count; a broken envelope throws ProtoError (the answer is refused whole).
 */
import {BYTES, ProtoError, Reader, VARINT, varintAt} from './wire.js';

export const protobufType = 'application/vnd.kubernetes.protobuf';
const magic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** ListMeta {resourceVersion = 2, continue = 3, remainingItemCount = 4}, as the JSON envelope's metadata */
function listMeta(r: Reader): Record<string, unknown> {
	const m: Record<string, unknown> = {};
	while (r.next()) {
		if (r.field === 2 && r.wire === BYTES) m['resourceVersion'] = r.string();
		else if (r.field === 3 && r.wire === BYTES) m['continue'] = r.string();
		else if (r.field === 4 && r.wire === VARINT) m['remainingItemCount'] = r.int();
		else r.skip();
	}

	return m;
}

/** TypeMeta {apiVersion = 1, kind = 2} */
function kindOf(r: Reader): string {
	let kind = '';
	while (r.next()) {
		if (r.field === 2 && r.wire === BYTES) kind = r.string();
		else r.skip();
	}

	return kind;
}

export class ProtoListSplitter {
	private parts: Buffer[] = [];
	private have = 0;
	/** bytes needed before the next step can be taken */
	private need = magic.length;
	private started = false;
	/** bytes of the list (Unknown.raw) still to read; -1 outside it */
	private listLeft = -1;
	private kind = '';
	private meta: Record<string, unknown> = {};
	count = 0;

	constructor(private readonly decode: (item: Reader) => unknown, private readonly onItem: (item: unknown) => void) {}

	push(chunk: Buffer): void {
		let at = 0;
		// a step begun in earlier chunks (or the magic): only its own bytes are copied together
		while ((this.have > 0 || !this.started) && at < chunk.length) {
			const take = Math.min(chunk.length - at, Math.max(1, this.need - this.have));
			this.parts.push(chunk.subarray(at, at + take));
			this.have += take;
			at += take;
			if (this.have < this.need) continue;
			const buf = Buffer.concat(this.parts, this.have);
			const used = this.steps(buf, 0);
			// the rest of `buf` (the next step's first bytes) is read again from the chunk
			at -= buf.length - used;
			this.parts = [];
			this.have = 0;
			if (used === 0) {
				// a header that is still not whole: keep its bytes, `need` says how many more
				this.parts = [buf];
				this.have = buf.length;
				at += buf.length;
			}
		}

		if (at >= chunk.length) return;
		const used = this.steps(chunk, at);
		if (used < chunk.length) {
			this.parts = [chunk.subarray(used)];
			this.have = chunk.length - used;
		}
	}

	/** take every whole step in `buf` from `start`; returns where the unused bytes begin, and leaves `need` for the next step */
	private steps(buf: Buffer, start: number): number {
		let p = start;
		const end = buf.length;
		if (!this.started) {
			if (end - p < magic.length) return p;
			if (!buf.subarray(p, p + magic.length).equals(magic)) throw new ProtoError('no protobuf magic');
			this.started = true;
			p += magic.length;
		}

		for (;;) {
			const [tag, tagSize] = varintAt(buf, p, end);
			if (tagSize === 0) break;
			const field = Math.floor(tag / 8);
			const wire = tag % 8;
			if (wire !== BYTES) throw new ProtoError(`field ${field} of a list has wire type ${wire}`);
			const [length, lengthSize] = varintAt(buf, p + tagSize, end);
			if (lengthSize === 0) break;
			const head = tagSize + lengthSize;
			const inList = this.listLeft >= 0;
			if (!inList && field === 2) {
				// Unknown.raw: the list itself; its fields follow as the next steps
				this.listLeft = length > 0 ? length : -1;
				p += head;
				continue;
			}

			if (inList && head + length > this.listLeft) throw new ProtoError('a list field runs past the list');
			if (end - p - head < length) {
				this.need = head + length;
				return p;
			}

			const body = new Reader(buf, p + head, p + head + length);
			if (inList && field === 2) this.item(body);
			else if (inList && field === 1) this.meta = listMeta(body);
			else if (!inList && field === 1) this.kind = kindOf(body);
			p += head + length;
			if (inList) {
				this.listLeft -= head + length;
				if (this.listLeft === 0) this.listLeft = -1;
			}
		}

		this.need = end - p + 1;
		return p;
	}

	private item(body: Reader): void {
		this.count++;
		let value: unknown = null;
		try {
			value = this.decode(body);
		} catch (error) {
			if (!(error instanceof ProtoError)) throw error;
		}

		this.onItem(value);
	}

	/** the list without its items, in the JSON envelope's shape */
	end(): {kind: string; metadata: Record<string, unknown>} {
		if (!this.started || this.have > 0 || this.listLeft >= 0) throw new ProtoError('truncated protobuf list');
		if (!this.kind.endsWith('List')) throw new ProtoError(`a ${this.kind || 'nameless'} object, not a list`);
		return {kind: this.kind, metadata: this.meta};
	}
}

/** a refusal's body in protobuf: its Status {message = 3, reason = 4, code = 6}, or null when it is none */
export function statusFromProto(body: Buffer): {kind: 'Status'; message?: string; reason?: string} | null {
	if (body.length < magic.length || !body.subarray(0, magic.length).equals(magic)) return null;
	try {
		const outer = new Reader(body, magic.length, body.length);
		let kind = '';
		let raw: Reader | null = null;
		while (outer.next()) {
			if (outer.field === 1 && outer.wire === BYTES) kind = kindOf(outer.message());
			else if (outer.field === 2 && outer.wire === BYTES) raw = outer.message();
			else outer.skip();
		}

		if (kind !== 'Status' || raw === null) return null;
		const status: {kind: 'Status'; message?: string; reason?: string} = {kind: 'Status'};
		while (raw.next()) {
			if (raw.field === 3 && raw.wire === BYTES) status.message = raw.string();
			else if (raw.field === 4 && raw.wire === BYTES) status.reason = raw.string();
			else raw.skip();
		}

		return status;
	} catch (error) {
		if (error instanceof ProtoError) return null;
		throw error;
	}
}
