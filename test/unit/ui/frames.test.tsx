/**
 * Exact frames of the real app (ink-testing-library), at a fixed viewport and clock, with
 * NO_COLOR-style output. Each test checks the whole frame, that it is exactly as tall as the
 * viewport, never wider, and which line carries the selection bar.
 */
import {writeFileSync} from 'node:fs';
import {afterAll, describe, expect, it} from 'vitest';
import {cellWidth} from '../../../source/ui/text.js';
import {keys, mount, type Mounted} from './helpers.js';

const dumped: Array<[string, string]> = [];
afterAll(() => {
	if (process.env['FRAMES_DUMP']) writeFileSync(process.env['FRAMES_DUMP'], JSON.stringify(dumped));
});

function expectFrame(m: Mounted, height: number, width: number, expected: string): void {
	const lines = m.lines();
	expect(lines.length).toBe(height);
	for (const l of lines) expect(cellWidth(l)).toBeLessThanOrEqual(width);
	const received = lines.map(l => l.trimEnd()).join('\n');
	if (process.env['FRAMES_DUMP']) dumped.push([expected.slice(1, -1), received]);
	else expect(received).toBe(expected.slice(1, -1));
}

/** shop/leaky-api-0's chart at 100 columns: the same rows in the pods view and in its drill-down (one more row on top there) */
const leakyApiChart = ` 560Mi ┤
 480Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
 400Mi ┤                                                        ╭──────────────────────────────────
 320Mi ┤                ╭───────────────────────────────────────╯
 240Mi ┼────────────────╯
 160Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
  80Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
   0Mi ┤`;

