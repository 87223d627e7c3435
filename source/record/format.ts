/**
 * The recording file, version 1. Append-only; a reader needs nothing after the point it stops.
 *
 *   "MEMTOP-RECORDING\n"                       magic (17 bytes)
 *   {"format":1,...}\n                         header: one JSON line (Header below), ≤ 64 KiB
 *   chunk*                                     until the end of the file
 *
 *   chunk = "MTCK" | u32 payload bytes | u32 crc32(payload) | u32 inputs | f64 time | payload
 *           (big-endian; time: the recorded time of the chunk's last input, epoch ms)
 *   payload = zstd or gzip (header.codec) of lines; each line one JSON value (codec.ts)
 *
 * A chunk is written with one write when it is sealed (every `flushMs`, ≤ 10 s, or at 4 MiB of
 * lines), so a recorder killed at any moment leaves whole chunks and at most one cut one at the
 * end; a reader replays the whole ones and says where they end. A big input (a list of 150,000
 * pods) may span chunks: a cut inside it loses that input, never one before it.
 */
export const magic = 'MEMTOP-RECORDING\n';
export const chunkMagic = 'MTCK';
export const chunkHeaderBytes = 24;
export const formatVersion = 1;
/** the largest chunk payload a reader accepts (a writer seals long before) */
export const maxChunkBytes = 256 * 2 ** 20;
export const maxHeaderBytes = 64 * 1024;

export type Codec = 'zstd' | 'gzip';

export interface Header {
	format: number;
	/** memtop version that wrote it */
	memtop: string;
	codec: Codec;
	/** when recording started (epoch ms, the recorder's clock) */
	started: number;
	/** the store's shape: replay builds the same one */
	historySamples: number;
	metricsIntervalMs: number;
	/** this file continues a rotated recording: the part number (1 = first file) */
	part: number;
}
