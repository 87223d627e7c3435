import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {Feed, feedRules} from '../../source/store/feed.js';
import type {ContainerRecord, EventRecord, NodeRecord, PodRecord, Termination} from '../../source/model/index.js';

const minute = 60_000;
const now = 1_800_000_000_000;

function term(reason: string, exitCode: number, finishedAt: number | null, signal: number | null = null): Termination {
	return {reason, exitCode, signal, finishedAt, startedAt: finishedAt === null ? null : finishedAt - 5 * minute, message: ''};
}

function ctr(over: Partial<ContainerRecord> = {}): ContainerRecord {
	return {name: 'app', kind: 'app', requestBytes: null, limitBytes: null, restarts: 0, state: 'running', stateReason: '', lastTermination: null, currentTermination: null, ...over};
}

function pod(over: Partial<PodRecord> = {}, containers: ContainerRecord[] = [ctr()]): PodRecord {
	const name = over.name ?? 'web-1';
	const namespace = over.namespace ?? 'shop';
	return {
		key: `${namespace}/${name}`,
		uid: `uid-${namespace}-${name}`,
		namespace,
		name,
		rawNamespace: namespace,
		rawName: name,
		nodeName: 'node-a',
		phase: 'Running',
		reason: '',
		message: '',
		qos: 'Burstable',
		priority: 0,
		requestBytes: null,
		limitBytes: null,
		containers,
		restarts: containers.reduce((s, c) => s + c.restarts, 0),
		owner: null,
		createdAt: now - 3_600_000,
		deleting: false,
		resourceVersion: '1',
		...over,
	};
}

/** The pod after its container `name` restarted with termination t. */
function restarted(p: PodRecord, t: Termination, name = 'app'): PodRecord {
	const containers = p.containers.map((c) => (c.name === name ? {...c, restarts: c.restarts + 1, lastTermination: t, currentTermination: null, state: 'running' as const} : c));
	return {...p, containers, restarts: p.restarts + 1, resourceVersion: String(Number(p.resourceVersion) + 1)};
}

function node(over: Partial<NodeRecord> = {}): NodeRecord {
	return {
		name: 'node-a',
		uid: 'n-a',
		capacityBytes: 8 * 1024 ** 3,
		allocatableBytes: 7 * 1024 ** 3,
		memoryPressure: false,
		memoryPressureSince: null,
		ready: true,
		unschedulable: false,
		kubeletPort: 10250,
		internalIP: '10.0.0.1',
		createdAt: 0,
		resourceVersion: '1',
		...over,
	};
}

let uidSeq = 0;
function event(over: Partial<EventRecord>): EventRecord {
	const t = over.lastTime ?? now;
	return {
		uid: `ev-${uidSeq++}`,
		reason: 'Evicted',
		message: '',
		type: 'Warning',
		involvedKind: 'Pod',
		namespace: 'shop',
		name: 'web-1',
		fieldPath: '',
		source: 'kubelet',
		count: 1,
		firstTime: t,
		lastTime: t,
		resourceVersion: '1',
		...over,
	};
}

// The kubelet's eviction message (pkg/kubelet/eviction/helpers.go: nodeLowMessageFmt +
// thresholdMetMessageFmt + containerMessageFmt, trailing spaces included).
const evictionMessage =
	'The node was low on resource: memory. Threshold quantity: 100Mi, available: 91572Ki. Container app was using 1402964Ki, request is 0, has larger consumption of memory. ';

// node-problem-detector's OOMKilling event carries the kernel line its rule matched.
const npdRules = JSON.parse(readFileSync('/work/shared/fixtures/real/node-problem-detector-kernel-monitor-config.oomkilling-rule.json', 'utf8'));
const oomRule = npdRules.rules.find((r: any) => r.reason === 'OOMKilling');
const npdMessage = 'Out of memory: Killed process 3103923 (stress-ng-vm) total-vm:15791416kB, anon-rss:14369596kB, file-rss:4kB, shmem-rss:36kB, UID:0 pgtables:28184kB oom_score_adj:1000';
const npdCgroupMessage = 'Memory cgroup out of memory: Killed process 4242 (worker) total-vm:1024000kB, anon-rss:262144kB, file-rss:1024kB, shmem-rss:0kB, UID:1000 pgtables:800kB oom_score_adj:993';

