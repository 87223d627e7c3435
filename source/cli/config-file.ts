/**
 * The config file: defaults for the flags and the screen, `$XDG_CONFIG_HOME/memtop/config.yaml`
 * (else `~/.config/memtop/config.yaml`, or `--config FILE`). Flags win over it. A file that is not
 * there is no config; a key that is wrong is one line naming the file and the key, and memtop
 * goes on with that key's default (a bad config never keeps memtop from starting). A `--config`
 * file that does not exist is a bad flag: one line, exit 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {MemtopError} from '../kube/errors.js';
import {clean} from '../kube/sanitize.js';
import {parseYaml} from '../kube/yaml.js';
import {parseDuration} from '../memory/quantity.js';
import {sortTables, type ListName} from '../view/sorts.js';

export type View = 'pods' | 'nodes' | 'events' | 'workloads';
const views: readonly View[] = ['pods', 'nodes', 'events', 'workloads'];

export interface FileConfig {
	view?: View;
	/** the first order of each list: a sort id of view/sorts.ts, in its first-press direction */
	sort?: Partial<Record<ListName, string>>;
	namespaceScope?: 'context' | 'all';
	metricsIntervalMs?: number;
	historyMs?: number;
	/** % of limit / allocatable where figures turn yellow and red (memory/percent.ts) */
	thresholds?: {warn: number; crit: number};
	/** auto: colour unless NO_COLOR or TERM=dumb; true/false: always/never */
	colors?: 'auto' | boolean;
	/** where history comes from, as --prometheus URL|auto / --prometheus-service NS/NAME:PORT / --prometheus-labels */
	prometheus?: string;
	prometheusService?: string;
	prometheusLabels?: string;
}

export interface LoadedConfig {
	/** the file read, null when there is none */
	file: string | null;
	config: FileConfig;
	/** one line per bad key (or the whole file), naming the file and the key */
	problems: string[];
}

/** where the config file is looked for when --config is not given */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
	const xdg = env['XDG_CONFIG_HOME'];
	const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(env['HOME'] ?? os.homedir(), '.config');
	return path.join(base, 'memtop', 'config.yaml');
}

const show = (v: unknown): string => clean(typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v), 60);

type Reader = (value: unknown, key: string) => string | null;

