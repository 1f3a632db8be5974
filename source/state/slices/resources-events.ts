// Events of the resources slice (issue 4: builder nodes, container stats, host, build cache, prune).
// Placeholder union until that slice lands; it keeps events.ts compiling.
export type ResourceEvent = {type: 'resources/placeholder'; at: number};