describe('Feed: container deaths from pod status', () => {
	it('records an OOM kill when the restart count rises with lastState OOMKilled', () => {
		const f = new Feed();
		const p0 = pod();
		f.observePod(undefined, p0, now - 10 * minute);
		expect(f.entries()).toEqual([]);
		const v0 = f.version;
		const p1 = restarted(p0, term('OOMKilled', 137, now - minute));
		f.observePod(p0, p1, now);
		expect(f.version).toBe(v0 + 1);
		expect(f.entries()).toEqual([
			{
				id: expect.stringMatching(/^oom:/),
				time: now - minute,
				kind: 'OOMKilled',
				namespace: 'shop',
				pod: 'web-1',
				container: 'app',
				node: 'node-a',
				init: false,
				exitCode: 137,
				reason: 'OOMKilled',
				message: '',
				count: 1,
				sources: ['status'],
				flags: [],
			},
		]);
		// the same status again, or an unrelated update, adds nothing
		f.observePod(p1, {...p1, resourceVersion: '99'}, now + minute);
		f.observePod(undefined, p1, now + minute);
		expect(f.entries()).toHaveLength(1);
		expect(f.version).toBe(v0 + 1);
	});

	it('counts a termination once as it moves from state.terminated to lastState', () => {
		const f = new Feed();
		const p0 = pod();
		const t = term('OOMKilled', 137, now - 30_000);
		const dead = {...p0, containers: [ctr({state: 'terminated', stateReason: 'OOMKilled', currentTermination: t})]};
		f.observePod(p0, dead, now);
		const back = restarted(dead, t);
		f.observePod(dead, back, now + 20_000);
		expect(f.entries().map((e) => e.kind)).toEqual(['OOMKilled']);
		// a second kill later is a new entry
		f.observePod(back, restarted(back, term('OOMKilled', 137, now + 5 * minute)), now + 5 * minute);
		expect(f.entries().map((e) => e.time)).toEqual([now + 5 * minute, now - 30_000]);
	});

	it('marks init container OOM kills', () => {
		const f = new Feed();
		const p0 = pod({}, [ctr({name: 'migrate', kind: 'init', state: 'waiting'}), ctr()]);
		f.observePod(p0, restarted(p0, term('OOMKilled', 137, now), 'migrate'), now);
		expect(f.entries()[0]).toMatchObject({kind: 'OOMKilled', container: 'migrate', init: true});
	});

	it('shows exit 137 without OOMKilled as Killed (SIGKILL), but not for pods being deleted', () => {
		const f = new Feed();
		const p0 = pod();
		f.observePod(p0, restarted(p0, term('Error', 137, now)), now);
		expect(f.entries()[0]).toMatchObject({kind: 'Killed', reason: 'Error', exitCode: 137});
		const q0 = pod({name: 'web-2'});
		f.observePod(q0, restarted({...q0, deleting: true}, term('Error', 137, now)), now);
		const r0 = pod({name: 'web-3'});
		f.observePod(r0, restarted(r0, term('Error', 1, now)), now); // an ordinary crash
		expect(f.entries()).toHaveLength(1);
	});

	it('records an eviction when the pod turns Failed/Evicted', () => {
		const f = new Feed();
		const p0 = pod();
		const p1 = {...p0, phase: 'Failed', reason: 'Evicted', message: evictionMessage, containers: [ctr({state: 'terminated', currentTermination: term('Error', 137, now)})]};
		f.observePod(p0, p1, now);
		expect(f.entries()).toHaveLength(1); // the SIGKILL of an evicted pod is part of the eviction
		expect(f.entries()[0]).toMatchObject({kind: 'Evicted', reason: 'Evicted', pod: 'web-1', node: 'node-a', message: evictionMessage, sources: ['status']});
		f.observePod(p1, {...p1, resourceVersion: '7'}, now + minute);
		expect(f.entries()).toHaveLength(1);
	});

	it('reports the last hour on a first sighting, and nothing older', () => {
		const f = new Feed();
		f.observePod(undefined, pod({name: 'recent'}, [ctr({restarts: 3, lastTermination: term('OOMKilled', 137, now - 20 * minute)})]), now);
		f.observePod(undefined, pod({name: 'old'}, [ctr({restarts: 3, lastTermination: term('OOMKilled', 137, now - 2 * 3_600_000)})]), now);
		f.observePod(undefined, pod({name: 'evicted-recent', phase: 'Failed', reason: 'Evicted'}, [ctr({state: 'terminated', currentTermination: term('Error', 137, now - 10 * minute)})]), now);
		f.observePod(undefined, pod({name: 'evicted-unknown', phase: 'Failed', reason: 'Evicted'}, [ctr({state: 'terminated'})]), now);
		f.observePod(undefined, pod({name: 'evicted-old', phase: 'Failed', reason: 'Evicted'}, [ctr({state: 'terminated', currentTermination: term('Error', 137, now - 3 * 3_600_000)})]), now);
		expect(f.entries().map((e) => `${e.kind} ${e.pod}`)).toEqual(['Evicted evicted-recent', 'OOMKilled recent']);
	});
});

