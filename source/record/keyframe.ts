/**
 * The start of a rotated part (`memtop record --rotate`): the inputs that bring an empty store to
 * what the live one holds now, as a memtop started at that moment would see it: the connection,
 * sync states, banners, nodes, pods and each node's latest Summary. Not the history rings nor
 * the feed before it: a part replays on its own from its start, with the history it recorded.
 */
import type {Store, SyncResource} from '../store/store.js';
import type {Input} from './tap.js';

export function keyframe(store: Store, time: number): Input[] {
	const inputs: Input[] = [];
	const add = <N extends Input['op']>(op: N, args: Input<N>['args']) => inputs.push({op, args, time} as Input);
	if (store.connection) add('setConnection', [{...store.connection}]);
	for (const r of Object.keys(store.sync) as SyncResource[]) add('setSyncState', [r, store.sync[r]]);
	for (const b of store.banners.values()) add('setBanner', [b]);
	add('replaceNodes', [[...store.nodes.values()]]);
	add('replacePods', [[...store.pods.values()]]);
	for (const [node, state] of store.summaries) add('applySummary', [node, state]);
	return inputs;
}
