/**
 * Bad recordings and bad places to record to: one clear line (a MemtopError), never a stack
 * trace; a cut or damaged tail replays what is whole and says where it ends; a full disk stops
 * the recorder with its reason and leaves what it wrote whole.
 */
import {execFileSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {MemtopError} from '../../../source/kube/errors.js';
import {Player} from '../../../source/record/player.js';
import {RecordingFile} from '../../../source/record/reader.js';
import {RecordingWriter} from '../../../source/record/writer.js';
import {recordDemo, tmp, type Recorded} from './helpers.js';

const dir = tmp();
let rec: Recorded;
let bytes: Buffer;
beforeAll(async () => {
	rec = await recordDemo(path.join(dir, 'demo.rec'), 8, 15_000, {chunkBytes: 16 * 1024});
	bytes = fs.readFileSync(rec.file);
}, 60_000);

function refused(file: string): string {
	try {
		new RecordingFile(file).close();
	} catch (error) {
		expect(error).toBeInstanceOf(MemtopError);
		const m = (error as Error).message;
		expect(m).not.toContain('\n');
		return m;
	}

	throw new Error(`${file} was not refused`);
}

function write(name: string, data: Buffer | string): string {
	const f = path.join(dir, name);
	fs.writeFileSync(f, data);
	return f;
}

/** every input a file replays, as one string */
function replayed(file: string): {inputs: number; cut: string | null; text: string} {
	const r = new RecordingFile(file);
	let inputs = 0;
	let text = '';
	for (const input of r.inputs()) {
		inputs++;
		text += `${input.op}@${input.time};`;
	}

	r.close();
	return {inputs, cut: r.cut, text};
}

describe('a bad recording', () => {
	it('is refused with one line: missing, empty, a directory, foreign, garbage, a newer format, a damaged header', () => {
		expect(refused(path.join(dir, 'nope.rec'))).toMatch(/no such file/);
		expect(refused(write('empty.rec', ''))).toMatch(/empty/);
		expect(refused(dir)).toMatch(/directory/);
		expect(refused(write('foreign.rec', '{"kind":"PodList","items":[]}\n'))).toMatch(/not a memtop recording/);
		expect(refused(write('garbage.rec', Buffer.from(Array.from({length: 4096}, (_, i) => (i * 7919) % 256))))).toMatch(/not a memtop recording/);
		const header = bytes.subarray(0, bytes.indexOf(10, 17) + 1).toString();
		const newer = header.replace('"format":1', '"format":2');
		expect(refused(write('newer.rec', Buffer.concat([Buffer.from(newer), bytes.subarray(header.length)])))).toMatch(/format 2.*newer memtop/);
		expect(refused(write('header.rec', 'MEMTOP-RECORDING\n{"format":1,'))).toMatch(/header/);
		expect(refused(write('header2.rec', 'MEMTOP-RECORDING\n{"format":1,"codec":"lz4"}\n'))).toMatch(/header is damaged/);
	});

	it('cut anywhere replays the whole chunks before the cut and says where it ends', () => {
		const whole = replayed(rec.file);
		expect(whole.cut).toBeNull();
		const headerEnd = bytes.indexOf(10, 17) + 1;
		let lastInputs = -1;
		let checked = 0;
		for (let n = headerEnd; n < bytes.length; n += 211) {
			const r = replayed(write('cut.rec', bytes.subarray(0, n)));
			// a prefix of what the whole file replays, growing with the prefix
			expect(whole.text.startsWith(r.text)).toBe(true);
			expect(r.inputs).toBeGreaterThanOrEqual(lastInputs);
			lastInputs = r.inputs;
			if (n > headerEnd) {
				expect(r.cut).toMatch(/cut inside .*: the recording ends (at 20|before its first input)/);
				checked++;
			}
		}

		expect(checked).toBeGreaterThan(10);
		expect(lastInputs).toBeLessThan(whole.inputs);
		expect(lastInputs).toBeGreaterThan(0);
	});

	it('damaged in the middle replays up to the damage and says so', () => {
		const damaged = Buffer.from(bytes);
		const at = Math.floor(bytes.length * 0.6);
		damaged[at] = damaged[at]! ^ 0xff;
		const r = replayed(write('damaged.rec', damaged));
		expect(r.cut).toMatch(/(checksum|damaged data).*the recording ends at 20/);
		expect(r.inputs).toBeGreaterThan(0);
		expect(replayed(rec.file).text.startsWith(r.text)).toBe(true);
		// and the player gets to the same place
		const p = new Player(new RecordingFile(write('damaged.rec', damaged)), {notifyIntervalMs: 0});
		p.seek(Number.POSITIVE_INFINITY);
		expect(p.store.pods.size).toBeGreaterThan(0);
	});
});

describe('recording where it cannot', () => {
	it('to an unwritable path or a full device: one line naming the reason', () => {
		const make = (file: string) => () => new RecordingWriter(file, {memtopVersion: 't', historySamples: 40, metricsIntervalMs: 15_000}, 0);
		expect(make(path.join(dir, 'no/such/dir/x.rec'))).toThrow(/cannot record to .*no such directory/);
		expect(make(dir)).toThrow(/cannot record to .*directory/);
		if (fs.existsSync('/dev/full')) expect(make('/dev/full')).toThrow(/cannot record to \/dev\/full: the disk is full/);
	});

	const mnt = path.join(dir, 'small');
	let mounted = false;
	beforeAll(() => {
		fs.mkdirSync(mnt);
		try {
			execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', mnt], {stdio: 'ignore'});
			mounted = true;
		} catch {}
	});
	afterAll(() => {
		if (mounted) execFileSync('umount', ['-l', mnt]);
	});

	it('to a disk that fills up: stops with the reason, and what it wrote replays', async ctx => {
		if (!mounted) ctx.skip();
		const errors: string[] = [];
		const file = path.join(mnt, 'full.rec');
		const r = await recordDemo(file, 40, 15_000, {chunkBytes: 4096, onError: m => errors.push(m)});
		expect(r.writer.failed).toMatch(/stopped: the disk is full \(the file holds inputs up to 20/);
		expect(errors).toEqual([r.writer.failed]);
		const got = replayed(file);
		expect(got.inputs).toBeGreaterThan(0);
		expect(got.cut ?? '').toMatch(/^(|the file is cut inside .*)$/);
		// what it holds is what the live store had: the snapshots up to the failure replay as they were
		const f = new RecordingFile(file);
		const player = new Player(f, {notifyIntervalMs: 0});
		let compared = 0;
		for (const [t, live] of r.live) {
			if (t > (f.lastTime ?? 0)) break;
			player.seek(t);
			const {snapshotJson} = await import('../../../source/cli/output.js');
			const {ViewModel} = await import('../../../source/view/index.js');
			expect(JSON.stringify(snapshotJson(new ViewModel(player.store), 'pods', t))).toBe(live['pods']);
			compared++;
		}

		f.close();
		expect(compared).toBeGreaterThan(0);
	}, 60_000);
});
