// What a .cpuprofile's samples were in each event-loop gap test/perf/metrics-turns.mjs (or
// bench-measure.mjs with $MEMTOP_BENCH_GAPS) wrote, by main-thread time on the CPU (a sample's
// delta beyond twice the median interval is taken as time another process had the CPU):
//   node test/perf/gap-profile.mjs PROFILE.cpuprofile [/tmp/metrics-gaps.json] [how many, longest first]
import fs from 'node:fs';

const [file, gapsFile = '/tmp/metrics-gaps.json', most = '6'] = process.argv.slice(2);
const p = JSON.parse(fs.readFileSync(file, 'utf8'));
const gaps = JSON.parse(fs.readFileSync(gapsFile, 'utf8'));
const byId = new Map(p.nodes.map(n => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = n => `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').slice(-2).join('/')}:${n.callFrame.lineNumber + 1}`;
let t = p.startTime;
const times = p.timeDeltas.map(d => (t += d));
const deltas = p.timeDeltas.slice(1).sort((a, b) => a - b);
const interval = Math.max(deltas[Math.floor(deltas.length / 2)] ?? 1000, 1) * 2;
const top = (m, k) => [...m].sort((x, y) => y[1] - x[1]).slice(0, k).map(([name, us]) => `    ${(us / 1000).toFixed(1).padStart(6)} ${name}`).join('\n');
for (const [at, len, cpuMs] of gaps.sort((a, b) => b[1] - a[1]).slice(0, Number(most))) {
	const self = new Map();
	const incl = new Map();
	let onCpu = 0;
	for (let i = 0; i < p.samples.length; i++) {
		if (times[i] < at || times[i] > at + len * 1000) continue;
		// a sample's delta past the sampling interval is time off the CPU (another process ran): counted at the interval
		const dt = Math.min((times[i + 1] ?? times[i]) - times[i], interval);
		onCpu += dt;
		const n = byId.get(p.samples[i]);
		self.set(label(n), (self.get(label(n)) ?? 0) + dt);
		const seen = new Set();
		for (let id = p.samples[i]; id !== undefined; id = parent.get(id)) {
			const l = label(byId.get(id));
			if (!seen.has(l)) {
				seen.add(l);
				incl.set(l, (incl.get(l) ?? 0) + dt);
			}
		}
	}

	console.log(`gap at ${((at - p.startTime) / 1e6).toFixed(2)} s, ${len.toFixed(1)} ms, ~${(onCpu / 1000).toFixed(0)} ms on the CPU by the samples${cpuMs === undefined ? '' : `, ${cpuMs.toFixed(0)} ms by the thread's clock`}\n  self:\n${top(self, 8)}\n  inclusive:\n${top(incl, 12)}`);
}
