/**
 * Fuzz of the way from the cluster's text to the terminal (issue 12, findings 1 and 15): random
 * strings of escape sequences, controls, bidi and zero-width characters, emoji, CJK, combining
 * marks and surrogate halves go into the API objects of pods, nodes and events, through the door
 * (convert.ts) into a store, and out through the real screen builder and the --once table. No line
 * may hold a control, bidi or zero-width code point, none may be wider than the screen (in cells,
 * by string-width), nothing may throw, and JSON gives every string back as sent.
 *
 * Seeded: every failure names the seed; MEMTOP_FUZZ_SEED=<n> replays it.
 */
import stringWidth from 'string-width';
import {describe, expect, it} from 'vitest';
import {jsonText, snapshotTable, table} from '../../../source/cli/output.js';
import {ApiError, NetworkError, describe as describeError} from '../../../source/kube/errors.js';
import {eventFromObject, MetricsBuilder, nodeFromObject, podFromObject} from '../../../source/kube/convert.js';
import {clean} from '../../../source/kube/sanitize.js';
import {Store} from '../../../source/store/store.js';
import {buildScreen} from '../../../source/ui/screen/index.js';
import {initialState, type UiState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {ViewModel} from '../../../source/view/index.js';

const seed = Number(process.env['MEMTOP_FUZZ_SEED'] ?? 20261201);
/** random pods, each with random strings in every text field; stores of `perStore` pods */
const iterations = 2000;
const perStore = 50;
const t0 = 1_764_583_200_000;

/** mulberry32 */
function prng(s: number): () => number {
	return () => {
		s = (s + 0x6d2b79f5) | 0;
		let t = Math.imul(s ^ (s >>> 15), 1 | s);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Rand, lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
const cp = (r: Rand, lo: number, hi: number): string => String.fromCodePoint(int(r, lo, hi));

const emoji = ['👨‍👩‍👧', '❤️‍🔥', '🏳️‍🌈', '👩🏽‍💻', '🏴‍☠️', '1️⃣', '☕', '⚡', '✅', '🚀', '🛸', '🫠', '🪿', '🇯🇵', '👍🏿'];
const pieces: Array<(r: Rand) => string> = [
	r => Array.from({length: int(r, 1, 8)}, () => pick(r, [...'abcxyz-._019'])).join(''),
	r => `\u001b[${int(r, 0, 108)}${pick(r, ['', ';1', ';5', ';8', ';38;5;196'])}${pick(r, [...'mHJKABCDsu'])}`,
	r => `\u001b]${pick(r, ['0;title', '8;;http://evil/', '52;c;cm0gLXJm', '4;1;rgb:ff/00/00'])}${pick(r, ['\u0007', '\u001b\\', ''])}`,
	r => pick(r, ['\u001bP+q\u001b\\', '\u001b_apc\u001b\\', '\u001bc', '\u001b7', '\u001b', '\u009b2J', '\u009d0;x\u009c']),
	r => cp(r, 0, 0x1f),
	r => cp(r, 0x7f, 0x9f),
	r => pick(r, ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c']),
	r => pick(r, ['\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u180e', '\u034f', '\u3164', '\u2028', '\u2029', '\ufe0f']),
	r => cp(r, 0xe0000, 0xe007f),
	r => pick(r, emoji),
	r => cp(r, 0x2600, 0x27bf),
	r => cp(r, 0x1f300, 0x1f6ff),
	r => cp(r, 0x1fa70, 0x1faff),
	r => cp(r, 0x4e00, 0x9fff) + cp(r, 0xac00, 0xd7a3) + cp(r, 0xff01, 0xff60),
	r => cp(r, 0x0300, 0x036f),
	r => String.fromCharCode(int(r, 0xd800, 0xdfff)),
	r => pick(r, ['\\', '\\x1b', '\\u200b', '\\\\']),
];

function randomText(r: Rand): string {
	const n = r() < 0.05 ? int(r, 60, 400) : int(r, 0, 8);
	let s = '';
	for (let i = 0; i < n; i++) s += pick(r, pieces)(r);
	return s;
}

/** every code point a terminal would act on or hide: controls, bidi, zero-width (a joiner inside an emoji is the emoji's) */
function hidden(line: string): string[] {
	const found: string[] = [];
	const cps = [...line];
	cps.forEach((ch, i) => {
		if (!/[\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u2069\ufeff\u00ad\u{e0000}-\u{e007f}]|\u200d/u.test(ch)) return;
		if (ch === '\u200d' && /[\p{Extended_Pictographic}\p{Emoji_Modifier}\ufe0f]/u.test(cps[i - 1] ?? '') && /\p{Extended_Pictographic}/u.test(cps[i + 1] ?? '')) return;
		found.push(`U+${ch.codePointAt(0)!.toString(16).padStart(4, '0')}`);
	});
	return found;
}

/** the test's own reading of an escaped string (sanitize.ts's escapes) back into the string it came from */
function original(s: string): string {
	const controls: Record<string, string> = {t: '\t', n: '\n', r: '\r'};
	return s.replace(/\\(?:(\\)|x([0-9a-f]{2})|u\{([0-9a-f]+)\}|u([0-9a-f]{4})|([tnr]))/g, (_m, backslash?: string, x?: string, braced?: string, u?: string, c?: string) =>
		backslash ? '\\' : c ? controls[c]! : String.fromCodePoint(parseInt((x ?? braced ?? u)!, 16)),
	);
}

interface Built {
	store: Store;
	texts: string[];
	podKeys: string[];
	nodeNames: string[];
}

function buildStore(r: Rand): Built {
	const store = new Store({now: () => t0, historySamples: 16, notifyIntervalMs: 0});
	const texts: string[] = [];
	const text = () => {
		const s = randomText(r);
		texts.push(s);
		return s;
	};

	store.setConnection({context: clean(text()), cluster: 'c', server: clean(text()), user: 'u', namespace: null, selector: '', metricsApi: 'metrics.k8s.io/v1beta1', demo: false});
	const nodeNames = Array.from({length: 4}, () => text());
	// (the door skips an item it finds malformed, an empty name for one)
	store.replaceNodes(nodeNames.map(name => nodeFromObject({metadata: {name, uid: name}, status: {capacity: {memory: '8Gi'}, allocatable: {memory: '7Gi'}, conditions: [{type: 'Ready', status: 'True'}]}})).filter(n => n !== null));
	const pods = Array.from({length: perStore}, () => {
		const container = text();
		const terminated = {reason: text(), message: text(), exitCode: 137, finishedAt: '2025-12-01T09:50:00Z'};
		return {
			metadata: {name: text(), namespace: text(), uid: text(), ownerReferences: [{kind: 'ReplicaSet', name: text(), controller: true}], creationTimestamp: '2025-12-01T09:00:00Z'},
			spec: {nodeName: pick(r, nodeNames), containers: [{name: container, resources: {requests: {memory: '100Mi'}, limits: {memory: '200Mi'}}}]},
			status: {phase: pick(r, ['Running', 'Pending', text()]), reason: text(), message: text(), containerStatuses: [{name: container, restartCount: int(r, 0, 3), lastState: {terminated}, state: r() < 0.5 ? {running: {}} : {waiting: {reason: text()}}}]},
		};
	});
	const records = pods.map(p => podFromObject(p)).filter(p => p !== null);
	store.replacePods(records);
	const metrics = new MetricsBuilder(t0);
	for (const p of pods) metrics.pod({metadata: p.metadata, timestamp: '2025-12-01T10:00:00Z', window: '15s', containers: [{name: p.spec.containers[0]!.name, usage: {memory: `${int(r, 1, 300)}Mi`}}]});
	for (const name of nodeNames) metrics.node({metadata: {name}, usage: {memory: '3Gi'}});
	store.applyMetrics(metrics.done());
	for (let i = 0; i < 8; i++) {
		const target = pick(r, pods);
		const event = eventFromObject({
			metadata: {uid: `e${i}`, namespace: target.metadata.namespace, name: text()},
			involvedObject: {kind: 'Pod', namespace: target.metadata.namespace, name: target.metadata.name},
			reason: pick(r, ['OOMKilling', 'Evicted', 'BackOff', text()]),
			message: text(),
			type: 'Warning',
			source: {component: text()},
			count: 2,
			firstTimestamp: '2025-12-01T09:58:00Z',
			lastTimestamp: '2025-12-01T09:59:00Z',
		});
		if (event) store.upsertEvent(event);
	}

	const failure = r() < 0.5 ? new ApiError(503, text(), text(), '/apis') : new NetworkError(text(), text());
	store.setBanner({id: 'metrics', level: 'error', text: `metrics unavailable (${describeError(failure)})`, since: t0});
	store.flush?.();
	return {store, texts, podKeys: records.map(p => p.key), nodeNames: records.map(p => p.nodeName)};
}

function states(b: Built, r: Rand): UiState[] {
	const base = initialState();
	return [
		base,
		{...base, expanded: new Set(b.podKeys)},
		initialState('nodes'),
		initialState('workloads'),
		initialState('events'),
		{...base, stack: [{kind: 'pod', key: pick(r, b.podKeys), container: null}]},
		{...initialState('nodes'), stack: [{kind: 'node', name: pick(r, b.nodeNames)}]},
		{...base, overlay: {kind: 'namespace', index: 0}},
	];
}

describe(`the way to the terminal, fuzzed (seed ${seed}, ${iterations} pods)`, () => {
	it('no line of the screens or the --once tables holds a control, bidi or zero-width code point, or is wider than the screen', () => {
		const r = prng(seed);
		const theme = makeTheme('none');
		let shown = 0;
		for (let n = 0; n < iterations / perStore; n++) {
			const b = buildStore(r);
			shown += b.podKeys.length;
			const vm = new ViewModel(b.store);
			const where = (what: string) => `seed ${seed}, store ${n}, ${what}`;
			for (const [i, state] of states(b, r).entries()) {
				for (const [width, height] of [[40, 16], [100, 30], [163, 50]] as const) {
					let lines: string[] = [];
					expect(() => (lines = buildScreen({vm, state, width, height, now: t0, theme}).lines.map(l => l.segs.map(s => s.text).join(''))), where(`screen ${i} at ${width}`)).not.toThrow();
					for (const line of lines) {
						expect(hidden(line), where(`screen ${i} at ${width}: ${JSON.stringify(line)}`)).toEqual([]);
						expect(stringWidth(line), where(`screen ${i} at ${width}: ${JSON.stringify(line)}`)).toBeLessThanOrEqual(width);
					}
				}
			}

			for (const view of ['pods', 'nodes', 'workloads', 'events'] as const) {
				for (const line of snapshotTable(vm, view, t0).split('\n')) expect(hidden(line), where(`--once ${view}: ${JSON.stringify(line)}`)).toEqual([]);
			}

			// the table pads by cells: no line is wider than its widest cells and the gaps between them
			const rows = vm.allPods().map(p => [p.namespace, p.name, p.status, p.node]);
			const widths = rows[0]!.map((_, c) => Math.max(...rows.map(row => stringWidth(row[c]!))));
			const full = widths.reduce((a, w) => a + w, 0) + 2 * (widths.length - 1);
			for (const line of table(rows).split('\n')) expect(stringWidth(line), where(`table: ${JSON.stringify(line)}`)).toBeLessThanOrEqual(full);
		}

		// the door skips a pod it finds malformed (an empty name, say): most get through
		expect(shown).toBeGreaterThan(iterations * 0.6);
	});

	it('an escaped string stands for one string only; JSON is inert and reads back what it was given', () => {
		const r = prng(seed + 1);
		for (let i = 0; i < iterations; i++) {
			const s = randomText(r);
			const shown = clean(s, 100_000);
			const where = `seed ${seed}, string ${i}: ${JSON.stringify(s)}`;
			expect(hidden(shown), where).toEqual([]);
			expect(original(shown), where).toBe(s);
			expect(clean(s, 40).length, where).toBeLessThanOrEqual(40);
			// a pod's name goes to JSON as sent, every other string escaped (the newlines left are JSON's own)
			const json = jsonText({raw: s, shown});
			expect(hidden(json).filter(c => c !== 'U+000a'), where).toEqual([]);
			expect(JSON.parse(json), where).toEqual({raw: s, shown});
		}
	});
});
