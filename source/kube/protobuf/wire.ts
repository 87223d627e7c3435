/**
 * The protobuf wire format, read: just what the Kubernetes encoding (`application/vnd.kubernetes.protobuf`)
 * needs of it. A Reader walks one message's bytes field by field; anything malformed (a varint that
 * does not end, a length past the message's end, a wire type Kubernetes never writes) throws
 * ProtoError, and the caller skips that item as the door skips an item of the wrong shape.
 */
export class ProtoError extends Error {}

/** wire types */
export const VARINT = 0;
export const FIXED64 = 1;
export const BYTES = 2;
export const FIXED32 = 5;

export class Reader {
	pos: number;
	/** the field just read by next(): its number and wire type */
	field = 0;
	wire = 0;

	constructor(
		readonly buf: Buffer,
		start: number,
		readonly end: number,
	) {
		this.pos = start;
	}

	/** the next field's tag, or false at the end of the message */
	next(): boolean {
		if (this.pos >= this.end) return false;
		const tag = this.varint();
		this.field = Math.floor(tag / 8);
		this.wire = tag % 8;
		if (this.field === 0) throw new ProtoError('field number 0');
		return true;
	}

	/** the low and high 32 bits of the varint last read by bits() */
	private lo = 0;
	private hi = 0;

	/** an unsigned varint as a number: exact below 2^53, which every count, length and time here is */
	varint(): number {
		// one or two bytes: most tags and lengths
		const p = this.pos;
		if (p < this.end) {
			const b = this.buf[p]!;
			if (b < 0x80) {
				this.pos = p + 1;
				return b;
			}

			if (p + 1 < this.end) {
				const c = this.buf[p + 1]!;
				if (c < 0x80) {
					this.pos = p + 2;
					return (b & 0x7f) | (c << 7);
				}
			}
		}

		this.bits();
		return this.hi * 4_294_967_296 + this.lo;
	}

	/** a signed int64 or int32 (a negative one is written as ten bytes of 64-bit two's complement) */
	int(): number {
		this.bits();
		return this.hi >= 2_147_483_648 ? (this.hi - 4_294_967_296) * 4_294_967_296 + this.lo : this.hi * 4_294_967_296 + this.lo;
	}

	/** an int32: the low 32 bits, signed */
	int32(): number {
		this.bits();
		return this.lo | 0;
	}

	/** read a varint into lo and hi, exactly (a double cannot hold 64 bits) */
	private bits(): void {
		const {buf, end} = this;
		let lo = 0;
		let hi = 0;
		for (let shift = 0; shift < 70; shift += 7) {
			if (this.pos >= end) throw new ProtoError('varint past the end');
			const b = buf[this.pos++]!;
			const bits = b & 0x7f;
			if (shift < 32) lo |= bits << shift;
			if (shift >= 28) hi |= shift >= 32 ? bits << (shift - 32) : bits >>> (32 - shift);
			if (b < 0x80) {
				this.lo = lo >>> 0;
				this.hi = hi >>> 0;
				return;
			}
		}

		throw new ProtoError('varint longer than 10 bytes');
	}

	bool(): boolean {
		return this.varint() !== 0;
	}

	/** the length of a length-delimited field, checked; `this.pos` is at its bytes */
	private length(): number {
		const length = this.varint();
		if (length > this.end - this.pos) throw new ProtoError('length past the end of the message');
		return length;
	}

	string(): string {
		const length = this.length();
		const start = this.pos;
		this.pos = start + length;
		return length === 0 ? '' : this.buf.toString('utf8', start, this.pos);
	}

	/** a Reader over the embedded message of this length-delimited field */
	message(): Reader {
		const length = this.length();
		const start = this.pos;
		this.pos = start + length;
		return new Reader(this.buf, start, this.pos);
	}

	/** step over the field just read */
	skip(): void {
		switch (this.wire) {
			case VARINT:
				this.varint();
				return;
			case FIXED64:
				this.advance(8);
				return;
			case BYTES: {
				const n = this.length();
				this.pos += n;
				return;
			}
			case FIXED32:
				this.advance(4);
				return;
			default:
				throw new ProtoError(`wire type ${this.wire}`);
		}
	}

	/** the field just read must have this wire type */
	expect(wire: number): void {
		if (this.wire !== wire) throw new ProtoError(`field ${this.field} has wire type ${this.wire}, not ${wire}`);
	}

	private advance(n: number): void {
		if (n > this.end - this.pos) throw new ProtoError('fixed field past the end');
		this.pos += n;
	}
}

/** how many bytes the varint at `pos` takes, or 0 when `buf` ends before it does */
export function varintAt(buf: Buffer, pos: number, end: number): [value: number, size: number] {
	let value = 0;
	let scale = 1;
	for (let i = 0; i < 10 && pos + i < end; i++) {
		const b = buf[pos + i]!;
		value += (b & 0x7f) * scale;
		if (b < 0x80) return [value, i + 1];
		scale *= 128;
	}

	if (end - pos >= 10) throw new ProtoError('varint longer than 10 bytes');
	return [0, 0];
}
