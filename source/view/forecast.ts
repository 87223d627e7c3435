/**
 * Time to OOM, computed once per pod and per container for each version of the history (a metrics
 * poll, a backfill's notice), when first asked for: the pods table's OOM-IN column, its sort, the
 * pod drill-down's diagnosis and the JSON all read these.
 * - A container is forecast on its own series against its own limit, from the samples since its
 *   last restart; one that is not running has none.
 * - A pod that is its sole container is that container's forecast (its series is the pod's).
 * - Any other pod: the soonest of its containers (memory/forecast.ts `soonestForecast`), named.
 * - A finished pod has none.
 */
import {forecastOom, none, soonestForecast, type Forecast} from '../memory/forecast.js';
import {containerHoldsMemory, holdsMemory, lastRestart, runningKinds, soleContainer} from '../memory/pod-state.js';
import type {ContainerRecord, PodRecord} from '../model/index.js';
import {historyTag, type Source} from './source.js';

interface Entry {
	rec: PodRecord;
	pod: Forecast;
	containers: Map<string, Forecast>;
}

export class Forecasts {
	private entries = new Map<string, Entry>();
	private tag = '';
	private timesTag = '';
	private timesValue: Float64Array = new Float64Array(0);
	private scratch = new Float32Array(0);

	constructor(private readonly src: Source) {}

	/** chronological time column of the history, shared by every series */
	times(): Float64Array {
		const m = historyTag(this.src.snap);
		if (this.timesTag !== m) {
			this.timesValue = this.src.store.ring.times();
			this.timesTag = m;
		}

		return this.timesValue;
	}

	/** the pod's forecast (null: no such pod) */
	pod(podKey: string): Forecast | null {
		return this.entry(podKey)?.pod ?? null;
	}

	/** one container's forecast (null: no such pod or container) */
	container(podKey: string, name: string): Forecast | null {
		return this.entry(podKey)?.containers.get(name) ?? null;
	}

	private entry(podKey: string): Entry | null {
		// A forecast reads the pod's record and its history: history only moves with the metrics
		// and a backfill, and a changed pod is a new record. So a few pods changing keep the other
		// forecasts; each is computed when first asked for (the rows shown, the OOM-IN sort).
		const m = historyTag(this.src.snap);
		if (m !== this.tag) {
			this.entries = new Map();
			this.tag = m;
		}

		const p = this.src.store.pods.get(podKey);
		if (!p) return null;
		const hit = this.entries.get(podKey);
		if (hit && hit.rec === p) return hit;
		const e = this.compute(p);
		this.entries.set(podKey, e);
		return e;
	}

	private compute(p: PodRecord): Entry {
		const containers = new Map<string, Forecast>();
		const sole = soleContainer(p);
		for (const c of p.containers) containers.set(c.name, this.forContainer(p, c, sole === c));
		let pod: Forecast;
		if (!holdsMemory(p)) pod = none('not-running', 'pod finished');
		else if (sole !== null) pod = containers.get(sole.name)!;
		else if (p.containers.length === 0) pod = this.run(p.key, 'pod', '', p.limitBytes, null);
		else pod = soonestForecast(runningKinds(p).map(c => ({name: c.name, forecast: containers.get(c.name)!})));
		return {rec: p, pod, containers};
	}

	private forContainer(p: PodRecord, c: ContainerRecord, sole: boolean): Forecast {
		if (!holdsMemory(p)) return none('not-running', 'pod finished');
		if (!containerHoldsMemory(c)) return none('not-running', c.kind === 'init' ? 'init container not running' : `not running (${c.stateReason || c.state})`);
		// The sole container's cgroup limit is its own; the pod's adds only overhead.
		return this.run(p.key, sole ? 'pod' : 'container', c.name, c.limitBytes ?? (sole ? p.limitBytes : null), lastRestart([c]));
	}

	private run(podKey: string, kind: 'pod' | 'container', name: string, limit: number | null, startedAt: number | null): Forecast {
		if (limit === null) return none('no-limit', 'no limit');
		const times = this.times();
		if (times.length === 0) return none('too-little-history', 'no metrics yet');
		if (this.scratch.length !== times.length) this.scratch = new Float32Array(times.length);
		if (!this.src.store.seriesInto(kind, podKey, this.scratch, kind === 'container' ? name : undefined)) return none('too-little-history', 'no samples of its own yet');
		const now = this.src.snap.metricsTime ?? this.src.store.now();
		return forecastOom(times, this.scratch, limit, now, {startedAt});
	}
}
