/**
 * What a one-shot asks the cluster for, by the view it prints and the format: only what it shows.
 * The kubelet Summary API is one request a node through the API server (100 at 10k pods here,
 * 5,000 at 150k; during an incident the control plane is the busy part), so it is asked only where
 * a figure of it is printed: the nodes view (AVAILABLE, PSI; RSS and cache in json), and pods in
 * -o wide (RSS, PSI), json and yaml. The pods table and the workloads view show none of it. A test runs every view
 * and format with and without the Summary and checks that this says where the output differs.
 */
import type {SnapshotNeeds} from '../kube/snapshot.js';
import type {View} from './config-file.js';
import type {OutputFormat} from './flag-table.js';

/** the view in this format prints a figure of the kubelet Summary API */
export function showsSummary(view: View, output: OutputFormat): boolean {
	if (view === 'events' || view === 'workloads' || output === 'name') return false;
	return view === 'nodes' || output !== 'table';
}

export function onceNeeds(view: View, output: OutputFormat): SnapshotNeeds {
	return {nodeMetrics: view === 'nodes', events: view === 'events', summaries: showsSummary(view, output)};
}
