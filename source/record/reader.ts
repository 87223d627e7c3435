/**
 * Reading a recording: the header, then the chunks in order. Opening checks every chunk's frame
 * (magic, length, CRC) without decompressing; `inputs()` then decompresses and decodes one chunk
 * at a time, so a day's recording is never in memory at once. A file that is not a recording,
 * is one of a newer format, or has a damaged header, is refused with one line. A damaged or cut
 * chunk ends the recording there: everything before it replays, and `cut` says where and why.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import {MemtopError} from '../kube/errors.js';
import {Decoder, RecordingError} from './codec.js';
import {chunkHeaderBytes, chunkMagic, formatVersion, magic, maxChunkBytes, maxHeaderBytes, type Codec, type Header} from './format.js';
import type {Input} from './tap.js';

interface Chunk {
	offset: number;
	length: number;
	/** recorded time of its last input */
	time: number;
}

function decompress(codec: Codec, data: Buffer): Buffer {
	return codec === 'zstd' ? zlib.zstdDecompressSync(data) : zlib.gunzipSync(data);
}

function refuse(file: string, why: string): never {
	throw new MemtopError(`${file}: ${why}`, 1);
}

function parseHeader(file: string, buf: Buffer, size: number): {header: Header; offset: number} {
	if (buf.length < magic.length || buf.toString('latin1', 0, magic.length) !== magic) {
		refuse(file, size === 0 ? 'the file is empty, not a memtop recording' : 'not a memtop recording');
	}

	const nl = buf.indexOf(10, magic.length);
	if (nl < 0) refuse(file, 'the recording is cut inside its header');
	let h: Partial<Header> | null;
	try {
		h = JSON.parse(buf.toString('utf8', magic.length, nl)) as Partial<Header> | null;
	} catch {
		refuse(file, 'the recording header is damaged');
	}

	if (typeof h !== 'object' || h === null || typeof h.format !== 'number') refuse(file, 'the recording header is damaged');
	if (h.format > formatVersion) refuse(file, `recorded in format ${h.format} by memtop ${String(h.memtop)}; this memtop reads format ${formatVersion}: use a newer memtop`);
	const ok = h.format >= 1 && (h.codec === 'zstd' || h.codec === 'gzip') && typeof h.started === 'number' && typeof h.metricsIntervalMs === 'number' && typeof h.historySamples === 'number' && h.historySamples >= 4 && h.historySamples <= 1_000_000;
	if (!ok) refuse(file, 'the recording header is damaged');
	if (h.codec === 'zstd' && typeof zlib.zstdDecompressSync !== 'function') refuse(file, 'the recording is compressed with zstd, which this Node.js lacks (Node ≥ 22.15 has it)');
	return {header: h as Header, offset: nl + 1};
}

const iso = (t: number): string => new Date(t).toISOString();

export class RecordingFile {
	readonly header: Header;
	readonly chunks: Chunk[] = [];
	/** null: the file ends cleanly after its last chunk; else why and where the recording stops early */
	cut: string | null = null;
	private readonly fd: number;

	constructor(readonly file: string) {
		let size: number;
		try {
			this.fd = fs.openSync(file, 'r');
			const st = fs.fstatSync(this.fd);
			if (st.isDirectory()) refuse(file, 'is a directory, not a recording');
			size = st.size;
		} catch (error) {
			if (error instanceof MemtopError) throw error;
			const code = (error as NodeJS.ErrnoException).code;
			refuse(file, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a recording' : code === 'EACCES' ? 'permission denied' : `cannot read it (${code ?? String(error)})`);
		}

		const {header, offset} = parseHeader(file, this.read(0, Math.min(size, magic.length + maxHeaderBytes)), size);
		this.header = header;
		this.scan(offset, size);
	}

	/** recorded time of the first and the last whole chunk's last input (null: no chunk) */
	get lastTime(): number | null {
		return this.chunks.at(-1)?.time ?? null;
	}

	/** every input, in order; stops early (and sets `cut`) at a chunk that does not decode */
	*inputs(): Generator<Input> {
		const decoder = new Decoder();
		let last: number | null = null;
		for (const c of this.chunks) {
			let text: string;
			try {
				text = decompress(this.header.codec, this.read(c.offset + chunkHeaderBytes, c.length)).toString('utf8');
			} catch {
				this.stop(`a chunk does not decompress (byte ${c.offset})`, last);
				return;
			}

			let start = 0;
			try {
				for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
					const input = decoder.decode(text.slice(start, nl));
					start = nl + 1;
					if (input) {
						last = input.time;
						yield input;
					}
				}
			} catch (error) {
				this.stop(`a chunk holds ${error instanceof RecordingError ? error.message : 'a line that is not JSON'} (byte ${c.offset})`, last);
				return;
			}
		}

		if (decoder.midInput && this.cut === null) this.stop('the file ends inside an input', last);
	}

	close(): void {
		try {
			fs.closeSync(this.fd);
		} catch {}
	}

	private stop(why: string, last: number | null): void {
		// the frame scan may have found a cut further on: the earlier stop is where replay ends
		this.cut = `${why}: the recording ends ${last === null ? 'before its first input' : `at ${iso(last)}`}`;
	}

	private read(offset: number, length: number): Buffer {
		const buf = Buffer.alloc(length);
		let got = 0;
		while (got < length) {
			const n = fs.readSync(this.fd, buf, got, length - got, offset + got);
			if (n === 0) break;
			got += n;
		}

		return got === length ? buf : buf.subarray(0, got);
	}

	private scan(offset: number, size: number): void {
		let off = offset;
		while (off < size) {
			if (size - off < chunkHeaderBytes) {
				this.cut = `the file is cut inside a chunk header (byte ${off})`;
				break;
			}

			const head = this.read(off, chunkHeaderBytes);
			const length = head.readUInt32BE(4);
			if (head.toString('latin1', 0, 4) !== chunkMagic || length > maxChunkBytes) {
				this.cut = `damaged data at byte ${off}`;
				break;
			}

			if (off + chunkHeaderBytes + length > size) {
				this.cut = `the file is cut inside its last chunk (byte ${off})`;
				break;
			}

			if (zlib.crc32(this.read(off + chunkHeaderBytes, length)) !== head.readUInt32BE(8)) {
				this.cut = `a chunk fails its checksum (byte ${off})`;
				break;
			}

			this.chunks.push({offset: off, length, time: head.readDoubleBE(16)});
			off += chunkHeaderBytes + length;
		}

		if (this.cut !== null) {
			const t = this.lastTime;
			this.cut = `${this.cut}: the recording ends ${t === null ? 'before its first input' : `at ${iso(t)}`}`;
		}
	}
}
