/**
 * UI state and its pure reducer: which view, the drill-down stack, selection per list, sort per
 * view, filter text, namespace, expanded pods, chart window, overlays. No store, no React here.
 */
import type {WorkloadGroupBy} from '../view/index.js';
import {initialSort, pickSort, type EventSortKey, type NodeSortKey, type PodSortKey, type Sort, type WorkloadSortKey} from '../view/sorts.js';

export type ViewName = 'pods' | 'nodes' | 'workloads' | 'events';
export const viewOrder: ViewName[] = ['pods', 'nodes', 'workloads', 'events'];

type Frame =
	| {kind: 'node'; name: string}
	| {kind: 'workload'; key: string}
	| {kind: 'pod'; key: string; container: string | null};

export interface ListState {
	/** key of the selected row (follows the row when the order changes) */
	key: string | null;
	/** index of the selected row when it was selected (used when the key is gone) */
	index: number;
	/** first visible row */
	top: number;
}

type Overlay =
	| {kind: 'help'; top: number}
	| {kind: 'namespace'; index: number}
	| {kind: 'selector'; text: string; pending: boolean; error: string};

interface Sorts {
	pods: Sort<PodSortKey>;
	nodes: Sort<NodeSortKey>;
	workloads: Sort<WorkloadSortKey>;
	events: Sort<EventSortKey>;
}

type ChartWindow = 300_000 | 900_000 | 3_600_000 | 21_600_000 | 86_400_000 | 604_800_000;
const chartWindows: ChartWindow[] = [300_000, 900_000, 3_600_000];
/** with a source for them (--prometheus): 6h, 24h, 7d after the windows held in memory */
const longWindows: ChartWindow[] = [21_600_000, 86_400_000, 604_800_000];

export interface UiState {
	view: ViewName;
	stack: Frame[];
	lists: Readonly<Record<string, ListState>>;
	sorts: Sorts;
	/** filter text per list */
	filters: Readonly<Record<string, string>>;
	/** typing into the filter of the current list */
	editing: boolean;
	/** client-side namespace scope; null = all */
	namespace: string | null;
	/** pods whose container rows are shown */
	expanded: ReadonlySet<string>;
	chartWindow: ChartWindow;
	groupBy: WorkloadGroupBy;
	/** leave finished pods (Succeeded, Failed, Evicted) out of the pods lists */
	hideFinished: boolean;
	overlay: Overlay | null;
	/** one line of feedback (selector applied, pod gone, ...) */
	message: string;
	/** a recording is replayed (its keys work) */
	replay?: boolean;
}

export function initialState(view: ViewName = 'pods'): UiState {
	return {
		view,
		stack: [],
		lists: {},
		sorts: {
			pods: initialSort('pods'),
			nodes: initialSort('nodes'),
			workloads: initialSort('workloads'),
			events: initialSort('events'),
		},
		filters: {},
		editing: false,
		namespace: null,
		expanded: new Set(),
		chartWindow: 900_000,
		groupBy: 'workload',
		hideFinished: false,
		overlay: null,
		message: '',
	};
}

/** the frame on top: a drill-down frame, or the view itself */
export function currentFrame(s: UiState): Frame | {kind: 'view'; view: ViewName} {
	return s.stack.at(-1) ?? {kind: 'view', view: s.view};
}

/** id of the list the user is moving in */
export function listId(s: UiState): string {
	const f = currentFrame(s);
	switch (f.kind) {
		case 'view':
			return f.view;
		case 'node':
			return `node:${f.name}`;
		case 'workload':
			return `workload:${f.key}`;
		case 'pod':
			return `pod:${f.key}`;
	}
}

/** which sort table applies to the current list */
export function sortScope(s: UiState): keyof Sorts | null {
	const f = currentFrame(s);
	if (f.kind === 'view') return f.view;
	if (f.kind === 'node' || f.kind === 'workload') return 'pods';
	return null;
}

const emptyList: ListState = {key: null, index: 0, top: 0};

export function listState(s: UiState, id = listId(s)): ListState {
	return s.lists[id] ?? emptyList;
}

export function filterOf(s: UiState, id = listId(s)): string {
	return s.filters[id] ?? '';
}

export type Action =
	| {type: 'view'; view: ViewName}
	| {type: 'nextView'}
	| {type: 'select'; list: string; key: string | null; index: number; top: number}
	| {type: 'sort'; scope: keyof Sorts; key: string}
	| {type: 'reverse'}
	| {type: 'filterStart'}
	| {type: 'filterInput'; text: string}
	| {type: 'filterBackspace'}
	| {type: 'filterDone'}
	| {type: 'filterCancel'}
	| {type: 'push'; frame: Frame}
	| {type: 'back'}
	| {type: 'toggleExpand'; key: string; open?: boolean}
	| {type: 'chartWindow'; long?: boolean}
	| {type: 'groupBy'}
	| {type: 'hideFinished'}
	| {type: 'overlay'; overlay: Overlay | null}
	| {type: 'namespace'; namespace: string | null}
	| {type: 'focusContainer'; container: string | null}
	| {type: 'message'; text: string};

