// Public entry of the wire types: import from here everywhere.
export type * from './meta.js';
export type * from './pod.js';
export type * from './node.js';
export type * from './core.js';
