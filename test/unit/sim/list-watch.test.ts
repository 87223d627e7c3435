import {afterEach, describe, expect, it} from 'vitest';
import {getJson, listAll, request, simulators, tick, WatchStream} from './helpers.js';

const sim = simulators();
let watches: WatchStream[] = [];

function watch(url: string): WatchStream {
	const w = new WatchStream(url);
	watches.push(w);
	return w;
}

afterEach(async () => {
	for (const w of watches) {
		w.close();
	}

	watches = [];
});

const key = (o: any): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

function rawPod(namespace: string, name: string, labels: Record<string, string> = {}, node = 'worker-1'): Record<string, unknown> {
	return {
		kind: 'Pod',
		apiVersion: 'v1',
		metadata: {name, namespace, uid: `uid-${namespace}-${name}`, resourceVersion: '', creationTimestamp: '2026-06-26T09:00:00Z', labels},
		spec: {containers: [{name: 'app', image: 'busybox', resources: {requests: {memory: '64Mi'}, limits: {memory: '128Mi'}}}], nodeName: node},
		status: {phase: 'Running', containerStatuses: [{name: 'app', state: {running: {startedAt: '2026-06-26T09:00:05Z'}}, lastState: {}, ready: true, restartCount: 0, image: 'busybox', imageID: '', containerID: 'containerd://abc12345', started: true}], qosClass: 'Burstable'},
	};
}

