import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {groupByWorkload, groupId, ownerWorkload, spread} from '../../../source/memory/workloads.js';

const real = '/work/shared/fixtures/real';
const pod = (name: string, owner: {kind: string; name: string} | null) => ({namespace: 'ns', name, owner});

describe('ownerWorkload', () => {
	it('maps ReplicaSets with a pod-template-hash to their Deployment', () => {
		expect(ownerWorkload(pod('web-7d9f8c6b5-x2x9z', {kind: 'ReplicaSet', name: 'web-7d9f8c6b5'}))).toEqual({kind: 'Deployment', name: 'web'});
		expect(ownerWorkload(pod('p', {kind: 'ReplicaSet', name: 'my-api-v2-5b6c7d8f9d'}))).toEqual({kind: 'Deployment', name: 'my-api-v2'});
		expect(ownerWorkload(pod('p', {kind: 'ReplicaSet', name: 'legacy-3442342359'}))).toEqual({kind: 'Deployment', name: 'legacy'});
		// vowels and 0/1/3 never occur in a hash: a hand-made ReplicaSet stays one
		expect(ownerWorkload(pod('p', {kind: 'ReplicaSet', name: 'frontend-abcde'}))).toEqual({kind: 'ReplicaSet', name: 'frontend-abcde'});
		expect(ownerWorkload(pod('p', {kind: 'ReplicaSet', name: 'frontend'}))).toEqual({kind: 'ReplicaSet', name: 'frontend'});
	});

	it('maps scheduled Jobs to their CronJob', () => {
		expect(ownerWorkload(pod('p', {kind: 'Job', name: 'backup-28473600'}))).toEqual({kind: 'CronJob', name: 'backup'});
		expect(ownerWorkload(pod('p', {kind: 'Job', name: 'migrate-123'}))).toEqual({kind: 'Job', name: 'migrate-123'});
		expect(ownerWorkload(pod('p', {kind: 'Job', name: 'migrate'}))).toEqual({kind: 'Job', name: 'migrate'});
	});

	it('keeps other owners and turns bare and static pods into Pods', () => {
		expect(ownerWorkload(pod('db-0', {kind: 'StatefulSet', name: 'db'}))).toEqual({kind: 'StatefulSet', name: 'db'});
		expect(ownerWorkload(pod('agent-x', {kind: 'DaemonSet', name: 'agent'}))).toEqual({kind: 'DaemonSet', name: 'agent'});
		expect(ownerWorkload(pod('w', {kind: 'Workflow', name: 'wf'}))).toEqual({kind: 'Workflow', name: 'wf'});
		expect(ownerWorkload(pod('lonely', null))).toEqual({kind: 'Pod', name: 'lonely'});
		expect(ownerWorkload(pod('kube-apiserver-n1', {kind: 'Node', name: 'n1'}))).toEqual({kind: 'Pod', name: 'kube-apiserver-n1'});
	});

	it('recognises every owner in the real pod list', () => {
		const list = JSON.parse(readFileSync(`${real}/kubelet-podlist.k8s-v1.35.0.nri-kubernetes.json`, 'utf8'));
		const got = new Set<string>();
		for (const p of list.items) {
			const ref = (p.metadata.ownerReferences ?? []).find((o: any) => o.controller) ?? null;
			const w = ownerWorkload({namespace: p.metadata.namespace, name: p.metadata.name, owner: ref && {kind: ref.kind, name: ref.name}});
			got.add(`${p.metadata.namespace}/${w.kind}/${w.name}`);
		}

		expect([...got].sort()).toEqual(
			[
				'kube-system/DaemonSet/kindnet',
				'kube-system/DaemonSet/kube-proxy',
				'kube-system/Deployment/coredns',
				'kube-system/Deployment/metrics-server',
				'kube-system/Pod/etcd-datagen-1-35',
				'kube-system/Pod/kube-apiserver-datagen-1-35',
				'kube-system/Pod/kube-controller-manager-datagen-1-35',
				'kube-system/Pod/kube-scheduler-datagen-1-35',
				'kube-system/Pod/storage-provisioner',
				'scraper/CronJob/e2e-cronjob',
				'scraper/DaemonSet/e2e-daemonset',
				'scraper/Deployment/e2e-deployment',
				'scraper/Deployment/e2e-hpa',
				'scraper/Deployment/e2e-kube-state-metrics',
				'scraper/Deployment/e2e-scraper',
				'scraper/Job/e2e-failjob',
				'scraper/Pod/e2e-container-creating',
				'scraper/StatefulSet/e2e-statefulset',
			].sort(),
		);
	});
});

describe('spread and groups', () => {
	it('gives min, median, max of the finite values', () => {
		expect(spread([30, 10, Number.NaN, 20])).toEqual({min: 10, median: 20, max: 30});
		const empty = spread([]);
		expect(empty.min).toBeNaN();
		expect(empty.median).toBeNaN();
	});

	it('sums the members that hold memory, counts finished ones apart, and spreads working set across replicas', () => {
		const rs = {kind: 'ReplicaSet', name: 'web-7d9f8c6b5'};
		const pod = (namespace: string, name: string, ws: number | null, request: number | null, limit: number | null, live = true) => ({
			id: groupId({namespace, name, owner: rs}, 'workload'),
			live,
			workingSetBytes: ws,
			requestBytes: request,
			limitBytes: limit,
			restarts: 1,
		});
		const groups = groupByWorkload([
			pod('a', 'web-7d9f8c6b5-1', 100, 200, 400),
			pod('a', 'web-7d9f8c6b5-2', 300, 200, 400),
			pod('a', 'web-7d9f8c6b5-3', null, 200, null),
			pod('a', 'web-7d9f8c6b5-4', 6_000, 5_000, 9_000, false),
			pod('b', 'web-7d9f8c6b5-1', 50, null, 100),
		]);
		expect(groups.map(g => g.key)).toEqual(['a/Deployment/web', 'b/Deployment/web']);
		const [a, b] = groups;
		expect(a).toMatchObject({kind: 'Deployment', name: 'web', pods: 3, finished: 1, sampled: 2, workingSetBytes: 400, requestBytes: 600, limitBytes: null, restarts: 3, members: [0, 1, 2, 3]});
		expect(a!.spread).toEqual({min: 100, median: 200, max: 300});
		expect(b).toMatchObject({pods: 1, requestBytes: null, limitBytes: 100, workingSetBytes: 50, pctLimit: 50, members: [4]});
	});

	it('groups by namespace, and a group of finished pods sums to nothing', () => {
		const done = {id: groupId({namespace: 'batch', name: 'job-1', owner: null}, 'namespace'), live: false, workingSetBytes: 6e9, requestBytes: 6e9, limitBytes: 7e9, restarts: 0};
		const [g] = groupByWorkload([done, {...done}]);
		expect(g).toMatchObject({key: 'batch', kind: 'Namespace', pods: 0, finished: 2, workingSetBytes: null, requestBytes: null, limitBytes: null, level: 'ok'});
	});
});
