/**
 * Pod lists in Kubernetes' protobuf encoding (source/kube/protobuf/). The fixtures are answers of
 * the test cluster's kube-apiserver v1.36.3 (test/fixtures/protobuf/README.md): the same namespace
 * listed in protobuf and in JSON, one page of a paged list, and a 404 Status in protobuf. The door
 * must make the same records of both encodings; the reader must take any chunking, and refuse (or
 * skip, item by item) anything broken without throwing anything else.
 */
import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {podFromObject} from '../../../source/kube/convert.js';
import {ApiClient} from '../../../source/kube/http.js';
import {ProtoListSplitter, statusFromProto} from '../../../source/kube/protobuf/list.js';
import {podFromProto, time} from '../../../source/kube/protobuf/pod.js';
import {time as parseTime} from '../../../source/kube/door.js';
import {ProtoError, Reader} from '../../../source/kube/protobuf/wire.js';
import {kubeTargetForServer} from '../../../source/kube/config.js';
import {fakeApi} from '../hostile/harness.js';

const dir = path.resolve(import.meta.dirname, '../../fixtures/protobuf');
const fixture = (name: string) => fs.readFileSync(path.join(dir, name));
const pods = fixture('pods.pb');
const paged = fixture('paged.pb');

function read(chunks: Buffer[]): {items: unknown[]; envelope: ReturnType<ProtoListSplitter['end']>} {
	const items: unknown[] = [];
	const list = new ProtoListSplitter(podFromProto, i => items.push(i));
	for (const c of chunks) list.push(c);
	return {items, envelope: list.end()};
}

/** what the door keeps of a pod, without the fields that change on every status write */
const record = (raw: unknown) => {
	const r = podFromObject(raw);
	return r && {...r, resourceVersion: ''};
};

