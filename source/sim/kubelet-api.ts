/**
 * The kubelet's own HTTP API, reached through the API server's node proxy: /configz (its
 * configuration, where memtop reads the eviction thresholds) and /stats/summary (the Summary API:
 * node, system containers, pods and containers, from the current metrics sample).
 */
import type {NodeSpec} from './cluster-spec.js';
import type {Sample} from './metrics.js';
import type {NodeModel} from './models.js';
import {quietCgroup, type PsiFigures} from './pressure.js';
import {hashString, mix} from './prng.js';
import {binarySI, goDuration, MI, rfc3339, roundPage} from './quantity.js';

/** The figures of a Summary API `memory` block; `available` is left out when null (no limit). */
interface MemoryFigures {
	available: number | null;
	usage: number;
	workingSet: number;
	rss: number;
	pageFaults: number;
	majorFaults: number;
	psi: PsiFigures;
}

export function memoryStats(time: string, m: MemoryFigures): Record<string, unknown> {
	const memory: Record<string, unknown> = {time};
	if (m.available !== null) {
		memory['availableBytes'] = m.available;
	}

	return Object.assign(memory, {usageBytes: m.usage, workingSetBytes: m.workingSet, rssBytes: m.rss, pageFaults: m.pageFaults, majorPageFaults: m.majorFaults, psi: m.psi});
}

export function cpuStats(time: string, nanoCores: number, coreNanoSeconds: number): Record<string, unknown> {
	return {time, usageNanoCores: nanoCores, usageCoreNanoSeconds: coreNanoSeconds};
}

/** GET /configz: the kubelet's configuration as it serves it. */
export function kubeletConfigz(spec: Pick<NodeSpec, 'evictionHard' | 'pressureTransition' | 'reservedBytes' | 'swapBytes'>): Record<string, unknown> {
	return {
		kubeletconfig: {
			enableServer: true,
			staticPodPath: '/etc/kubernetes/manifests',
			syncFrequency: '1m0s',
			fileCheckFrequency: '20s',
			httpCheckFrequency: '20s',
			address: '0.0.0.0',
			port: 10_250,
			authentication: {x509: {clientCAFile: '/etc/kubernetes/pki/ca.crt'}, webhook: {enabled: true, cacheTTL: '2m0s'}, anonymous: {enabled: false}},
			authorization: {mode: 'Webhook', webhook: {cacheAuthorizedTTL: '5m0s', cacheUnauthorizedTTL: '30s'}},
			registryPullQPS: 5,
			registryBurst: 10,
			eventRecordQPS: 50,
			eventBurst: 100,
			enableDebuggingHandlers: true,
			healthzPort: 10_248,
			healthzBindAddress: '127.0.0.1',
			oomScoreAdj: -999,
			clusterDomain: 'cluster.local',
			clusterDNS: ['10.96.0.10'],
			nodeStatusUpdateFrequency: '10s',
			nodeStatusReportFrequency: '5m0s',
			imageMinimumGCAge: '2m0s',
			imageGCHighThresholdPercent: 85,
			imageGCLowThresholdPercent: 80,
			volumeStatsAggPeriod: '1m0s',
			cgroupsPerQOS: true,
			cgroupDriver: 'systemd',
			cpuManagerPolicy: 'none',
			memoryManagerPolicy: 'None',
			topologyManagerPolicy: 'none',
			runtimeRequestTimeout: '2m0s',
			hairpinMode: 'promiscuous-bridge',
			maxPods: 110,
			podPidsLimit: -1,
			resolvConf: '/run/systemd/resolve/resolv.conf',
			cpuCFSQuota: true,
			cpuCFSQuotaPeriod: '100ms',
			maxOpenFiles: 1_000_000,
			contentType: 'application/vnd.kubernetes.protobuf',
			kubeAPIQPS: 50,
			kubeAPIBurst: 100,
			serializeImagePulls: true,
			evictionHard: {
				'imagefs.available': '15%',
				'imagefs.inodesFree': '5%',
				'memory.available': spec.evictionHard,
				'nodefs.available': '10%',
				'nodefs.inodesFree': '5%',
			},
			evictionPressureTransitionPeriod: goDuration(spec.pressureTransition * 1000),
			enableControllerAttachDetach: true,
			makeIPTablesUtilChains: true,
			iptablesMasqueradeBit: 14,
			iptablesDropBit: 15,
			failSwapOn: spec.swapBytes === undefined,
			memorySwap: spec.swapBytes === undefined ? {} : {swapBehavior: 'LimitedSwap'},
			containerLogMaxSize: '10Mi',
			containerLogMaxFiles: 5,
			systemReserved: {memory: binarySI(Math.floor(spec.reservedBytes / 2 / MI) * MI)},
			kubeReserved: {memory: binarySI(spec.reservedBytes - Math.floor(spec.reservedBytes / 2 / MI) * MI)},
			enforceNodeAllocatable: ['pods'],
			volumePluginDir: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec/',
			logging: {format: 'text', flushFrequency: '5s', verbosity: 0, options: {json: {infoBufferSize: '0'}}},
			enableSystemLogHandler: true,
			shutdownGracePeriod: '0s',
			shutdownGracePeriodCriticalPods: '0s',
			enableProfilingHandler: true,
			enableDebugFlagsHandler: true,
			seccompDefault: false,
			memoryThrottlingFactor: 0.9,
			registerNode: true,
			localStorageCapacityIsolation: true,
			containerRuntimeEndpoint: 'unix:///run/containerd/containerd.sock',
		},
	};
}

