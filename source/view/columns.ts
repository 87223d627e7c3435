/**
 * Which columns stay longest when a table is narrower than its columns: one priority per column
 * id, higher stays longer. The TUI's tables (ui/screen/pods.ts, lists.ts) and the --once tables
 * (cli/output/columns.ts) both read this table, so a narrow terminal and `COLUMNS=80 memtop
 * --once` give up the same columns first. Columns only one of them has (the TUI's TREND, the
 * --once AGE) are here too.
 */
export const columnPriority = {
	pods: {namespace: 5, pod: 10, ws: 9, req: 6, lim: 7, pctreq: 4, pctlim: 8, oom: 6, psi: 3, qos: 3, rst: 5, status: 2, node: 1, trend: 4, age: 2, rss: 1},
	nodes: {node: 10, ws: 9, alloc: 7, pct: 9, req: 6, pctreq: 3, pods: 5, pressure: 8, avail: 4, psi: 3, trend: 2, status: 2, age: 1, capacity: 1},
	workloads: {namespace: 5, kind: 3, name: 10, pods: 8, done: 2, ws: 9, req: 6, lim: 6, pctlim: 7, spread: 8, rst: 4},
	events: {age: 10, time: 10, kind: 9, object: 9, count: 6, flags: 7, detail: 8},
} as const satisfies Record<string, Record<string, number>>;

export type ColumnTable = keyof typeof columnPriority;