describe('protobuf pod lists', () => {
	it('the door makes the same records of the protobuf and the JSON answer', () => {
		const json = JSON.parse(fixture('pods.json').toString('utf8')) as {items: unknown[]};
		const {items, envelope} = read([pods]);
		expect(envelope.kind).toBe('PodList');
		expect(items).toHaveLength(json.items.length);
		const fromJson = json.items.map(record);
		const fromProto = items.map(record);
		expect(fromProto.every(r => r !== null)).toBe(true);
		expect(fromProto).toEqual(fromJson);
		// the fixture has what the door reads in every form: sidecars, pod-level resources, overhead,
		// an OOM kill in lastState, a deletion under way, owners, escapes in a message
		const byName = new Map(fromProto.map(r => [r!.name, r!]));
		expect(byName.get('sidecars')!.containers.map(c => c.kind)).toEqual(['init', 'sidecar', 'app', 'app']);
		expect(byName.get('crashing')!.containers[0]!.lastTermination?.reason).toBe('OOMKilled');
		expect(byName.get('crashing')!.containers[1]!.restarts).toBe(2147483647);
		expect(byName.get('crashing')!.containers[1]!.currentTermination?.exitCode).toBe(-1);
		expect(byName.get('leaving')!.deleting).toBe(true);
		expect(byName.get('guaranteed')!.limitBytes).toBe(632 * 2 ** 20);
		expect(byName.get('pod-level')!.requestBytes).toBe(2 ** 30);
		expect([...byName.values()].filter(r => r.owner?.kind === 'ReplicaSet')).toHaveLength(2);
		expect(byName.get('crashing')!.message).not.toContain('\u001b');
	});

	it('times are the RFC 3339 text of their seconds, shared or not, past the bound of the texts kept', () => {
		/** a metav1.Time {seconds = 1} message of `seconds` (≥ 0) */
		const message = (seconds: number): Reader => {
			const bytes = [0x08];
			for (let v = seconds; ; v = Math.floor(v / 128)) {
				if (v < 128) {
					bytes.push(v);
					break;
				}

				bytes.push((v % 128) | 0x80);
			}

			return new Reader(Buffer.from(bytes), 0, bytes.length);
		};

		// 10,000 distinct seconds (twice the texts kept), each asked three times, mixed
		const base = Date.parse('2026-11-30T10:00:00Z') / 1000;
		for (let round = 0; round < 3; round++) {
			for (let i = 0; i < 10_000; i++) {
				const seconds = base + ((i * 7919 + round) % 10_000) * 61;
				const text = time(message(seconds));
				expect(text).toBe(new Date(seconds * 1000).toISOString().replace('.000Z', 'Z'));
				expect(parseTime(text!)).toBe(seconds * 1000);
			}
		}

		expect(parseTime('not a time')).toBeNull();
		expect(parseTime('not a time')).toBeNull();
		expect(parseTime('')).toBeNull();
	});

	it('a paged answer keeps its continue token and remaining count', () => {
		const {items, envelope} = read([paged]);
		expect(items).toHaveLength(3);
		expect(envelope.metadata['continue']).toMatch(/^eyJ/);
		expect(envelope.metadata['remainingItemCount']).toBe(6);
	});

	it('any split into chunks reads the same', () => {
		const whole = read([paged]);
		for (let cut = 1; cut < paged.length; cut++) {
			const split = read([paged.subarray(0, cut), paged.subarray(cut)]);
			expect(split.items).toEqual(whole.items);
			expect(split.envelope).toEqual(whole.envelope);
		}

		const bytes: Buffer[] = [];
		for (let i = 0; i < paged.length; i++) bytes.push(paged.subarray(i, i + 1));
		expect(read(bytes).items).toEqual(whole.items);
	});

	it('a cut answer is refused at its end, wherever it was cut', () => {
		for (let cut = 0; cut < paged.length; cut += 7) {
			expect(() => read([paged.subarray(0, cut)]), `cut at ${cut}`).toThrow(ProtoError);
		}
	});

	it('flipped bytes give a refusal or items the door judges, never another error', () => {
		let refused = 0;
		let skipped = 0;
		let seed = 7;
		const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
		for (let round = 0; round < 1500; round++) {
			const bad = Buffer.from(paged);
			for (let k = 1 + Math.floor(random() * 3); k > 0; k--) bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
			try {
				const {items} = read([bad]);
				for (const item of items) if (podFromObject(item) === null) skipped++;
			} catch (error) {
				expect(error).toBeInstanceOf(ProtoError);
				refused++;
			}
		}

		expect(refused).toBeGreaterThan(0);
		expect(skipped).toBeGreaterThan(0);
	});

	it('an item that does not decode is handed on as null and the rest are read', () => {
		// a second copy of the first item with its Pod bytes broken (a length past its end)
		const raw: Buffer[] = [];
		const probe = new ProtoListSplitter(r => raw.push(Buffer.from(r.buf.subarray(r.pos, r.end))), () => {});
		probe.push(paged);
		const broken = Buffer.concat([Buffer.from([0x0a, 0x7f]), raw[0]!.subarray(0, 10)]);
		expect(() => podFromProto(new Reader(broken, 0, broken.length))).toThrow(ProtoError);
		const list = Buffer.concat([Buffer.from([0x6b, 0x38, 0x73, 0x00]), field(1, Buffer.concat([field(2, Buffer.from('PodList'))])), field(2, Buffer.concat([field(2, raw[0]!), field(2, broken), field(2, raw[1]!)]))]);
		const {items} = read([list]);
		expect(items).toHaveLength(3);
		expect(items[1]).toBeNull();
		expect(podFromObject(items[0])?.name).toBe(podFromObject(read([paged]).items[0])?.name);
		expect(podFromObject(items[2])).not.toBeNull();
	});

	it('a protobuf Status gives its message and reason', () => {
		expect(statusFromProto(fixture('notfound.pb'))).toEqual({kind: 'Status', message: 'pods "x" not found', reason: 'NotFound'});
		expect(statusFromProto(Buffer.from('{"kind":"Status"}'))).toBeNull();
	});

	it('over HTTP: asks for protobuf, reads it, reads JSON from a server that answers JSON, and a protobuf refusal', async () => {
		const api = await fakeApi([
			['/api/v1/namespaces/proto/pods', (_req, res) => res.writeHead(200, {'content-type': 'application/vnd.kubernetes.protobuf'}).end(pods)],
			['/api/v1/namespaces/nope/pods', (_req, res) => res.writeHead(404, {'content-type': 'application/vnd.kubernetes.protobuf'}).end(fixture('notfound.pb'))],
		]);
		const client = new ApiClient(kubeTargetForServer(api.url));
		try {
			const got: unknown[] = [];
			await client.getList('/api/v1/namespaces/proto/pods', undefined, i => got.push(i), {protobuf: podFromProto});
			expect(got.map(record)).toEqual(read([pods]).items.map(record));
			expect(api.requests.at(-1)!.headers['accept']).toBe('application/vnd.kubernetes.protobuf, application/json');

			// the defaults answer JSON whatever was asked: the same list as without protobuf
			const json: unknown[] = [];
			const plain: unknown[] = [];
			await client.getList('/api/v1/pods', undefined, i => json.push(i), {protobuf: podFromProto});
			await client.getList('/api/v1/pods', undefined, i => plain.push(i));
			expect(json).toEqual(plain);
			expect(json.length).toBeGreaterThan(0);

			await expect(client.getList('/api/v1/namespaces/nope/pods', undefined, () => {}, {protobuf: podFromProto})).rejects.toMatchObject({status: 404, reason: 'NotFound', message: 'pods "x" not found'});
		} finally {
			client.close();
		}
	});
});

/** a length-delimited field */
function field(n: number, body: Buffer): Buffer {
	const head: number[] = [(n << 3) | 2];
	for (let v = body.length; ; v = Math.floor(v / 128)) {
		if (v < 128) {
			head.push(v);
			break;
		}

		head.push((v % 128) | 128);
	}

	return Buffer.concat([Buffer.from(head), body]);
}