function fsStats(time: string, used: number): Record<string, unknown> {
	return {time, availableBytes: 82_120_321_024, capacityBytes: 102_888_095_744, usedBytes: used, inodesFree: 5_920_660, inodes: 6_071_091, inodesUsed: 4_300};
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
	return items.reduce((total, item) => total + value(item), 0);
}

/** GET /stats/summary of a node from the current sample; `only_cpu_and_memory` leaves out fs, network and swap (memory keeps its PSI, as with the kubelet). */
export function statsSummary(node: NodeModel, sample: Sample, onlyCpuAndMemory: boolean): string | null {
	const ns = sample.nodes.get(node.name);
	if (!ns) {
		return null;
	}

	const time = rfc3339(sample.time);
	const podsOnNode = sample.pods.filter((p) => p.node === node.name);
	const podWs = sum(podsOnNode, (p) => p.pauseBytes + sum(p.containers, (c) => c.ws));
	const podUsage = sum(podsOnNode, (p) => p.pauseBytes + sum(p.containers, (c) => c.usage));
	const podRss = sum(podsOnNode, (p) => p.pauseBytes + sum(p.containers, (c) => c.rss));
	const kubeletWs = roundPage(62 * MI + (node.index % 5) * 3 * MI);
	const runtimeWs = roundPage(48 * MI + (node.index % 3) * 5 * MI);
	const kubeletStart = node.created + 20_000;
	const runtimeStart = node.created + 5000;
	// The system daemons hardly stall; the pods' cgroup stalls as the node does.
	const system = [
		{name: 'kubelet', startTime: rfc3339(kubeletStart), cpu: cpuStats(time, 25e6, 3_492_960_000), memory: memoryStats(time, {available: null, usage: kubeletWs + 4 * MI, workingSet: kubeletWs, rss: roundPage(kubeletWs * 0.92), ...quietCgroup(mix(node.index, 1), (sample.time - kubeletStart) / 1000)})},
		{name: 'runtime', startTime: rfc3339(runtimeStart), cpu: cpuStats(time, 12e6, 1_902_311_000), memory: memoryStats(time, {available: null, usage: runtimeWs + 30 * MI, workingSet: runtimeWs, rss: roundPage(runtimeWs * 0.8), ...quietCgroup(mix(node.index, 2), (sample.time - runtimeStart) / 1000)})},
		{name: 'pods', startTime: rfc3339(node.created + 8000), cpu: cpuStats(time, Math.round(ns.cpuNano * 0.8), Math.round(ns.cpuCoreNs * 0.8)), memory: memoryStats(time, {available: Math.max(0, node.allocatable - podWs), usage: podUsage, workingSet: podWs, rss: Math.min(podRss, podWs), pageFaults: Math.round(ns.pageFaults * 0.6), majorFaults: Math.round(ns.majorFaults * 0.8), psi: ns.psi})},
	];
	const nodeMemory = memoryStats(time, {available: ns.available, usage: ns.usage, workingSet: ns.ws, rss: ns.rss, pageFaults: ns.pageFaults, majorFaults: ns.majorFaults, psi: ns.psi});
	const nodeOut: Record<string, unknown> = {nodeName: node.name, systemContainers: system, startTime: rfc3339(node.created), cpu: cpuStats(time, ns.cpuNano, ns.cpuCoreNs), memory: nodeMemory};
	if (!onlyCpuAndMemory) {
		const eth0 = {name: 'eth0', rxBytes: 772_921_510 + node.index * 1_000_003, rxErrors: 0, txBytes: 13_888_023 + node.index * 77_001, txErrors: 0};
		nodeOut['network'] = {time, ...eth0, interfaces: [eth0]};
		nodeOut['fs'] = fsStats(time, 20_561_338_368);
		nodeOut['runtime'] = {imageFs: fsStats(time, 6_715_707_904), containerFs: fsStats(time, 6_715_707_904)};
		nodeOut['rlimit'] = {time, maxpid: 4_194_304, curproc: 420 + ns.pageFaults % 100};
		nodeOut['swap'] = {time, swapAvailableBytes: ns.swapCapacity - ns.swapUsage, swapUsageBytes: ns.swapUsage};
	}

	const pods = podsOnNode.map((p) => {
		const containers = p.containers.map((c) => {
			const memory = memoryStats(time, {available: c.limit === null ? null : Math.max(0, c.limit - c.ws), usage: c.usage, workingSet: c.ws, rss: c.rss, pageFaults: c.pageFaults, majorFaults: c.majorFaults, psi: c.psi});
			const out: Record<string, unknown> = {name: c.name, startTime: rfc3339(c.startedAt), cpu: cpuStats(time, c.cpuNano, c.cpuCoreNs), memory};
			if (!onlyCpuAndMemory) {
				out['rootfs'] = fsStats(time, 86_016 + (hashString(c.name) % 100) * 4096);
				out['logs'] = fsStats(time, 32_768);
				out['swap'] = {time, swapAvailableBytes: c.limit === null ? 0 : Math.max(0, c.limit - c.ws), swapUsageBytes: c.swap};
			}

			return out;
		});
		const ws = p.pauseBytes + sum(p.containers, (c) => c.ws);
		const memory = memoryStats(time, {
			available: p.limit === null ? null : Math.max(0, p.limit - ws),
			usage: p.pauseBytes + sum(p.containers, (c) => c.usage),
			workingSet: ws,
			rss: p.pauseBytes + sum(p.containers, (c) => c.rss),
			pageFaults: p.pageFaults,
			majorFaults: p.majorFaults,
			psi: p.psi,
		});
		const out: Record<string, unknown> = {
			podRef: {name: p.name, namespace: p.namespace, uid: p.uid},
			startTime: rfc3339(p.startTime),
			containers,
			cpu: cpuStats(time, sum(p.containers, (c) => c.cpuNano), sum(p.containers, (c) => c.cpuCoreNs)),
			memory,
		};
		if (!onlyCpuAndMemory) {
			out['network'] = {time, name: 'eth0', rxBytes: 1_234_567 + (hashString(p.uid) % 1_000_000), rxErrors: 0, txBytes: 765_432 + (hashString(p.uid) % 500_000), txErrors: 0};
			out['ephemeral-storage'] = fsStats(time, 122_880);
			out['process_stats'] = {process_count: p.containers.length};
			out['swap'] = {time, swapUsageBytes: sum(p.containers, (c) => c.swap)};
		}

		return out;
	});
	return JSON.stringify({node: nodeOut, pods});
}