describe('lists', () => {
	it('paginates completely, in key order, with remainingItemCount and an opaque continue token', async () => {
		const s = await sim();
		const full = await getJson(`${s.url}/api/v1/pods`);
		expect(full.kind).toBe('PodList');
		expect(full.apiVersion).toBe('v1');
		expect(full.metadata.continue).toBeUndefined();
		const {items, pages} = await listAll(s.url, '/api/v1/pods', 7);
		expect(items.map(key)).toEqual(full.items.map(key));
		expect(new Set(items.map(key)).size).toBe(items.length);
		expect(pages.length).toBe(Math.ceil(full.items.length / 7));
		expect(pages[0].remainingItemCount).toBe(full.items.length - 7);
		expect(pages.at(-1).continue).toBeUndefined();
		// All pages come from the first page's snapshot.
		expect(new Set(pages.map((p) => p.resourceVersion)).size).toBe(1);
		const keys = items.map(key);
		expect([...keys].sort()).toEqual(keys);
	});

	it('serves later pages from the first page\'s snapshot even while the cluster changes', async () => {
		const s = await sim();
		const before = await getJson(`${s.url}/api/v1/pods`);
		const snapshotRv = Number(before.metadata.resourceVersion);
		// Change the cluster between every page: time passes, a pod is deleted, one is added.
		let step = 0;
		const {items, pages} = await listAll(s.url, '/api/v1/pods', 5, () => {
			s.advance(30_000);
			step++;
			if (step === 1) {
				s.deletePod('shop', before.items.find((p: any) => p.metadata.name.startsWith('frontend-')).metadata.name);
				s.addPod(rawPod('default', 'aaa-added-later'));
			}
		});
		expect(s.resourceVersion()).toBeGreaterThan(snapshotRv);
		expect(Number(pages[0].resourceVersion)).toBe(snapshotRv);
		expect(items.map(key)).toEqual(before.items.map(key));
		// Byte-identical objects: nothing from after the snapshot leaked in.
		expect(items.map((o) => JSON.stringify(o))).toEqual(before.items.map((o: any) => JSON.stringify(o)));
		for (const item of items) {
			expect(Number(item.metadata.resourceVersion)).toBeLessThanOrEqual(snapshotRv);
		}
	});

	it('answers 410 Expired for a continue token older than the compaction window', async () => {
		const s = await sim();
		const page = await getJson(`${s.url}/api/v1/pods?limit=3`);
		s.advance(5000);
		s.compact();
		const reply = await request(`${s.url}/api/v1/pods?limit=3&continue=${encodeURIComponent(page.metadata.continue)}`);
		expect(reply.status).toBe(410);
		expect(reply.json).toMatchObject({kind: 'Status', status: 'Failure', reason: 'Expired', code: 410});
		expect(reply.json.message).toContain('continue parameter is too old');
		const bad = await request(`${s.url}/api/v1/pods?limit=3&continue=not-a-token`);
		expect(bad.status).toBe(400);
		expect(bad.json.reason).toBe('BadRequest');
		expect(bad.json.message).toMatch(/^invalid continue token: continue key is not valid: /);
		// The token has the API server's shape: base64 JSON with the snapshot and the start key.
		expect(page.metadata.continue).toMatch(/^[A-Za-z0-9_-]+$/);
		expect(JSON.parse(Buffer.from(page.metadata.continue, 'base64url').toString())).toEqual({v: 'meta.k8s.io/v1', rv: Number(page.metadata.resourceVersion), start: `/${page.items[2].metadata.namespace}/${page.items[2].metadata.name}\u0000`});
	});

	it('honours resourceVersion + resourceVersionMatch=Exact, and 410s below the window', async () => {
		const s = await sim();
		const first = await getJson(`${s.url}/api/v1/pods`);
		const rv = first.metadata.resourceVersion;
		s.deletePod('default', 'debug-shell');
		const now = await getJson(`${s.url}/api/v1/pods`);
		expect(now.items.length).toBe(first.items.length - 1);
		const exact = await getJson(`${s.url}/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`);
		expect(exact.metadata.resourceVersion).toBe(rv);
		expect(exact.items.map(key)).toEqual(first.items.map(key));
		const any = await getJson(`${s.url}/api/v1/pods?resourceVersion=0`);
		expect(any.items.length).toBe(now.items.length);
		s.compact();
		const old = await request(`${s.url}/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`);
		expect(old.status).toBe(410);
		expect(old.json.reason).toBe('Expired');
		const tooNew = await request(`${s.url}/api/v1/pods?resourceVersion=${s.resourceVersion() + 100}&resourceVersionMatch=NotOlderThan`);
		expect(tooNew.status).toBe(504);
		expect(tooNew.json.reason).toBe('Timeout');
		expect(tooNew.json.message).toBe(`Timeout: Too large resource version: ${s.resourceVersion() + 100}, current: ${s.resourceVersion()}`);
		const matchOnly = await request(`${s.url}/api/v1/pods?resourceVersionMatch=Exact`);
		expect(matchOnly.status).toBe(422);
		expect(matchOnly.json).toMatchObject({reason: 'Invalid', message: 'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided', details: {group: 'meta.k8s.io', kind: 'ListOptions'}});
	});

	it('filters by namespace, label selector and field selector', async () => {
		const s = await sim();
		const shop = await getJson(`${s.url}/api/v1/namespaces/shop/pods`);
		expect(shop.items.length).toBeGreaterThan(5);
		expect(shop.items.every((p: any) => p.metadata.namespace === 'shop')).toBe(true);
		const paged = await listAll(s.url, '/api/v1/namespaces/shop/pods', 2);
		expect(paged.items.map(key)).toEqual(shop.items.map(key));

		const frontend = await getJson(`${s.url}/api/v1/pods?labelSelector=${encodeURIComponent('app=frontend')}`);
		expect(frontend.items.length).toBe(4);
		const notFrontend = await getJson(`${s.url}/api/v1/namespaces/shop/pods?labelSelector=${encodeURIComponent('app!=frontend,tier')}`);
		expect(notFrontend.items.map((p: any) => p.metadata.labels.app).sort()).toEqual(['api', 'api', 'api', 'cart', 'search', 'search', 'sessions']);
		const setBased = await getJson(`${s.url}/api/v1/pods?labelSelector=${encodeURIComponent('app in (cart, search),tier notin (web)')}`);
		expect(setBased.items.map((p: any) => p.metadata.labels.app).sort()).toEqual(['cart', 'search', 'search']);

		const onWorker4 = await getJson(`${s.url}/api/v1/pods?fieldSelector=spec.nodeName%3Dworker-4`);
		expect(onWorker4.items.length).toBeGreaterThan(3);
		expect(onWorker4.items.every((p: any) => p.spec.nodeName === 'worker-4')).toBe(true);
		const nsField = await getJson(`${s.url}/api/v1/pods?fieldSelector=metadata.namespace%3Dpayments`);
		expect(nsField.items.every((p: any) => p.metadata.namespace === 'payments')).toBe(true);
		// A selector list carries no remainingItemCount.
		const selectedPage = await getJson(`${s.url}/api/v1/pods?limit=2&labelSelector=tier`);
		expect(selectedPage.metadata.continue).toBeDefined();
		expect(selectedPage.metadata.remainingItemCount).toBeUndefined();

		const bad = await request(`${s.url}/api/v1/pods?fieldSelector=spec.bogus%3Dx`);
		expect(bad.status).toBe(400);
		expect(bad.json.message).toBe('field label not supported: spec.bogus');
		const badLabel = await request(`${s.url}/api/v1/pods?labelSelector=${encodeURIComponent('a in (b')}`);
		expect(badLabel.status).toBe(400);
	});

	it('lists nodes, namespaces and events; events filter by involvedObject.kind', async () => {
		const s = await sim();
		s.advance(70_000);
		const nodes = await getJson(`${s.url}/api/v1/nodes`);
		expect(nodes.kind).toBe('NodeList');
		expect(nodes.items).toHaveLength(6);
		const namespaces = await getJson(`${s.url}/api/v1/namespaces`);
		expect(namespaces.items.map((n: any) => n.metadata.name)).toEqual(expect.arrayContaining(['shop', 'payments', 'data', 'monitoring', 'kube-system', 'batch', 'default']));
		const nodeEvents = await getJson(`${s.url}/api/v1/events?fieldSelector=involvedObject.kind%3DNode`);
		expect(nodeEvents.kind).toBe('EventList');
		expect(nodeEvents.items.length).toBeGreaterThan(0);
		expect(nodeEvents.items.every((e: any) => e.involvedObject.kind === 'Node' && e.metadata.namespace === 'default')).toBe(true);
		const podEvents = await getJson(`${s.url}/api/v1/namespaces/batch/events?fieldSelector=involvedObject.kind%3DPod,reason%3DEvicted`);
		expect(podEvents.items.length).toBe(1);
		const single = await getJson(`${s.url}/api/v1/nodes/worker-4`);
		expect(single.kind).toBe('Node');
		const missing = await request(`${s.url}/api/v1/namespaces/shop/pods/nope`);
		expect(missing.status).toBe(404);
		expect(missing.json).toMatchObject({kind: 'Status', reason: 'NotFound', message: 'pods "nope" not found', details: {name: 'nope', kind: 'pods'}, code: 404});
	});
});

