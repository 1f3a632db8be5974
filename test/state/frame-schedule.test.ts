// The frame schedule: which frames the pump dispatches (frame-policy.ts), and rows that stay the same objects when
// their data did not change (what lets memoised rows skip a frame). Over a real capture and real timers.
import {expect, test} from 'vitest';
import {captureEvents} from '../helpers/captures.js';
import {createPump} from '../../source/state/pump.js';
import {createAppStore} from '../../source/state/store.js';
import {bytesFrameMs, changeFrameMs, frameMsFor, needsClockTicks, tickFrameMs} from '../../source/state/frame-policy.js';
import {createRowsSelector, selectRows} from '../../source/state/selectors.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {manualClock} from '../../source/domain/clock.js';
import type {DomainEvent} from '../../source/domain/events.js';

const cold = captureEvents('01-cold-multiplatform-oci.stderr.rawjson');
const statuses = cold.filter((e): e is Extract<DomainEvent, {type: 'build/status-received'}> => e.type === 'build/status-received');

test('frameMsFor: a status moving bytes asks for the fast rate, other changes for the change rate', () => {
	const moving = statuses.find(e => e.status.statuses?.some(s => (s.current ?? 0) > 0 && s.completed === undefined));
	const logsOnly = statuses.find(e => e.status.logs && !e.status.statuses);
	expect(moving).toBeDefined();
	expect(logsOnly).toBeDefined();
	expect(frameMsFor([moving!])).toBe(bytesFrameMs);
	expect(frameMsFor([logsOnly!])).toBe(changeFrameMs);
	expect(frameMsFor([logsOnly!, moving!])).toBe(bytesFrameMs);
	expect(bytesFrameMs).toBeLessThan(changeFrameMs);
	expect(changeFrameMs).toBeLessThanOrEqual(tickFrameMs);
});

test('needsClockTicks: while a build runs, not once every build ended', () => {
	const exited = cold.findIndex(e => e.type === 'build/exited');
	expect(needsClockTicks(reduceAll(initialDomainState, cold.slice(0, exited)))).toBe(true);
	expect(needsClockTicks(reduceAll(initialDomainState, cold))).toBe(false);
	const session: DomainEvent = {type: 'session/started', at: 1, info: {command: ['bxtop'], mode: 'build'}};
	expect(needsClockTicks(reduceAll(initialDomainState, [session]))).toBe(true); // the header's wall time runs
	expect(needsClockTicks(reduceAll(initialDomainState, [session, {type: 'session/ended', at: 2, reason: 'completed'}]))).toBe(false);
});

const until = async (check: () => boolean, ms: number) => {
	const end = Date.now() + ms;
	while (!check() && Date.now() < end) await new Promise(resolve => setTimeout(resolve, 5));
};

test('the pump: events in one frame, clock ticks only while something runs, no frame at all when idle', async () => {
	const store = createAppStore();
	let commits = 0;
	store.subscribe(() => commits++);
	const clock = manualClock(1_000_000);
	const pump = createPump(store, clock);
	const exited = cold.findIndex(e => e.type === 'build/exited');
	for (const event of cold.slice(0, 40)) pump.emit(event);
	expect(commits).toBe(0); // batched, not dispatched per event
	await until(() => commits > 0, 2000);
	expect(commits).toBe(1);
	expect(store.getState().domain.builds.byId['b1']!.status).toBe('running');
	// a running build: the clock ticks on its own, about one frame per tickFrameMs
	clock.advance(10_000);
	await until(() => commits > 1, tickFrameMs * 4);
	expect(commits).toBe(2);
	expect(store.getState().nowMs).toBe(1_010_000);
	// everything ended: after the last frame nothing more is dispatched
	for (const event of cold.slice(40, exited + 1)) pump.emit(event);
	await until(() => store.getState().domain.builds.byId['b1']!.status === 'done', 2000);
	const settled = commits;
	clock.advance(10_000);
	await new Promise(resolve => setTimeout(resolve, tickFrameMs * 3));
	expect(commits).toBe(settled);
	pump.stop();
});

test('createRowsSelector: the same rows as selectRows, and the same objects while nothing they show changed', () => {
	const select = createRowsSelector();
	let state = initialDomainState;
	let previous: ReturnType<typeof select> | undefined;
	let running: typeof state | undefined; // a moment when a step runs: the elapsed time follows the clock
	for (let i = 0; i < cold.length; i += 25) {
		state = reduceAll(state, cold.slice(i, i + 25));
		const nowMs = state.lastEventAt;
		const rows = select(state, nowMs);
		expect(rows).toEqual(selectRows(state, nowMs));
		if (!running && selectRows(state, nowMs + 1000)[0]!.elapsedMs > rows[0]!.elapsedMs) running = state;
		previous = rows;
	}
	// after the build ended, a later clock gives the same array and the same row objects
	const done = select(state, state.lastEventAt + 60_000);
	expect(done).toBe(previous);
	expect(done).toEqual(selectRows(state, state.lastEventAt + 60_000));
	// while a step runs, a later clock gives rows whose elapsed time moved
	expect(running).toBeDefined();
	const a = select(running!, running!.lastEventAt);
	const b = select(running!, running!.lastEventAt + 1000);
	expect(b).not.toBe(a);
	expect(b).toEqual(selectRows(running!, running!.lastEventAt + 1000));
	expect(b[0]!.elapsedMs).toBe(a[0]!.elapsedMs + 1000);
});
