// The resources slice (issue 4). Placeholder until that slice lands.
import type {ResourceEvent} from './resources-events.js';

export type ResourcesState = Record<string, never>;
export const initialResourcesState: ResourcesState = {};

export function reduceResources(state: ResourcesState, event: ResourceEvent): ResourcesState {
	void event;
	return state;
}
