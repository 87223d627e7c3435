/**
 * What a pod's and a container's state mean for memory.
 * - A pod that has finished (Succeeded, Failed, Evicted — the kubelet sets phase Failed with
 *   reason Evicted) holds no memory: its cgroups are gone. Its last working set is history, not a
 *   figure: no table or sum counts it, and the node's committed requests leave it out, as the
 *   scheduler does.
 * - A container holds memory while it runs (or while its state is unknown); a completed init
 *   container, a terminated or a waiting container hold none.
 * - A pod with exactly one container that runs alongside the app (an app container, or a native
 *   sidecar) is that container: the pod's working set is the container's, and they share one
 *   history series. Any other pod keeps a series per container that metrics report.
 */
import type {ContainerRecord, PodRecord} from '../model/index.js';
import type {Level} from './percent.js';

/** false for a pod that has finished (Succeeded, Failed, Evicted): it holds no memory */
export function holdsMemory(p: Pick<PodRecord, 'phase'>): boolean {
	return p.phase !== 'Succeeded' && p.phase !== 'Failed';
}

/** false for a container that is not running now (a completed init container, a crashed or waiting one) */
export function containerHoldsMemory(c: Pick<ContainerRecord, 'state'>): boolean {
	return c.state === 'running' || c.state === 'unknown';
}

/** containers that run alongside the app: app containers and native sidecars (not plain init containers) */
export function runningKinds(p: Pick<PodRecord, 'containers'>): ContainerRecord[] {
	return p.containers.filter(c => c.kind !== 'init');
}

/** the pod's only container that runs alongside the app, when it has exactly one (then the pod is that container) */
export function soleContainer(p: Pick<PodRecord, 'containers'>): ContainerRecord | null {
	let only: ContainerRecord | null = null;
	const cs = p.containers;
	for (let i = 0; i < cs.length; i++) {
		const c = cs[i]!;
		if (c.kind === 'init') continue;
		if (only !== null) return null;
		only = c;
	}

	return only;
}

/** newest restart (finishedAt of the last termination) of these containers, epoch ms; what a forecast starts after */
export function lastRestart(containers: readonly ContainerRecord[]): number | null {
	let t: number | null = null;
	for (const c of containers) {
		const f = c.lastTermination?.finishedAt ?? null;
		if (f !== null && (t === null || f > t)) t = f;
	}

	return t;
}

/** the pod's state in one word, as kubectl's STATUS column says it: Running, Pending, Completed, Evicted, OOMKilled, CrashLoopBackOff, Init:… */
export function podStatus(p: PodRecord): string {
	if (p.deleting) return 'Terminating';
	if (p.reason !== '') return p.reason; // Evicted, NodeLost, ...
	for (const c of p.containers) {
		if (c.kind === 'init' && c.state !== 'terminated' && c.stateReason !== '' && p.phase === 'Pending') return `Init:${c.stateReason}`;
	}

	for (const c of p.containers) {
		if (c.kind !== 'init' && c.stateReason !== '' && c.state !== 'running' && c.stateReason !== 'Completed') return c.stateReason;
	}

	if (p.phase === 'Succeeded') return 'Completed';
	return p.phase === '' ? 'Unknown' : p.phase;
}

/** a container's state in one word: its reason when it has one (OOMKilled, CrashLoopBackOff, Completed), else running/waiting/terminated */
export function containerStatus(c: ContainerRecord): string {
	return c.stateReason !== '' ? c.stateReason : c.state;
}

/** Level of a pod or container status word: kills, evictions, crash loops and failures crit; anything on its way (pending, init, terminating, waiting) warn; finished info */
export function statusLevel(status: string): Level | 'info' {
	if (/OOM|Evicted|CrashLoop|Error|Failed|Unknown/.test(status)) return 'crit';
	if (/Pending|Init|Terminating|ContainerCreating|Waiting/.test(status)) return 'warn';
	if (status === 'Completed' || status === 'Succeeded') return 'info';
	return 'ok';
}
