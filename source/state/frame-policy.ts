// When the board draws a frame. Much of a frame's cost does not depend on what changed (React's pass over the
// board, Ink's layout and its write of the live area; the row cache spares only the rows that did not change), so
// the number of frames is what bxtop's CPU follows. The policy (4 fps while bytes move, 1 fps for other changes
// and for the clock alone; measured with npm run bench:live against the cost of watching a build with buildx's own
// tty client: 1 fps instead of 2 for log lines and steps took 0.3-0.6 points of a core off bxtop's steady rate):
// - render on change: events are dispatched together, at most one frame per changeFrameMs;
// - while bytes move (layer pulls, pip downloads: rates and ETAs), at most one per bytesFrameMs;
// - when only timers change (spinners, elapsed times of running builds), one per tickFrameMs;
// - nothing running and nothing changing: no frame at all (an idle board costs nothing).
import type {DomainEvent} from '../domain/events.js';
import type {DomainState} from './reducer.js';

export const bytesFrameMs = 250;
export const changeFrameMs = 1000;
export const tickFrameMs = 1000;

/** The shortest frame interval these events ask for. */
export function frameMsFor(events: readonly DomainEvent[]): number {
	for (const event of events) if (movesBytes(event)) return bytesFrameMs;
	return changeFrameMs;
}

function movesBytes(event: DomainEvent): boolean {
	if (event.type === 'download/progressed') return true;
	if (event.type !== 'build/status-received') return false;
	const statuses = event.status.statuses;
	if (!statuses) return false;
	for (const status of statuses) if (status.current !== undefined && status.current > 0 && status.completed === undefined) return true;
	return false;
}

/**
 * Whether the clock must move on its own: the session runs (the header's wall time), or something runs whose
 * spinner or elapsed time shows it.
 */
export function needsClockTicks(domain: DomainState): boolean {
	if (domain.session.startedAt !== undefined && domain.session.endedAt === undefined) return true;
	const {builds} = domain;
	for (const id of builds.order) {
		const status = builds.byId[id]!.status;
		if (status === 'running' || status === 'queued') return true;
	}
	for (const key of domain.downloads.order) if (domain.downloads.byKey[key]!.status === 'active') return true;
	return false;
}
