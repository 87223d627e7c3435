/**
 * What a chart shows for the selection: which series, and which reference lines. A pod with
 * several containers that have their own series gets a line per container; a pod that is its
 * sole container gets the pod's series against that container's request and limit; a node its
 * working set against allocatable and the point where the kubelet evicts (capacity − threshold).
 */
import {soleContainer, runningKinds} from '../memory/pod-state.js';
import type {PodRecord} from '../model/index.js';
import type {Series} from '../store/history.js';
import type {Source} from './source.js';

/** the pod (its namespace and name as the server sent them) or node a chart is of, for a window fetched elsewhere (view/long.ts) */
export type ChartSubject = {kind: 'pod'; namespace: string; name: string; container: string | null} | {kind: 'node'; name: string};

export interface ChartData {
	/** what the chart is of: "ns/pod", "ns/pod/container", "node/name" */
	title: string;
	series: Array<{name: string} & Series>;
	refs: Array<{label: string; value: number | null; kind: 'request' | 'limit'}>;
	subject?: ChartSubject;
	/** OOM kills to mark on the time axis (epoch ms) */
	marks?: number[];
	/** a word for the title (a long window loading, or why it has no data) */
	note?: string;
}

/** chart of a pod: one line per container when several have their own series, else the pod's working set */
export function podChart(src: Source, p: PodRecord, focus: string | null): ChartData {
	return {...podSeries(src, p, focus), subject: {kind: 'pod', namespace: p.rawNamespace, name: p.rawName, container: focus}};
}

function podSeries(src: Source, p: PodRecord, focus: string | null): ChartData {
	const store = src.store;
	const own = store.containerSeriesNames(p.key);
	const apps = runningKinds(p);
	if (own.length >= 2 || (focus !== null && own.includes(focus))) {
		const shown = focus !== null && own.includes(focus) ? [focus] : own.slice(0, 6);
		const series = shown.map(name => ({name, ...store.history('container', p.key, name)}));
		// Reference lines of the container in focus, else of the one closest to its limit.
		let ref = focus === null ? null : (p.containers.find(c => c.name === focus) ?? null);
		if (ref === null) {
			let best = -1;
			for (const c of apps) {
				const ws = store.containerWorkingSet(p.key, c.name);
				const r = c.limitBytes !== null && ws !== null ? ws / c.limitBytes : c.limitBytes !== null ? 0 : -1;
				if (r > best) {
					best = r;
					ref = c;
				}
			}
		}

		const suffix = ref && shown.length > 1 ? ` (${ref.name})` : '';
		return {
			title: shown.length === 1 ? `${p.key}/${shown[0]}` : p.key,
			series,
			refs: ref
				? [
						{label: `request${suffix}`, value: ref.requestBytes, kind: 'request'},
						{label: `limit${suffix}`, value: ref.limitBytes, kind: 'limit'},
					]
				: [],
		};
	}

	if (focus !== null && soleContainer(p)?.name !== focus) {
		// a container without a series of its own (a plain init container, one metrics never listed)
		const c = p.containers.find(x => x.name === focus) ?? null;
		return {
			title: `${p.key}/${focus}`,
			series: [],
			refs: [
				{label: 'request', value: c?.requestBytes ?? null, kind: 'request'},
				{label: 'limit', value: c?.limitBytes ?? null, kind: 'limit'},
			],
		};
	}

	const c = soleContainer(p);
	return {
		title: p.key,
		series: [{name: c?.name ?? p.name, ...store.history('pod', p.key)}],
		refs: [
			{label: 'request', value: c ? c.requestBytes : p.requestBytes, kind: 'request'},
			{label: 'limit', value: c ? c.limitBytes : p.limitBytes, kind: 'limit'},
		],
	};
}

/** chart of a node: working set against allocatable and the point where the kubelet evicts */
export function nodeChart(src: Source, name: string): ChartData {
	const n = src.store.nodes.get(name);
	const s = src.store.summary(name);
	const threshold = s?.status === 'ok' ? s.summary.evictionHardBytes : null;
	const capacity = n?.capacityBytes ?? null;
	return {
		subject: {kind: 'node', name},
		title: `node/${name}`,
		series: [{name, ...src.store.history('node', name)}],
		refs: [
			{label: 'allocatable', value: n?.allocatableBytes ?? null, kind: 'request'},
			{label: 'evicts at', value: capacity !== null && threshold !== null ? capacity - threshold : null, kind: 'limit'},
		],
	};
}

/** chart of a workload: its given replicas (largest first), one line each; reference lines when all share them */
export function workloadChart(src: Source, title: string, podKeys: readonly string[]): ChartData {
	const pods = podKeys.map(k => src.store.pods.get(k)).filter((p): p is PodRecord => p !== undefined);
	const same = (f: (p: PodRecord) => number | null) => (pods.length > 0 && pods.every(p => f(p) === f(pods[0]!)) ? f(pods[0]!) : null);
	return {
		title,
		series: pods.map(p => ({name: p.name, ...src.store.history('pod', p.key)})),
		refs: [
			{label: 'request', value: same(p => p.requestBytes), kind: 'request'},
			{label: 'limit', value: same(p => p.limitBytes), kind: 'limit'},
		],
	};
}
