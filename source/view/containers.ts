/**
 * Container rows: a container's own figures, never a neighbour's. Its working set comes from its
 * own series (or the pod's, when the pod is its sole container: store.ts decides that once); a
 * container that is not running (a completed init container, a crashed one) holds no memory and
 * shows none; the Summary API breakdown carries its sample time (memory/breakdown.ts).
 */
import {alignBreakdown, type BreakdownView} from '../memory/breakdown.js';
import type {Forecast} from '../memory/forecast.js';
import {percentOf, usageLevel, type Level} from '../memory/percent.js';
import {containerHoldsMemory, containerStatus, holdsMemory} from '../memory/pod-state.js';
import type {ContainerRecord} from '../model/index.js';
import type {Forecasts} from './forecast.js';
import type {Source} from './source.js';

export interface ContainerRow {
	podKey: string;
	name: string;
	kind: ContainerRecord['kind'];
	/** null when unknown, or when the container holds no memory (not running, pod finished) */
	workingSet: number | null;
	request: number | null;
	limit: number | null;
	pctRequest: number | null;
	pctLimit: number | null;
	level: Level;
	restarts: number;
	state: ContainerRecord['state'];
	/** what to show as its state: OOMKilled, CrashLoopBackOff, Completed, running, … */
	status: string;
	record: ContainerRecord;
	/** Summary API breakdown with its sample time, null when not available */
	breakdown: BreakdownView | null;
	/** has a history series (its own, or the pod's when the pod is its sole container) */
	hasSeries: boolean;
	forecast: Forecast | null;
}

export function containerRows(src: Source, forecasts: Forecasts, podKey: string): ContainerRow[] {
	const store = src.store;
	const p = store.pods.get(podKey);
	if (!p) return [];
	const breakdowns = store.podBreakdown(podKey);
	const live = holdsMemory(p);
	return p.containers.map(c => {
		const ws = live && containerHoldsMemory(c) ? store.containerWorkingSet(podKey, c.name) : null;
		const pctLimit = percentOf(ws, c.limitBytes);
		const b = breakdowns?.containers.get(c.name) ?? null;
		return {
			podKey,
			name: c.name,
			kind: c.kind,
			workingSet: ws,
			request: c.requestBytes,
			limit: c.limitBytes,
			pctRequest: percentOf(ws, c.requestBytes),
			pctLimit,
			level: usageLevel(pctLimit),
			restarts: c.restarts,
			state: c.state,
			status: containerStatus(c),
			record: c,
			breakdown: b === null || !live ? null : alignBreakdown(b, ws, src.snap.metricsTime, store.metricsWindowMs),
			hasSeries: store.hasSeries('container', podKey, c.name),
			forecast: forecasts.container(podKey, c.name),
		};
	});
}
