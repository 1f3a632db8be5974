// The one pure reducer: routes each event to its slice by namespace; never reads the clock. It trusts its input:
// events from files are checked at the edge (lib/event-shape.ts, when a recording is read), so a TypeError here is a
// bug to see, not state to lose quietly.
import type {DomainEvent, SolveStatus} from '../domain/events.js';
import {initialBuildsState, reduceBuilds, reduceBuildRun, type BuildsState} from './slices/builds.js';
import {initialSessionState, reduceSession, type SessionState} from './slices/session.js';
import {initialResourcesState, reduceResources, type ResourcesState} from './slices/resources.js';
import {initialDownloadsState, reduceDownloads, type DownloadsState} from './slices/downloads.js';
import {initialImagesState, reduceImages, type ImagesState} from './slices/images.js';

export type DomainState = {
	session: SessionState;
	builds: BuildsState;
	resources: ResourcesState;
	downloads: DownloadsState;
	images: ImagesState;
	/** Time of the latest event: what "now" is for a finished or replayed session. */
	lastEventAt: number;
	eventCount: number;
};

export const initialDomainState: DomainState = {
	session: initialSessionState,
	builds: initialBuildsState,
	resources: initialResourcesState,
	downloads: initialDownloadsState,
	images: initialImagesState,
	lastEventAt: 0,
	eventCount: 0,
};

export function reduce(state: DomainState, event: DomainEvent): DomainState {
	const next = {...state, lastEventAt: Math.max(state.lastEventAt, event.at || 0), eventCount: state.eventCount + 1};
	switch (event.type.slice(0, event.type.indexOf('/'))) {
		case 'session':
			next.session = reduceSession(state.session, event as Extract<DomainEvent, {type: `session/${string}`}>);
			break;
		case 'build':
			next.builds = reduceBuilds(state.builds, event as Extract<DomainEvent, {type: `build/${string}`}>);
			// a download still running when its build exits ends with it (failed or cancelled)
			if (event.type === 'build/exited') next.downloads = reduceDownloads(state.downloads, event);
			break;
		case 'download':
			next.downloads = reduceDownloads(state.downloads, event as Extract<DomainEvent, {type: `download/${string}`}>);
			break;
		case 'image':
			next.images = reduceImages(state.images, event as Extract<DomainEvent, {type: `image/${string}`}>);
			break;
		default:
			next.resources = reduceResources(state.resources, event as never);
			// the downloads slice keeps rx counters for its network-counter estimate
			if (event.type === 'stats/sampled' || event.type === 'host/sampled') next.downloads = reduceDownloads(state.downloads, event);
	}
	return next;
}

/** Events a build run may hold: they touch different parts of a build record, so their order within a run is free. */
function isRunEvent(event: DomainEvent): event is Extract<DomainEvent, {type: 'build/status-received' | 'build/text-received'}> {
	return event.type === 'build/status-received' || event.type === 'build/text-received';
}

/**
 * Reduces a batch. Consecutive status and text events of one build (most of a busy frame) go to the builds slice as
 * one run, so its maps are copied once per run instead of once per event; the result equals reducing one by one.
 */
export function reduceAll(state: DomainState, events: readonly DomainEvent[]): DomainState {
	let current = state;
	let i = 0;
	while (i < events.length) {
		const event = events[i]!;
		if (!isRunEvent(event)) {
			current = reduce(current, event);
			i++;
			continue;
		}
		let j = i + 1;
		let lastAt = event.at || 0;
		while (j < events.length) {
			const other = events[j]!;
			if (!isRunEvent(other) || other.buildId !== event.buildId) break;
			lastAt = Math.max(lastAt, other.at || 0);
			j++;
		}
		if (j - i === 1) current = reduce(current, event);
		else {
			const statuses: SolveStatus[] = [];
			const lines: string[] = [];
			for (let k = i; k < j; k++) {
				const e = events[k] as Extract<DomainEvent, {type: 'build/status-received' | 'build/text-received'}>;
				if (e.type === 'build/status-received') statuses.push(e.status);
				else lines.push(e.line);
			}
			current = {
				...current,
				builds: reduceBuildRun(current.builds, event.buildId, statuses, lines),
				lastEventAt: Math.max(current.lastEventAt, lastAt),
				eventCount: current.eventCount + (j - i),
			};
		}
		i = j;
	}
	return current;
}