export function reducer(s: UiState, a: Action): UiState {
	switch (a.type) {
		case 'view':
			if (s.view === a.view && s.stack.length === 0) return s;
			return {...s, view: a.view, stack: [], editing: false, message: ''};
		case 'nextView': {
			const i = viewOrder.indexOf(s.view);
			return {...s, view: viewOrder[(i + 1) % viewOrder.length]!, stack: [], editing: false, message: ''};
		}

		case 'select':
			return {...s, lists: {...s.lists, [a.list]: {key: a.key, index: a.index, top: a.top}}};
		case 'sort': {
			const next = pickSort(a.scope, s.sorts[a.scope] as Sort<string>, a.key);
			return {...s, sorts: {...s.sorts, [a.scope]: next}, lists: resetTop(s)};
		}

		case 'reverse': {
			const scope = sortScope(s);
			if (scope === null) return s;
			const cur = s.sorts[scope] as Sort<string>;
			return {...s, sorts: {...s.sorts, [scope]: {key: cur.key, desc: !cur.desc}}, lists: resetTop(s)};
		}

		case 'filterStart':
			return {...s, editing: true, message: ''};
		case 'filterInput': {
			const id = listId(s);
			return {...s, filters: {...s.filters, [id]: filterOf(s) + a.text}, lists: resetTop(s)};
		}

		case 'filterBackspace': {
			const id = listId(s);
			const f = filterOf(s);
			return {...s, filters: {...s.filters, [id]: f.slice(0, -1)}, lists: resetTop(s)};
		}

		case 'filterDone':
			return {...s, editing: false};
		case 'filterCancel': {
			const id = listId(s);
			return {...s, editing: false, filters: {...s.filters, [id]: ''}, lists: resetTop(s)};
		}

		case 'push':
			return {...s, stack: [...s.stack, a.frame], editing: false, message: ''};
		case 'back':
			if (s.stack.length === 0) return s;
			return {...s, stack: s.stack.slice(0, -1), editing: false, message: ''};
		case 'toggleExpand': {
			const open = a.open ?? !s.expanded.has(a.key);
			if (open === s.expanded.has(a.key)) return s;
			const expanded = new Set(s.expanded);
			if (open) expanded.add(a.key);
			else expanded.delete(a.key);
			return {...s, expanded};
		}

		case 'chartWindow': {
			const windows = a.long ? [...chartWindows, ...longWindows] : chartWindows;
			const i = windows.indexOf(s.chartWindow);
			return {...s, chartWindow: windows[(i + 1) % windows.length]!};
		}

		case 'hideFinished':
			return {...s, hideFinished: !s.hideFinished, lists: resetTop(s)};
		case 'groupBy':
			return {...s, groupBy: s.groupBy === 'workload' ? 'namespace' : 'workload', lists: {...s.lists, workloads: emptyList}};
		case 'overlay':
			return {...s, overlay: a.overlay};
		case 'namespace':
			return {...s, namespace: a.namespace, overlay: null, lists: resetTop(s), message: ''};
		case 'focusContainer': {
			const top = s.stack.at(-1);
			if (!top || top.kind !== 'pod') return s;
			return {...s, stack: [...s.stack.slice(0, -1), {...top, container: a.container}]};
		}

		case 'message':
			return {...s, message: a.text};
	}
}

/** a new order or a new filter starts at the top of the list */
function resetTop(s: UiState): Record<string, ListState> {
	const id = listId(s);
	if (!s.lists[id]) return s.lists;
	return {...s.lists, [id]: emptyList};
}

export type Move = number | 'top' | 'bottom';

/**
 * Where the selection goes for a movement in a list of `length` rows shown `page` at a time;
 * `current` is the index the selection is at now. Returns the new index and first visible row.
 */
export function move(current: number, top: number, length: number, page: number, m: Move): {index: number; top: number} {
	if (length <= 0) return {index: 0, top: 0};
	let index = m === 'top' ? 0 : m === 'bottom' ? length - 1 : current + m;
	index = Math.max(0, Math.min(length - 1, index));
	return {index, top: scrollTop(index, top, length, page)};
}

/** first visible row so that `index` is on screen, moving the window as little as possible */
export function scrollTop(index: number, top: number, length: number, page: number): number {
	const p = Math.max(1, page);
	let t = top;
	if (index < t) t = index;
	if (index >= t + p) t = index - p + 1;
	t = Math.min(t, Math.max(0, length - p));
	return Math.max(0, t);
}
