/**
 * The record types every layer shares: `source/kube` builds them, `source/store` holds them,
 * `source/memory` computes on them, the view model turns them into rows. They depend on nothing.
 */
export type * from './pod.js';
export type * from './node.js';
export type * from './feed.js';
export type * from './samples.js';
export type * from './session.js';
