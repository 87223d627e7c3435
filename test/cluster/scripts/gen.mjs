// Generates the test cluster's bulk manifests as kubectl-ready JSON Lists.
//   node gen.mjs nodes <count> <kwokPort> <out.json>
//   node gen.mjs static-nodes <count> <out.json>
//   node gen.mjs pods <count> <nodes> <namespaces> <chunks> <outPrefix>
// Pod i lands on kwok-node-(i % nodes) in namespace load-(i % namespaces); its memory (kwok's
// usage annotation) and QoS vary with i so the load looks like a real cluster.
import {writeFileSync} from 'node:fs';

const [kind, ...args] = process.argv.slice(2);
const list = items => JSON.stringify({apiVersion: 'v1', kind: 'List', items});
const gi = 1024 ** 3;

function kwokNode(i) {
	const name = `kwok-node-${i}`;
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {
			name,
			labels: {type: 'kwok', 'memtop-test': 'kwok', 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux'},
			annotations: {
				'node.alpha.kubernetes.io/ttl': '0',
				'kwok.x-k8s.io/node': 'fake',
				'metrics.k8s.io/resource-metrics-path': `/metrics/nodes/${name}/metrics/resource`,
			},
		},
		spec: {},
		status: {
			capacity: {cpu: '16', memory: String(64 * gi), pods: '1000'},
			allocatable: {cpu: '15', memory: String(62 * gi), pods: '1000'},
		},
	};
}

// A node kwok does not manage: its status stays as written (tests patch it).
function staticNode(i) {
	const name = `static-node-${i}`;
	const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
	const cond = (type, status, reason, message) => ({type, status, reason, message, lastHeartbeatTime: now, lastTransitionTime: now});
	return {
		apiVersion: 'v1',
		kind: 'Node',
		metadata: {name, labels: {type: 'static', 'memtop-test': 'static', 'kubernetes.io/hostname': name}},
		spec: {},
		status: {
			capacity: {cpu: '8', memory: String(32 * gi), pods: '110'},
			allocatable: {cpu: '7', memory: String(31 * gi), pods: '110'},
			addresses: [{type: 'InternalIP', address: '127.0.0.1'}, {type: 'Hostname', address: name}],
			conditions: [
				cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
				cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
				cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
				cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
			],
		},
	};
}

function loadPod(i, nodes, namespaces) {
	const mi = 1024 ** 2;
	const shapes = [
		{requests: {cpu: '100m', memory: String(256 * mi)}, limits: {cpu: '100m', memory: String(256 * mi)}}, // Guaranteed
		{requests: {memory: String(128 * mi)}, limits: {memory: String(512 * mi)}}, // Burstable with limit
		{requests: {memory: String(64 * mi)}}, // Burstable, no limit
		{}, // BestEffort
	];
	return {
		apiVersion: 'v1',
		kind: 'Pod',
		metadata: {
			name: `load-${i}`,
			namespace: `load-${i % namespaces}`,
			labels: {app: `load-${i % 7}`, 'memtop-test': 'load'},
			annotations: {'kwok.x-k8s.io/usage-memory': `${16 + ((i * 37) % 200)}Mi`},
		},
		spec: {
			nodeName: `kwok-node-${i % nodes}`,
			automountServiceAccountToken: false,
			terminationGracePeriodSeconds: 0,
			containers: [{name: 'app', image: 'registry.invalid/memtop/load:1', resources: shapes[i % shapes.length]}],
		},
	};
}

if (kind === 'nodes') {
	const [count, out] = [Number(args[0]), args[1]];
	writeFileSync(out, list(Array.from({length: count}, (_, i) => kwokNode(i))));
} else if (kind === 'static-nodes') {
	const [count, out] = [Number(args[0]), args[1]];
	writeFileSync(out, list(Array.from({length: count}, (_, i) => staticNode(i))));
} else if (kind === 'pods') {
	const [count, nodes, namespaces, chunks] = args.slice(0, 4).map(Number);
	const prefix = args[4];
	const per = Math.ceil(count / chunks);
	for (let c = 0; c < chunks; c++) {
		const items = [];
		for (let i = c * per; i < Math.min(count, (c + 1) * per); i++) items.push(loadPod(i, nodes, namespaces));
		if (items.length > 0) writeFileSync(`${prefix}-${c}.json`, list(items));
	}
} else {
	console.error('usage: gen.mjs nodes|static-nodes|pods ...');
	process.exit(2);
}