describe('Feed: Events', () => {
	it('folds the Evicted Event and the Evicted status into one entry, whichever comes first', () => {
		for (const order of ['event-first', 'status-first'] as const) {
			const f = new Feed();
			const p0 = pod();
			const p1 = {...p0, phase: 'Failed', reason: 'Evicted', message: evictionMessage};
			const e = event({reason: 'Evicted', message: evictionMessage, lastTime: now - 20_000});
			if (order === 'event-first') {
				f.observePod(undefined, p0, now - minute);
				f.observeEvent(e);
				f.observePod(p0, p1, now);
			} else {
				f.observePod(undefined, p0, now - minute);
				f.observePod(p0, p1, now);
				f.observeEvent(e);
			}

			expect(f.entries()).toHaveLength(1);
			expect(f.entries()[0]).toMatchObject({kind: 'Evicted', pod: 'web-1', node: 'node-a', count: 1});
			expect([...f.entries()[0]!.sources].sort()).toEqual(['event', 'status']);
		}
	});

	it('keeps evictions of the same pod name far apart in time separate', () => {
		const f = new Feed();
		f.observeEvent(event({reason: 'Evicted', name: 'db-0', message: evictionMessage, lastTime: now - 40 * minute}));
		const p0 = pod({name: 'db-0'});
		f.observePod(p0, {...p0, phase: 'Failed', reason: 'Evicted'}, now);
		expect(f.entries()).toHaveLength(2);
	});

	it('bumps count when an Event is seen again with a higher count', () => {
		const f = new Feed();
		const e = event({reason: 'SystemOOM', involvedKind: 'Node', namespace: '', name: 'node-a', message: 'System OOM encountered, victim process: java, pid: 77', count: 1, lastTime: now});
		f.observeEvent(e);
		const v = f.version;
		f.observeEvent({...e, count: 1});
		expect(f.version).toBe(v);
		f.observeEvent({...e, count: 4, lastTime: now + minute, message: `(combined from similar events): ${e.message}`});
		expect(f.version).toBe(v + 1);
		expect(f.entries()[0]).toMatchObject({kind: 'SystemOOM', node: 'node-a', count: 4, time: now + minute, message: 'System OOM encountered, victim process: java, pid: 77'});
	});

	it('folds SystemOOM and the node-problem-detector OOMKilling for the same pid', () => {
		expect(new RegExp(oomRule.pattern).test(npdMessage)).toBe(true);
		expect(new RegExp(oomRule.pattern).test(npdCgroupMessage)).toBe(true);
		const f = new Feed();
		f.observeEvent(event({reason: 'SystemOOM', involvedKind: 'Node', namespace: '', name: 'node-a', source: 'kubelet', message: 'System OOM encountered, victim process: stress-ng-vm, pid: 3103923', lastTime: now}));
		f.observeEvent(event({reason: 'OOMKilling', involvedKind: 'Node', namespace: '', name: 'node-a', source: 'kernel-monitor', message: npdMessage, lastTime: now + 1000}));
		f.observeEvent(event({reason: 'OOMKilling', involvedKind: 'Node', namespace: '', name: 'node-b', source: 'kernel-monitor', message: npdMessage, lastTime: now + 1000}));
		expect(f.entries().map((e) => `${e.kind} ${e.node}`)).toEqual(['OOMKilling node-b', 'SystemOOM node-a']);
	});

	it('attributes a node OOM Event to the container whose status says OOMKilled', () => {
		// event first, status later; the process is named like the container
		const f = new Feed();
		const p0 = pod({}, [ctr({name: 'worker'}), ctr({name: 'sidecar'})]);
		f.observePod(undefined, p0, now - minute);
		f.observeEvent(event({reason: 'OOMKilling', involvedKind: 'Node', namespace: '', name: 'node-a', source: 'kernel-monitor', message: npdCgroupMessage, lastTime: now}));
		f.observePod(p0, restarted(p0, term('OOMKilled', 137, now - 2000), 'worker'), now + 3000);
		expect(f.entries()).toHaveLength(1);
		expect(f.entries()[0]).toMatchObject({kind: 'OOMKilled', pod: 'web-1', container: 'worker', node: 'node-a', time: now - 2000, message: npdCgroupMessage});
		expect([...f.entries()[0]!.sources].sort()).toEqual(['event', 'status']);

		// status first, then SystemOOM and OOMKilling: one entry; the only candidate needs no name match
		const g = new Feed();
		const q0 = pod({name: 'api-1'}, [ctr({name: 'api'})]);
		g.observePod(q0, restarted(q0, term('OOMKilled', 137, now), 'api'), now);
		g.observeEvent(event({reason: 'SystemOOM', involvedKind: 'Node', namespace: '', name: 'node-a', message: 'System OOM encountered, victim process: node, pid: 99', lastTime: now + 5000}));
		g.observeEvent(event({reason: 'OOMKilling', involvedKind: 'Node', namespace: '', name: 'node-a', source: 'kernel-monitor', message: 'Memory cgroup out of memory: Killed process 99 (node) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB', lastTime: now + 6000}));
		expect(g.entries()).toHaveLength(1);
		expect(g.entries()[0]).toMatchObject({kind: 'OOMKilled', pod: 'api-1', container: 'api'});
	});

	it('leaves a node OOM Event alone when it cannot tell which container it was', () => {
		const f = new Feed();
		const a0 = pod({name: 'a'}, [ctr({name: 'one'})]);
		const b0 = pod({name: 'b'}, [ctr({name: 'two'})]);
		f.observePod(a0, restarted(a0, term('OOMKilled', 137, now), 'one'), now);
		f.observePod(b0, restarted(b0, term('OOMKilled', 137, now), 'two'), now);
		f.observeEvent(event({reason: 'OOMKilling', involvedKind: 'Node', namespace: '', name: 'node-a', message: 'Memory cgroup out of memory: Killed process 5 (python3) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB', lastTime: now}));
		// another node's OOM never attaches to these pods
		f.observeEvent(event({reason: 'OOMKilling', involvedKind: 'Node', namespace: '', name: 'node-z', message: 'Memory cgroup out of memory: Killed process 6 (one) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB', lastTime: now}));
		expect(f.entries().map((e) => e.kind).sort()).toEqual(['OOMKilled', 'OOMKilled', 'OOMKilling', 'OOMKilling']);
	});

	it('keeps memory EvictionThresholdMet and ignores other resources and reasons', () => {
		const f = new Feed();
		f.observeEvent(event({reason: 'EvictionThresholdMet', involvedKind: 'Node', namespace: '', name: 'node-a', message: 'Attempting to reclaim memory'}));
		f.observeEvent(event({reason: 'EvictionThresholdMet', involvedKind: 'Node', namespace: '', name: 'node-a', message: 'Attempting to reclaim ephemeral-storage'}));
		f.observeEvent(event({reason: 'Pulled', message: 'Successfully pulled image'}));
		f.observeEvent(event({reason: 'NodeHasSufficientMemory', involvedKind: 'Node', namespace: '', name: 'node-a'}));
		expect(f.entries().map((e) => `${e.kind} ${e.node} ${e.message}`)).toEqual(['EvictionThresholdMet node-a Attempting to reclaim memory']);
	});
});

