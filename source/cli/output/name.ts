/**
 * `--once -o name`: one `resource/name` a line, as `kubectl get -o name` prints them (`pod/web-1`,
 * `node/n1`, `deployment.apps/web`): no namespace, even across namespaces, as kubectl.
 */
import type {ViewModel} from '../../view/index.js';
import type {View} from '../flags.js';
import {workloadRows} from './json.js';

/** a workload kind as kubectl names its resource (kind, lowercased, with its API group) */
const resources: Record<string, string> = {
	Deployment: 'deployment.apps',
	ReplicaSet: 'replicaset.apps',
	StatefulSet: 'statefulset.apps',
	DaemonSet: 'daemonset.apps',
	Job: 'job.batch',
	CronJob: 'cronjob.batch',
	Pod: 'pod',
};

export function resourceOf(kind: string): string {
	return resources[kind] ?? kind.toLowerCase();
}

export function snapshotNames(vm: ViewModel, view: Exclude<View, 'events'>): string {
	let names: string[];
	if (view === 'nodes') names = vm.allNodes().map(n => `node/${n.name}`);
	else if (view === 'workloads') names = workloadRows(vm).map(w => `${resourceOf(w.kind)}/${w.name}`);
	else names = vm.allPods().map(p => `pod/${p.name}`);
	return names.length === 0 ? '' : names.join('\n') + '\n';
}
