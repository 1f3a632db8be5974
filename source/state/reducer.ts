// The one pure reducer: routes each event to its slice by namespace. Never throws on odd input (a slice that
// meets something it cannot use returns its state unchanged) and never reads the clock.
import type {DomainEvent} from './events.js';
import {initialBuildsState, reduceBuilds, type BuildsState} from './slices/builds.js';
import {initialSessionState, reduceSession, type SessionState} from './slices/session.js';
import {initialResourcesState, reduceResources, type ResourcesState} from './slices/resources.js';
import {initialDownloadsState, reduceDownloads, type DownloadsState} from './slices/downloads.js';

export type DomainState = {
	session: SessionState;
	builds: BuildsState;
	resources: ResourcesState;
	downloads: DownloadsState;
	/** Time of the latest event: what "now" is for a finished or replayed session. */
	lastEventAt: number;
	eventCount: number;
};

export const initialDomainState: DomainState = {
	session: initialSessionState,
	builds: initialBuildsState,
	resources: initialResourcesState,
	downloads: initialDownloadsState,
	lastEventAt: 0,
	eventCount: 0,
};

export function reduce(state: DomainState, event: DomainEvent): DomainState {
	const next = {...state, lastEventAt: Math.max(state.lastEventAt, event.at || 0), eventCount: state.eventCount + 1};
	try {
		switch (event.type.slice(0, event.type.indexOf('/'))) {
			case 'session':
				next.session = reduceSession(state.session, event as Extract<DomainEvent, {type: `session/${string}`}>);
				break;
			case 'build':
				next.builds = reduceBuilds(state.builds, event as Extract<DomainEvent, {type: `build/${string}`}>);
				break;
			case 'download':
				next.downloads = reduceDownloads(state.downloads, event as Extract<DomainEvent, {type: `download/${string}`}>);
				break;
			default:
				next.resources = reduceResources(state.resources, event as never);
		}
	} catch {
		return state; // an event of a shape no slice expects: keep the state, lose nothing else
	}
	return next;
}

export function reduceAll(state: DomainState, events: readonly DomainEvent[]): DomainState {
	let current = state;
	for (const event of events) current = reduce(current, event);
	return current;
}
