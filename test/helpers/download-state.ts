// Domain state of a capture fed through the live path with the download tracker, optionally cut at a time.
import type {DomainEvent} from '../../source/domain/events.js';
import {initialDomainState, reduceAll, type DomainState} from '../../source/state/reducer.js';
import {trackFixture} from '../sources/downloads/tracker-helpers.js';

export function trackedEvents(name: string, platforms: string[]): DomainEvent[] {
	const events = trackFixture(name, platforms);
	const firstAt = events.find(e => e.at > 0)?.at ?? 0;
	events[0] = {...events[0]!, at: firstAt};
	events.splice(1, 0, {type: 'build/started', at: firstAt, buildId: 'b1'});
	return events;
}

/** State after the events up to `untilAt` (inclusive), stream order. */
export function stateAt(events: DomainEvent[], untilAt = Infinity): DomainState {
	return reduceAll(initialDomainState, events.filter(e => e.at <= untilAt));
}