describe('watches', () => {
	it('streams changes after the given resourceVersion, chunked, one JSON object per line', async () => {
		const s = await sim();
		const list = await getJson(`${s.url}/api/v1/pods`);
		const rv = Number(list.metadata.resourceVersion);
		const w = watch(`${s.url}/api/v1/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`);
		await w.ready;
		expect(w.status).toBe(200);
		s.addPod(rawPod('default', 'watched', {app: 'w'}));
		s.deletePod('default', 'watched');
		const events = await w.until((ev) => ev.some((e) => e.type === 'DELETED'));
		expect(events.slice(0, 2).map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['ADDED watched', 'DELETED watched']);
		const versions = events.map((e) => Number(e.object.metadata.resourceVersion));
		expect(versions.every((v) => v > rv)).toBe(true);
		expect([...versions].sort((a, b) => a - b)).toEqual(versions);
	});

	it('replays what happened since an older resourceVersion, then continues live', async () => {
		const s = await sim();
		const rv = s.resourceVersion();
		s.advance(90_000); // evictions, OOM kills, new pods happen
		const changedRv = s.resourceVersion();
		expect(changedRv).toBeGreaterThan(rv);
		const w = watch(`${s.url}/api/v1/pods?watch=true&resourceVersion=${rv}`);
		await w.ready;
		await w.until((ev) => ev.length > 0 && Number(ev.at(-1)?.object.metadata.resourceVersion) >= changedRv - 50);
		const replayed = w.events.length;
		expect(replayed).toBeGreaterThan(3);
		s.advance(60_000);
		await w.until((ev) => ev.length > replayed);
		// The stream converges on the same state as a fresh list.
		await tick(50);
		const state = new Map<string, any>((await getJson(`${s.url}/api/v1/pods?resourceVersion=${rv}&resourceVersionMatch=Exact`)).items.map((p: any) => [key(p), p]));
		for (const e of w.events) {
			if (e.type === 'DELETED') {
				state.delete(key(e.object));
			} else {
				state.set(key(e.object), e.object);
			}
		}

		const fresh = await getJson(`${s.url}/api/v1/pods`);
		expect([...state.keys()].sort()).toEqual(fresh.items.map(key));
		for (const pod of fresh.items) {
			expect(state.get(key(pod)).metadata.resourceVersion).toBe(pod.metadata.resourceVersion);
		}
	});

	it('gets a 410 Expired ERROR event (HTTP 200) when resuming from a compacted resourceVersion', async () => {
		const s = await sim();
		const rv = s.resourceVersion();
		s.advance(20_000);
		s.compact();
		const w = watch(`${s.url}/api/v1/pods?watch=1&resourceVersion=${rv}`);
		await w.ready;
		await w.waitEnd();
		expect(w.status).toBe(200);
		expect(w.events).toHaveLength(1);
		expect(w.events[0]).toMatchObject({type: 'ERROR', object: {kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'Expired', code: 410}});
		expect(w.events[0]?.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
		// From the current version it works.
		const ok = watch(`${s.url}/api/v1/pods?watch=1&resourceVersion=${s.resourceVersion()}`);
		await ok.ready;
		s.advance(70_000);
		await ok.until((ev) => ev.length > 0);
		expect(ok.events[0]?.type).not.toBe('ERROR');
	});

	it('expires old versions by itself once the history window is exceeded', async () => {
		const s = await sim({historyWindow: 10});
		const rv = s.resourceVersion();
		for (let i = 0; i < 12; i++) {
			s.addPod(rawPod('default', `p${i}`));
		}

		const w = watch(`${s.url}/api/v1/pods?watch=1&resourceVersion=${rv}`);
		await w.ready;
		await w.waitEnd();
		expect(w.events[0]?.object.code).toBe(410);
		const recent = watch(`${s.url}/api/v1/pods?watch=1&resourceVersion=${s.resourceVersion() - 5}`);
		await recent.ready;
		await recent.until((ev) => ev.length === 5);
		expect(recent.events.map((e) => e.object.metadata.name)).toEqual(['p7', 'p8', 'p9', 'p10', 'p11']);
	});

	it('without a resourceVersion sends the current objects as ADDED first', async () => {
		const s = await sim();
		const list = await getJson(`${s.url}/api/v1/namespaces/shop/pods`);
		const w = watch(`${s.url}/api/v1/namespaces/shop/pods?watch=1`);
		await w.ready;
		await w.until((ev) => ev.length >= list.items.length);
		expect(w.events.every((e) => e.type === 'ADDED')).toBe(true);
		expect(w.events.map((e) => key(e.object)).sort()).toEqual(list.items.map(key).sort());
	});

	it('sendInitialEvents ends the initial burst with a k8s.io/initial-events-end bookmark', async () => {
		const s = await sim();
		const w = watch(`${s.url}/api/v1/nodes?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true`);
		await w.ready;
		await w.until((ev) => ev.some((e) => e.type === 'BOOKMARK'));
		expect(w.events.slice(0, 6).every((e) => e.type === 'ADDED')).toBe(true);
		const bookmark = w.events[6];
		const invalid = await request(`${s.url}/api/v1/nodes?watch=1&sendInitialEvents=true&allowWatchBookmarks=true`);
		expect(invalid.status).toBe(422);
		expect(invalid.json.message).toBe('ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan');
		expect(bookmark).toMatchObject({type: 'BOOKMARK', object: {kind: 'Node', apiVersion: 'v1', metadata: {resourceVersion: String(s.resourceVersion()), annotations: {'k8s.io/initial-events-end': 'true'}}}});
	});

	it('sends BOOKMARKs only to watches that allow them', async () => {
		const s = await sim();
		const rv = s.resourceVersion();
		const yes = watch(`${s.url}/api/v1/events?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true`);
		const no = watch(`${s.url}/api/v1/events?watch=1&resourceVersion=${rv}`);
		await Promise.all([yes.ready, no.ready]);
		await tick();
		s.bookmark();
		await yes.until((ev) => ev.some((e) => e.type === 'BOOKMARK'));
		expect(yes.events[0]?.object).toEqual({kind: 'Event', apiVersion: 'v1', metadata: {resourceVersion: String(s.resourceVersion())}});
		await tick();
		expect(no.events.filter((e) => e.type === 'BOOKMARK')).toHaveLength(0);
	});

	it('selector watches turn label changes into ADDED/DELETED like the watch cache', async () => {
		const s = await sim({scenario: 'empty'});
		const w = watch(`${s.url}/api/v1/namespaces/default/pods?watch=1&resourceVersion=${s.resourceVersion()}&labelSelector=tier%3Dgold`);
		await w.ready;
		s.addPod(rawPod('default', 'a', {tier: 'silver'}));
		s.updatePod(rawPod('default', 'a', {tier: 'gold'}));
		s.updatePod({...rawPod('default', 'a', {tier: 'gold'}), spec: {nodeName: 'worker-2', containers: []}});
		s.updatePod(rawPod('default', 'a', {tier: 'bronze'}));
		await w.until((ev) => ev.length === 3);
		expect(w.events.map((e) => e.type)).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
	});

	it('closes the stream after timeoutSeconds', async () => {
		const s = await sim();
		const w = watch(`${s.url}/api/v1/nodes?watch=1&resourceVersion=${s.resourceVersion()}&timeoutSeconds=1`);
		await w.ready;
		const started = Date.now();
		await w.waitEnd(4000);
		expect(Date.now() - started).toBeGreaterThanOrEqual(900);
		expect(s.openWatches()).toBe(0);
	});

	it('test hooks: drop and stall open watches', async () => {
		const s = await sim();
		const a = watch(`${s.url}/api/v1/pods?watch=1&resourceVersion=${s.resourceVersion()}`);
		await a.ready;
		await tick();
		expect(s.openWatches()).toBe(1);
		s.stallWatches();
		s.addPod(rawPod('default', 'silent'));
		await tick(100);
		expect(a.events).toHaveLength(0);
		expect(a.ended).toBe(false);
		s.dropWatches();
		await a.waitEnd();
		expect(s.openWatches()).toBe(0);
	});
});