describe('frames', () => {
	it("pods view at 100×30", async () => {
		const m = await mount({width: 100, height: 30});
		expectFrame(m, 30, 100, `
memtop │ ctx kind-memtop │ https://127.0.0.1:6443 │ ns all │ 5 pods 2 nodes │ metrics 7s ago
[1 Pods] 2 Nodes  3 Workloads  4 Events
 NAMESPACE POD                      ↓WS    REQ    LIM  %REQ  %LIM  OOM-IN   PSI QOS    RST TREND
▸shop      leaky-api-0            477Mi  192Mi  576Mi  248%   83%      6m   14% Burst    2 ▇▇▇▇▇▇▇▇▇
 shop      web-7d9f8c6b5-q8w4z    232Mi  128Mi  256Mi  181%   91%       -     - Burst    0 █████████
 shop      web-7d9f8c6b5-x2k9p    153Mi  128Mi  256Mi  120%   60%       -     - Burst    0 ▅▅▅▅▅▅▅▅▅
 batch     report-28473600-abcde   80Mi      -      -     -     -       -     - BE       0 █████████
 kube-sys… coredns-5d78c9869d-9…   20Mi   70Mi  170Mi   29%   12%       -     - Burst    0 ▁▁▁▁▁▁▁▁▁








── shop/leaky-api-0 api ━ proxy ━ request (api) 128Mi ━ limit (api) 512Mi ━ ───────────── 15m (v) ──
${leakyApiChart}
       -15m                 -11m                    -7m                   -4m                   now
── recent OOM kills, evictions, node memory events ────────────────────────── 3 entries: 4 Events ──
    2m MemoryPressure  node/worker-2 MemoryPressure=True
    5m Evicted         batch/report-old The node was low on resource: memory. Threshold quantity: 1…
 Enter open  Esc back  / filter  mzxo… sort  r reverse  : ns  = labels  Tab view  ? help  q quit
`);
		expect(m.selected()).toEqual(["▸shop      leaky-api-0            477Mi  192Mi  576Mi  248%   83%      6m   14% Burst    2 ▇▇▇▇▇▇▇▇▇"]);
		m.unmount();
	});

	it("pods view at 80×24 (narrow: fewer columns, names cut with …)", async () => {
		const m = await mount({width: 80, height: 24});
		expectFrame(m, 24, 80, `
memtop │ ctx kind-memtop │ ns all │ 5 pods 2 nodes │ metrics 7s ago
[1 Pods] 2 Nodes  3 Workloads  4 Events
 NAMESPACE POD                     ↓WS    REQ    LIM  %LIM  OOM-IN  RST TREND
▸shop      leaky-api-0           477Mi  192Mi  576Mi   83%      6m    2 ▇▇▇▇▇▇▇▇
 shop      web-7d9f8c6b5-q8w4z   232Mi  128Mi  256Mi   91%       -    0 ████████
 shop      web-7d9f8c6b5-x2k9p   153Mi  128Mi  256Mi   60%       -    0 ▅▅▅▅▅▅▅▅
 batch     report-28473600-abc…   80Mi      -      -     -       -    0 ████████
 kube-sys… coredns-5d78c9869d-…   20Mi   70Mi  170Mi   12%       -    0 ▁▁▁▁▁▁▁▁





── shop/leaky-api-0 api ━ proxy ━ request (api) 128Mi ━ limit (api) 512Mi ━  15…
 600Mi ┤
 480Mi ┼───────────────────────────────────────────────────────────────────╭───
 360Mi ┤                   ╭───────────────────────────────────────────────╯
 240Mi ┼───────────────────╯
 120Mi ┼───────────────────────────────────────────────────────────────────────
   0Mi ┼───────────────────────────────────────────────────────────────────────
       -15m            -11m               -7m              -4m              now
── recent OOM kills, evictions, node memory events ────── 3 entries: 4 Events ──
    2m MemoryPressure  node/worker-2 MemoryPressure=True
 Enter open  Esc back  / filter  mzxo… sort  r reverse  : ns  ? help  q quit
`);
		expect(m.selected()).toEqual(["▸shop      leaky-api-0           477Mi  192Mi  576Mi   83%      6m    2 ▇▇▇▇▇▇▇▇"]);
		m.unmount();
	});

	it("pod drill-down: containers with the Summary breakdown, one chart line per container, diagnosis", async () => {
		const m = await mount({width: 100, height: 30});
		await m.press("\r");
		expectFrame(m, 30, 100, `
memtop │ ctx kind-memtop │ https://127.0.0.1:6443 │ ns all │ 5 pods 2 nodes │ metrics 7s ago
[1 Pods] 2 Nodes  3 Workloads  4 Events  › shop/leaky-api-0                                 Esc back
 shop/leaky-api-0 · Running · node worker-2 · Burstable · priority 0 · restarts 2 · age 2h
 CONTAINER   KIND        WS    RSS  CACHE   USAGE    REQ    LIM  %LIM RST STATE        LAST EXIT
 (whole pod)          477Mi
 api         app      427Mi  380Mi   90Mi   470Mi  128Mi  512Mi   83%   2 running      OOMKilled 13…
 proxy       app       50Mi   20Mi   30Mi    50Mi   64Mi   64Mi   78%   0 running      -
── shop/leaky-api-0 api ━ proxy ━ request (api) 128Mi ━ limit (api) 512Mi ━ ───────────── 15m (v) ──
 600Mi ┤
 500Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
 400Mi ┤                                                   ╭───────────────────────────────────────
 300Mi ┼───────────────────────────────────────────────────╯
 200Mi ┤
 100Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
   0Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
       -15m                 -11m                    -7m                   -4m                   now
 memory stall                                    █ 14% some · 4% full (10 s)
── diagnosis: whole pod ────────────────────────────────────────────────────────────────────────────
 QoS              Burstable · oom_score_adj 975…988 (band 3…999)
 Request / limit  request 192Mi · limit 576Mi
 Limit / request  3.0× — over-committed (> 2)
 Working set      477Mi · 83% of limit · 248% of request
 Memory stall     stall 14 % some · 4 % full (10 s; 7 % some over 60 s)
 Time to OOM      api: OOM in 6m
 Last termination api: OOMKilled · exit 137 · 20m ago
 Restarts         2 · 1 OOM kill in the last hour
 Observed         recommendations are per container: select one
 Recommended      none
 Node             worker-2 · 93% of allocatable (3.7Gi of 4Gi) · 250Mi available, 150Mi above the h…
 ↓/j move  Enter open  Esc back  / filter  : ns  = labels  Tab view  v window  ? help  q quit
`);
		expect(m.selected()).toEqual([" (whole pod)          477Mi"]);
		m.unmount();
	});

	it("node drill-down: eviction order, distance to the threshold, its pods", async () => {
		const m = await mount({width: 100, height: 30});
		await m.press("2", "\r");
		expectFrame(m, 30, 100, `
memtop │ ctx kind-memtop │ https://127.0.0.1:6443 │ ns all │ 5 pods 2 nodes │ metrics 7s ago
 1 Pods [2 Nodes] 3 Workloads  4 Events  › node/worker-2                                    Esc back
 node/worker-2 · WS 3.7Gi of 4Gi allocatable (93% alloc) · capacity 5Gi · requests 320Mi (8%) · 3 p…
 memory.available 250Mi · hard eviction threshold 100Mi (kubelet default) · 150Mi above it
 memory stall                                    █ 13% some · 3% full (10 s) · faults - · major -
── eviction order under memory pressure (kubelet: above request first, then priority, then excess) …
 WS·KLT: the kubelet's own (Summary, 7s ago), what it ranks by; WS·MET: metrics.k8s.io, as the pods…
   # POD                               WS·KLT WS·MET    REQ OVER-REQ   PRIORITY QOS   NOTE
   1 shop/leaky-api-0                   477Mi  477Mi  192Mi   +285Mi          0 Burst
   2 shop/web-7d9f8c6b5-q8w4z           232Mi  232Mi  128Mi   +104Mi          0 Burst
   3 batch/report-28473600-abcde         80Mi   80Mi      -    +80Mi          0 BE
── pods on node/worker-2 ───────────────────────────────────────────────────────────────────────────
 NAMESPACE POD                      ↓WS    REQ    LIM  %REQ  %LIM  OOM-IN   PSI QOS    RST TREND
▸shop      leaky-api-0            477Mi  192Mi  576Mi  248%   83%      6m   14% Burst    2 ▇▇▇▇▇▇▇▇▇
 shop      web-7d9f8c6b5-q8w4z    232Mi  128Mi  256Mi  181%   91%       -     - Burst    0 █████████
 batch     report-28473600-abcde   80Mi      -      -     -     -       -     - BE       0 █████████






── shop/leaky-api-0 api ━ proxy ━ request (api) 128Mi ━ limit (api) 512Mi ━ ───────────── 15m (v) ──
 600Mi ┤
 450Mi ┼───────────────────────────────────────────────────────────────╭───────────────────────────
 300Mi ┼───────────────────────────────────────────────────────────────╯
 150Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
   0Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
       -15m                 -11m                    -7m                   -4m                   now
 Enter open  Esc back  / filter  mzxo… sort  r reverse  : ns  = labels  Tab view  ? help  q quit
`);
		expect(m.selected()).toEqual(["▸shop      leaky-api-0            477Mi  192Mi  576Mi  248%   83%      6m   14% Burst    2 ▇▇▇▇▇▇▇▇▇"]);
		m.unmount();
	});

	it("nodes view", async () => {
		const m = await mount({width: 100, height: 24});
		await m.press("2");
		expectFrame(m, 24, 100, `
memtop │ ctx kind-memtop │ https://127.0.0.1:6443 │ ns all │ 5 pods 2 nodes │ metrics 7s ago
 1 Pods [2 Nodes] 3 Workloads  4 Events
 NODE                WS  ALLOC ↓%ALLOC  REQUESTS  %REQ  PODS PRESSURE    AVAIL/EVICT   PSI TREND
 worker-2         3.7Gi    4Gi     93%     320Mi    8%     3 Memory      250Mi/100Mi   13% █████████
 worker-1         3.2Gi   15Gi     22%     198Mi    1%     2 -                   n/a     - ▂▂▂▂▂▂▂▂▂








── node/worker-2 allocatable 4Gi ━ evicts at 4.9Gi ━ ──────────────────────────────────── 15m (v) ──
 5.2Gi ┤
 4.8Gi ┼───────────────────────────────────────────────────────────────────────────────────────────
 4.4Gi ┤
 4.0Gi ┼───────────────────────────────────────────────────────────────────────────────────────────
 3.6Gi ┼───────────────────────────────────────────────────────────────────────────────────────────
 3.2Gi ┤
       -15m                 -11m                    -7m                   -4m                   now
── recent OOM kills, evictions, node memory events ────────────────────────── 3 entries: 4 Events ──
    2m MemoryPressure  node/worker-2 MemoryPressure=True
 Enter open  Esc back  / filter  zmxu… sort  r reverse  : ns  = labels  Tab view  ? help  q quit
`);
		expect(m.selected()).toEqual([" worker-2         3.7Gi    4Gi     93%     320Mi    8%     3 Memory      250Mi/100Mi   13% █████████"]);
		m.unmount();
	});

	it("workloads view with the spread across replicas", async () => {
		const m = await mount({width: 100, height: 24});
		await m.press("3");
		expectFrame(m, 24, 100, `
memtop │ ctx kind-memtop │ https://127.0.0.1:6443 │ ns all │ 5 pods 2 nodes │ metrics 7s ago
 1 Pods  2 Nodes [3 Workloads] 4 Events
 NAMESPACE KIND        WORKLOAD            PODS    ↓WS    REQ    LIM  %LIM       MIN/MEDIAN/MAX  RST
 shop      StatefulSet leaky-api              1  477Mi  192Mi  576Mi   83%                477Mi    2
 shop      Deployment  web                    2  385Mi  256Mi  512Mi   75%    153Mi/193Mi/232Mi    0
 batch     CronJob     report                 1   80Mi      -      -     -                 80Mi    0
 kube-sys… Deployment  coredns                1   20Mi   70Mi  170Mi   12%                 20Mi    0






── StatefulSet shop/leaky-api request 192Mi ━ limit 576Mi ━ ───────────────────────────── 15m (v) ──
 600Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
 500Mi ┤                                                                             ╭─────────────
 400Mi ┤                         ╭───────────────────────────────────────────────────╯
 300Mi ┼─────────────────────────╯
 200Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
 100Mi ┤
       -15m                 -11m                    -7m                   -4m                   now
── recent OOM kills, evictions, node memory events ────────────────────────── 3 entries: 4 Events ──
    2m MemoryPressure  node/worker-2 MemoryPressure=True
 Enter open  Esc back  / filter  mzxc… sort  r reverse  : ns  = labels  Tab view  ? help  q quit
`);
		expect(m.selected()).toEqual([" shop      StatefulSet leaky-api              1  477Mi  192Mi  576Mi   83%                477Mi    2"]);
		m.unmount();
	});

	it("events view (the feed)", async () => {
		const m = await mount({width: 100, height: 24});
		await m.press("4");
		expectFrame(m, 24, 100, `
memtop │ ctx kind-memtop │ https://127.0.0.1:6443 │ ns all │ 5 pods 2 nodes │ metrics 7s ago
 1 Pods  2 Nodes  3 Workloads [4 Events]
   ↓AGE KIND            OBJECT                       COUNT FLAGS        REASON / MESSAGE
     2m MemoryPressure  node/worker-2                    1              MemoryPressure=True
     5m Evicted         batch/report-old                 1              The node was low on resourc…
    20m OOMKilled       shop/leaky-api-0/api             1              exit 137 · OOMKilled












── entry ──────────────────────────────────────────────────────────── Enter: open its pod or node ──
 MemoryPressure · node/worker-2 · seen via node · count 1
 MemoryPressure · MemoryPressure=True


 Enter open  Esc back  / filter  tyac sort  r reverse  : ns  = labels  Tab view  ? help  q quit
`);
		expect(m.selected()).toEqual(["     2m MemoryPressure  node/worker-2                    1              MemoryPressure=True"]);
		m.unmount();
	});

	it("container rows under an expanded pod", async () => {
		const m = await mount({width: 100, height: 24});
		await m.press(" ");
		expectFrame(m, 24, 100, `
memtop │ ctx kind-memtop │ https://127.0.0.1:6443 │ ns all │ 5 pods 2 nodes │ metrics 7s ago
[1 Pods] 2 Nodes  3 Workloads  4 Events
 NAMESPACE POD                      ↓WS    REQ    LIM  %REQ  %LIM  OOM-IN   PSI QOS    RST TREND
▾shop      leaky-api-0            477Mi  192Mi  576Mi  248%   83%      6m   14% Burst    2 ▇▇▇▇▇▇▇▇▇
   └ api  rss 380Mi cache 90Mi …  427Mi  128Mi  512Mi  334%   83%           14%          2 ▇▇▇▇▇▇▇▇▇
   └ proxy  rss 20Mi cache 30Mi…   50Mi   64Mi   64Mi   78%   78%            0%          0 ▇▇▇▇▇▇▇▇▇
 shop      web-7d9f8c6b5-q8w4z    232Mi  128Mi  256Mi  181%   91%       -     - Burst    0 █████████
 shop      web-7d9f8c6b5-x2k9p    153Mi  128Mi  256Mi  120%   60%       -     - Burst    0 ▅▅▅▅▅▅▅▅▅
 batch     report-28473600-abcde   80Mi      -      -     -     -       -     - BE       0 █████████
 kube-sys… coredns-5d78c9869d-9…   20Mi   70Mi  170Mi   29%   12%       -     - Burst    0 ▁▁▁▁▁▁▁▁▁



── shop/leaky-api-0 api ━ proxy ━ request (api) 128Mi ━ limit (api) 512Mi ━ ───────────── 15m (v) ──
 600Mi ┤
 480Mi ┼──────────────────────────────────────────────────────────────────────────────────────╭────
 360Mi ┤                         ╭────────────────────────────────────────────────────────────╯
 240Mi ┼─────────────────────────╯
 120Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
   0Mi ┼───────────────────────────────────────────────────────────────────────────────────────────
       -15m                 -11m                    -7m                   -4m                   now
── recent OOM kills, evictions, node memory events ────────────────────────── 3 entries: 4 Events ──
    2m MemoryPressure  node/worker-2 MemoryPressure=True
 Enter open  Esc back  / filter  mzxo… sort  r reverse  : ns  = labels  Tab view  ? help  q quit
`);
		expect(m.selected()).toEqual(["▾shop      leaky-api-0            477Mi  192Mi  576Mi  248%   83%      6m   14% Burst    2 ▇▇▇▇▇▇▇▇▇"]);
		m.unmount();
	});

	it("help overlay at 80×24: the keys of every mode, its own keys in the footer", async () => {
		const m = await mount({width: 80, height: 24});
		await m.press("?");
		expectFrame(m, 24, 80, `
memtop │ ctx kind-memtop │ ns all │ 5 pods 2 nodes │ metrics 7s ago
[1 Pods] 2 Nodes  3 Workloads  4 Events
── keys ───────────────────────────────────── ↓ 6 more · any other key closes ──
 Move   ↑/k up · ↓/j down · PgUp page up (also Ctrl-b)
        PgDn page down (also Ctrl-f) · g first row · G last row
 Views  1/p pods · 2/n nodes · 3/w workloads
        4/e events (OOM kills, evictions, node memory) · Tab next view
        h hide / show finished pods (Completed, Failed, Evicted)
 Open   Enter drill down: node → its pods, pod → containers, chart, diagnosis; …
        Esc back (or clear the filter) · Space/→ show/hide a pod's containers
        ← hide them
 Sort   r reverse (or the same sort key again) · m working set · z % of limit
        x % of request · o time to OOM (soonest first) · u request · l limit
        t restarts · y QoS class · a pod name · s namespace · d node
        i memory stall (PSI some, last 10 s)
 Find   / filter as you type, fuzzy on the name (Enter keeps, Esc clears)
        : namespace picker
        = label selector, applied by the server (app=web,tier!=db)
 Chart  v chart window 5m → 15m → 1h
 App    ? this help · q quit
 In /   ↑ up · ↓ down · PgUp page up · PgDn page down · Enter keep the filter
        Esc clear it · Backspace erase · other keys type into the filter
 In :   Enter pick · Esc/q/: cancel
 ↓/j move  other keys close
`);
		expect(m.selected()).toEqual([]);
		m.unmount();
	});

});
