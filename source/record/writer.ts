/**
 * The recorder: store inputs (tap.ts) encoded as lines (codec.ts), sealed into compressed chunks
 * (format.ts) and appended to the file with one write each. A chunk is sealed at 4 MiB of lines,
 * and every `flushMs` (default and at most 10 s) when there is anything to seal.
 *
 * A write that fails (a full disk, a file gone read-only) stops the recorder: what is already in
 * the file stays whole and replays; `onError` says why (a banner in the TUI, the exit reason of
 * `memtop record`). Nothing is retried, so no chunk is ever written after a cut.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import {MemtopError} from '../kube/errors.js';
import type {Store} from '../store/store.js';
import {Encoder} from './codec.js';
import {chunkHeaderBytes, chunkMagic, formatVersion, magic, type Codec, type Header} from './format.js';
import {tapStore, type Input} from './tap.js';

export interface WriterOptions {
	/** ≤ 10 s (default 10 s) */
	flushMs?: number;
	/** seal a chunk at this many bytes of lines (default 4 MiB) */
	chunkBytes?: number;
	codec?: Codec;
	memtopVersion: string;
	historySamples: number;
	metricsIntervalMs: number;
	onError?(message: string): void;
}

export const defaultCodec: Codec = typeof zlib.zstdCompressSync === 'function' ? 'zstd' : 'gzip';

/**
 * zstd level 9 with a 512 KiB window and 1 MiB match tables: the level's defaults would take a
 * 4 MiB window and ~48 MiB of tables per chunk, memory the allocator keeps (150k pods: +200 MB
 * RSS); a chunk's repeats are close together, so the file is as small (measured: within 0.1 %).
 */
const zstdParams = {[zlib.constants.ZSTD_c_compressionLevel]: 9, [zlib.constants.ZSTD_c_windowLog]: 19, [zlib.constants.ZSTD_c_hashLog]: 18, [zlib.constants.ZSTD_c_chainLog]: 18};

export function compress(codec: Codec, data: Buffer): Buffer {
	return codec === 'zstd' ? zlib.zstdCompressSync(data, {params: zstdParams}) : zlib.gzipSync(data, {level: 6});
}

function reason(error: unknown): string {
	const e = error as NodeJS.ErrnoException;
	if (e.code === 'ENOSPC') return 'the disk is full';
	if (e.code === 'EACCES' || e.code === 'EPERM') return 'permission denied';
	if (e.code === 'EROFS') return 'the file system is read-only';
	if (e.code === 'ENOENT') return 'no such directory';
	if (e.code === 'EISDIR') return 'it is a directory';
	return e.code ?? (error instanceof Error ? error.message : String(error));
}

export class RecordingWriter {
	/** bytes in the file so far */
	bytes = 0;
	chunks = 0;
	inputs = 0;
	/** the recorded time the file holds up to (the last input of the last whole chunk) */
	lastTime: number | null = null;
	failed: string | null = null;
	private fd: number;
	private readonly encoder = new Encoder();
	/**
	 * The lines waiting, as UTF-8 in one buffer kept from chunk to chunk: no string of a whole chunk
	 * is ever made (at 150,000 pods, strings that size go to V8's large-object space, and the heap
	 * grows by every chunk until a full GC).
	 */
	private buf = Buffer.alloc(0);
	private used = 0;
	private pendingInputs = 0;
	private pendingTime: number | null = null;
	private readonly timer: NodeJS.Timeout;
	private readonly codec: Codec;
	private readonly chunkBytes: number;
	private untap: (() => void) | null = null;

	/** opens (creates or truncates) `file` and writes the header; throws a MemtopError when it cannot */
	constructor(
		readonly file: string,
		private readonly o: WriterOptions,
		started: number,
		part = 1,
	) {
		this.codec = o.codec ?? defaultCodec;
		this.chunkBytes = o.chunkBytes ?? 4 * 2 ** 20;
		const header: Header = {format: formatVersion, memtop: o.memtopVersion, codec: this.codec, started, historySamples: o.historySamples, metricsIntervalMs: o.metricsIntervalMs, part};
		try {
			this.fd = fs.openSync(file, 'w', 0o600);
			this.writeAll(Buffer.from(magic + JSON.stringify(header) + '\n'));
		} catch (error) {
			throw new MemtopError(`cannot record to ${file}: ${reason(error)}`, 1);
		}

		const flushMs = Math.min(10_000, o.flushMs ?? 10_000);
		this.timer = setInterval(() => this.seal(), flushMs);
		this.timer.unref();
	}

	/** record every input of `store` from now on */
	attach(store: Store): void {
		this.untap = tapStore(store, {before: input => this.add(input)});
	}

	add(input: Input): void {
		if (this.failed) return;
		this.encoder.encode(input, l => {
			const need = Buffer.byteLength(l);
			if (this.used + need > this.buf.length) this.grow(need);
			this.used += this.buf.write(l, this.used);
			if (this.used >= this.chunkBytes) this.seal();
		});
		this.pendingInputs++;
		this.pendingTime = input.time;
	}

	/** compress what is waiting into a chunk and append it */
	seal(): void {
		if (this.failed || this.used === 0) return;
		const payload = compress(this.codec, this.buf.subarray(0, this.used));
		this.used = 0;
		const head = Buffer.alloc(chunkHeaderBytes);
		head.write(chunkMagic, 0, 'latin1');
		head.writeUInt32BE(payload.length, 4);
		head.writeUInt32BE(zlib.crc32(payload), 8);
		head.writeUInt32BE(this.pendingInputs, 12);
		head.writeDoubleBE(this.pendingTime ?? this.lastTime ?? 0, 16);
		try {
			this.writeAll(Buffer.concat([head, payload]));
		} catch (error) {
			this.fail(error);
			return;
		}

		this.chunks++;
		this.inputs += this.pendingInputs;
		this.pendingInputs = 0;
		if (this.pendingTime !== null) this.lastTime = this.pendingTime;
	}

	/** seal what is waiting and close the file */
	close(): void {
		this.untap?.();
		this.untap = null;
		this.seal();
		clearInterval(this.timer);
		if (this.fd >= 0) {
			try {
				fs.closeSync(this.fd);
			} catch {}
			this.fd = -1;
		}
	}

	/** room for `need` more bytes: the chunk size, or more for a line longer than that */
	private grow(need: number): void {
		const next = Buffer.alloc(Math.max(this.chunkBytes + 64 * 1024, this.used + need));
		this.buf.copy(next, 0, 0, this.used);
		this.buf = next;
	}

	private writeAll(buf: Buffer): void {
		let off = 0;
		while (off < buf.length) off += fs.writeSync(this.fd, buf, off, buf.length - off);
		this.bytes += buf.length;
	}

	private fail(error: unknown): void {
		const upTo = this.lastTime === null ? 'nothing but its header' : `inputs up to ${new Date(this.lastTime).toISOString()}`;
		this.failed = `recording to ${this.file} stopped: ${reason(error)} (the file holds ${upTo})`;
		this.used = 0;
		this.buf = Buffer.alloc(0);
		clearInterval(this.timer);
		this.o.onError?.(this.failed);
	}
}