describe('Feed: nodes', () => {
	it('records MemoryPressure turning on and off, folding NodeHasInsufficientMemory into it', () => {
		const f = new Feed();
		const n0 = node();
		f.observeNode(undefined, n0, now - minute);
		expect(f.entries()).toHaveLength(0);
		const n1 = {...n0, memoryPressure: true, memoryPressureSince: now};
		f.observeNode(n0, n1, now + 1000);
		f.observeEvent(event({reason: 'NodeHasInsufficientMemory', involvedKind: 'Node', namespace: '', name: 'node-a', message: 'Node node-a status is now: NodeHasInsufficientMemory', lastTime: now + 2000}));
		f.observeNode(n1, {...n1, resourceVersion: '2'}, now + 5000);
		const n2 = {...n1, memoryPressure: false, memoryPressureSince: now + 10 * minute};
		f.observeNode(n1, n2, now + 10 * minute);
		expect(f.entries().map((e) => `${e.kind} ${e.node} ${[...e.sources].sort().join('+')}`)).toEqual(['MemoryPressureCleared node-a node', 'MemoryPressure node-a event+node']);
	});

	it('reports a node already under pressure on first sighting', () => {
		const f = new Feed();
		f.observeNode(undefined, node({memoryPressure: true, memoryPressureSince: now - 5 * minute}), now);
		expect(f.entries()[0]).toMatchObject({kind: 'MemoryPressure', time: now - 5 * minute});
	});
});

