/** The resources the simulated API server serves, with their discovery facts. */
import type {ResourceDef} from './objects.js';

const POD_FIELDS: ReadonlySet<string> = new Set([
	'metadata.name',
	'metadata.namespace',
	'spec.nodeName',
	'spec.restartPolicy',
	'spec.schedulerName',
	'spec.serviceAccountName',
	'spec.hostNetwork',
	'status.phase',
	'status.podIP',
	'status.nominatedNodeName',
]);

const NODE_FIELDS: ReadonlySet<string> = new Set(['metadata.name', 'spec.unschedulable']);

const EVENT_FIELDS: ReadonlySet<string> = new Set([
	'metadata.name',
	'metadata.namespace',
	'involvedObject.kind',
	'involvedObject.namespace',
	'involvedObject.name',
	'involvedObject.uid',
	'involvedObject.apiVersion',
	'involvedObject.resourceVersion',
	'involvedObject.fieldPath',
	'reason',
	'reportingComponent',
	'source',
	'type',
]);

const NAMESPACE_FIELDS: ReadonlySet<string> = new Set(['metadata.name', 'status.phase']);

export const RESOURCES: readonly ResourceDef[] = [
	{
		resource: 'pods',
		group: '',
		version: 'v1',
		kind: 'Pod',
		listKind: 'PodList',
		namespaced: true,
		fields: POD_FIELDS,
		shortNames: ['po'],
		singularName: 'pod',
		subresources: ['status', 'log', 'eviction', 'binding', 'exec', 'portforward', 'proxy', 'resize'],
	},
	{
		resource: 'nodes',
		group: '',
		version: 'v1',
		kind: 'Node',
		listKind: 'NodeList',
		namespaced: false,
		fields: NODE_FIELDS,
		shortNames: ['no'],
		singularName: 'node',
		subresources: ['status', 'proxy'],
	},
	{
		resource: 'events',
		group: '',
		version: 'v1',
		kind: 'Event',
		listKind: 'EventList',
		namespaced: true,
		fields: EVENT_FIELDS,
		shortNames: ['ev'],
		singularName: 'event',
	},
	{
		resource: 'namespaces',
		group: '',
		version: 'v1',
		kind: 'Namespace',
		listKind: 'NamespaceList',
		namespaced: false,
		fields: NAMESPACE_FIELDS,
		shortNames: ['ns'],
		singularName: 'namespace',
		subresources: ['status', 'finalize'],
	},
];

/** A Namespace object as the API server returns it. */
export function namespaceObject(name: string, uid: string, created: string): Record<string, unknown> & {metadata: Record<string, unknown>} {
	return {
		kind: 'Namespace',
		apiVersion: 'v1',
		metadata: {
			name,
			uid,
			resourceVersion: '',
			creationTimestamp: created,
			labels: {'kubernetes.io/metadata.name': name},
		},
		spec: {finalizers: ['kubernetes']},
		status: {phase: 'Active'},
	};
}