/** each key: read it into `out`, or say what is wrong with it */
function readers(out: FileConfig): Record<string, Reader> {
	const duration = (value: unknown, min: number, max: number, set: (ms: number) => void, example: string): string | null => {
		const ms = typeof value === 'number' ? value * 1000 : typeof value === 'string' ? parseDuration(value) : null;
		if (ms === null || !Number.isFinite(ms)) return `${show(value)} is not a duration (e.g. ${example})`;
		if (ms < min || ms > max) return `${show(value)} is out of range (${example})`;
		set(Math.round(ms));
		return null;
	};

	return {
		view(v) {
			if (typeof v !== 'string' || !views.includes(v as View)) return `${show(v)} is not a view (${views.join(', ')})`;
			out.view = v as View;
			return null;
		},
		namespaceScope(v) {
			if (v !== 'context' && v !== 'all') return `${show(v)} is not context or all`;
			out.namespaceScope = v;
			return null;
		},
		metricsInterval: v => duration(v, 1000, 3_600_000, ms => (out.metricsIntervalMs = ms), '15s, between 1s and 1h'),
		history: v => duration(v, 60_000, 7 * 24 * 3_600_000, ms => (out.historyMs = ms), '1h, between 1m and 7d'),
		prometheus(v) {
			if (typeof v !== 'string' || !(v === 'auto' || /^https?:\/\/[^\s]+$/.test(v))) return `${show(v)} is not auto or an http(s):// URL`;
			if (out.prometheusService !== undefined) return 'prometheus and prometheusService exclude each other';
			out.prometheus = v;
			return null;
		},
		prometheusService(v) {
			if (typeof v !== 'string' || !/^[a-z0-9-]+\/[a-z0-9-]+:[a-z0-9-]+$/.test(v)) return `${show(v)} is not NAMESPACE/NAME:PORT`;
			if (out.prometheus !== undefined) return 'prometheus and prometheusService exclude each other';
			out.prometheusService = v;
			return null;
		},
		prometheusLabels(v) {
			if (typeof v !== 'string' || !/^[a-z]+=[a-zA-Z_][a-zA-Z0-9_]*(,[a-z]+=[a-zA-Z_][a-zA-Z0-9_]*)*$/.test(v)) return `${show(v)} is not KEY=LABEL,… (e.g. pod=pod_name)`;
			out.prometheusLabels = v;
			return null;
		},
		colors(v) {
			if (v !== 'auto' && typeof v !== 'boolean') return `${show(v)} is not auto, true or false`;
			out.colors = v;
			return null;
		},
		thresholds(v, key) {
			if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'is not a mapping (warn: 85, crit: 95)';
			const t = v as Record<string, unknown>;
			const extra = Object.keys(t).find(k => k !== 'warn' && k !== 'crit');
			if (extra !== undefined) return `${key}.${clean(extra, 40)}: unknown key (warn, crit)`;
			const warn = t['warn'] ?? 85;
			const crit = t['crit'] ?? 95;
			if (typeof warn !== 'number' || typeof crit !== 'number') return `warn and crit are percentages (numbers), got ${show(warn)}, ${show(crit)}`;
			if (!(warn > 0 && warn < crit && crit <= 100)) return `needs 0 < warn < crit <= 100, got warn ${warn}, crit ${crit}`;
			out.thresholds = {warn, crit};
			return null;
		},
		sort(v, key) {
			if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'is not a mapping (e.g. pods: pctLimit)';
			const sort: Partial<Record<ListName, string>> = {};
			for (const [list, id] of Object.entries(v as Record<string, unknown>)) {
				const ids = (sortTables as Record<string, ReadonlyArray<{id: string}> | undefined>)[list]?.map(d => d.id);
				if (!ids) return `${key}.${clean(list, 40)}: not a list (pods, nodes, workloads, events)`;
				if (typeof id !== 'string' || !ids.includes(id)) return `${key}.${list}: ${show(id)} is not one of ${ids.join(', ')}`;
				sort[list as ListName] = id;
			}

			out.sort = sort;
			return null;
		},
	};
}

/** the config as data, with what is wrong with it; the file's text is from outside: every quote of it is escaped */
export function readConfigText(text: string, file: string): LoadedConfig {
	const where = `config ${file}`;
	const parsed = parseYaml(text);
	if ('error' in parsed) return {file, config: {}, problems: [`${where}: not YAML (${clean(parsed.error, 120)}); using the defaults`]};
	if (parsed.value === null || parsed.value === undefined) return {file, config: {}, problems: []};
	if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) return {file, config: {}, problems: [`${where}: not a mapping of settings; using the defaults`]};
	const config: FileConfig = {};
	const read = readers(config);
	const problems: string[] = [];
	for (const [key, value] of Object.entries(parsed.value as Record<string, unknown>)) {
		const reader = Object.hasOwn(read, key) ? read[key] : undefined;
		const problem = reader ? reader(value, key) : `unknown key (known: ${Object.keys(read).join(', ')})`;
		if (problem === null) continue;
		problems.push(problem.startsWith(`${key}.`) ? `${where}: ${problem}; using its default` : `${where}: ${clean(key, 40)}: ${problem}; using its default`);
	}

	return {file, config, problems};
}

/** the config file: --config's (which must exist), or the default path's when it is there */
export function loadConfig(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
	const file = explicit ?? configPath(env);
	let text: string;
	try {
		if (fs.statSync(file).isDirectory()) throw Object.assign(new Error('is a directory'), {code: 'EISDIR'});
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (explicit === undefined && code === 'ENOENT') return {file: null, config: {}, problems: []};
		const why = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? 'error'})`;
		if (explicit !== undefined) throw new MemtopError(`--config: ${file} ${why}`, 2);
		return {file, config: {}, problems: [`config ${file} ${why}; using the defaults`]};
	}

	if (text.length > 1 << 20) return {file, config: {}, problems: [`config ${file} is larger than 1 MiB; using the defaults`]};
	return readConfigText(text, file);
}