describe('Feed: flags and bounds', () => {
	it('flags the 4th OOM kill of one container within an hour', () => {
		const f = new Feed();
		let p = pod();
		f.observePod(undefined, p, now);
		const times = [0, 15, 30, 45, 50].map((m) => now + m * minute);
		for (const t of times) {
			const next = restarted(p, term('OOMKilled', 137, t));
			f.observePod(p, next, t);
			p = next;
		}

		const byTime = [...f.entries()].sort((a, b) => a.time - b.time);
		expect(byTime.map((e) => e.flags)).toEqual([[], [], [], ['repeated-oom'], ['repeated-oom']]);
		// three kills an hour apart are not flagged; other containers do not count
		const g = new Feed();
		let q = pod({}, [ctr(), ctr({name: 'other'})]);
		for (const [i, m] of [0, 61, 122, 183].entries()) {
			const next = restarted(q, term('OOMKilled', 137, now + m * minute), i === 1 ? 'other' : 'app');
			g.observePod(q, next, now + m * minute);
			q = next;
		}

		expect(g.entries().every((e) => e.flags.length === 0)).toBe(true);
	});

	it('flags mass eviction: more than 10 evictions in 30 minutes', () => {
		const f = new Feed();
		for (let i = 0; i < 12; i++) {
			f.observeEvent(event({reason: 'Evicted', name: `p-${i}`, message: evictionMessage, lastTime: now + i * 2 * minute}));
		}

		const byTime = [...f.entries()].sort((a, b) => a.time - b.time);
		// 0…22 min: the 11th (index 10) and 12th are flagged
		expect(byTime.map((e) => e.flags.includes('mass-eviction'))).toEqual([false, false, false, false, false, false, false, false, false, false, true, true]);
		const g = new Feed();
		for (let i = 0; i < 12; i++) g.observeEvent(event({reason: 'Evicted', name: `p-${i}`, lastTime: now + i * 4 * minute}));
		expect(g.entries().some((e) => e.flags.length > 0)).toBe(false);
	});

	it('keeps at most `capacity` entries, dropping the oldest, newest first', () => {
		const f = new Feed({capacity: 5});
		expect(new Feed().capacity).toBe(feedRules.capacity);
		const events = Array.from({length: 8}, (_, i) => event({reason: 'Evicted', name: `p-${i}`, lastTime: now + i * minute}));
		for (const e of events) f.observeEvent(e);
		expect(f.entries().map((e) => e.pod)).toEqual(['p-7', 'p-6', 'p-5', 'p-4', 'p-3']);
		// an older incident than everything kept does not displace newer ones
		f.observeEvent(event({reason: 'Evicted', name: 'ancient', lastTime: now - 3_600_000}));
		// a dropped event seen again (even with a higher count) does not come back
		f.observeEvent({...events[0]!, count: 2});
		expect(f.entries().map((e) => e.pod)).toEqual(['p-7', 'p-6', 'p-5', 'p-4', 'p-3']);
		expect(f.size).toBe(5);
	});

	it('returns a new array only when something changed', () => {
		const f = new Feed();
		const a = f.entries();
		expect(f.entries()).toBe(a);
		f.observeEvent(event({reason: 'Evicted', lastTime: now}));
		const b = f.entries();
		expect(b).not.toBe(a);
		expect(f.entries()).toBe(b);
	});
});
