import {describe, expect, test} from 'vitest';
import {captureEvents, captureState} from '../helpers/captures.js';
import {logLines, selectRows, stepsOf} from '../../source/state/selectors.js';
import type {DomainEvent} from '../../source/domain/events.js';
import {initialDomainState, reduce, reduceAll} from '../../source/state/reducer.js';
import type {BuildRecord} from '../../source/state/slices/builds.js';

const both = {platforms: ['linux/amd64', 'linux/arm64']};

function stepByName(build: BuildRecord, prefix: string) {
	const step = build.steps.find(s => s.name.startsWith(prefix));
	if (!step) throw new Error(`no step ${prefix}`);
	return step;
}

describe('builds reducer over real captures', () => {
	test('cold multi-platform build: 11 steps per platform, none cached, durations from BuildKit timestamps', () => {
		const state = captureState('01-cold-multiplatform-oci.stderr.rawjson', both);
		const build = state.builds.byId.b1!;
		expect(build.steps).toHaveLength(28); // vertexes merged by digest: 122 objects, 28 distinct vertexes
		const rows = selectRows(state, 0);
		expect(rows.map(r => [r.platform, r.status, r.stepsDone, r.stepsTotal, r.stepsCached])).toEqual([
			['linux/amd64', 'done', 11, 11, 0],
			['linux/arm64', 'done', 11, 11, 0],
		]);
		// pip install step: completed - started, in ms, as BuildKit stamped them
		expect(stepByName(build, '[linux/amd64 builder 5/7]').accumulatedMs).toBe(10667);
		expect(stepByName(build, '[linux/arm64 builder 5/7]').accumulatedMs).toBe(14434);
		expect(stepByName(build, '[linux/arm64 builder 2/7]').accumulatedMs).toBe(20822);
		expect(stepByName(build, '[linux/amd64 builder 2/7]').accumulatedMs).toBe(3335);
		expect(rows.every(r => r.failingStep === undefined)).toBe(true);
	});

	test('a vertex started again after it completed counts both runs (load build definition)', () => {
		const build = captureState('01-cold-multiplatform-oci.stderr.rawjson', both).builds.byId.b1!;
		const definition = stepByName(build, '[internal] load build definition');
		// run 1: .460997895 -> .46102791 (460 -> 461 ms), run 2: .461103422 -> .472975423 (461 -> 472 ms)
		expect(definition.accumulatedMs).toBe(1 + 11);
		expect(definition.kind).toBe('internal');
	});

	test('warm build: every step but FROM cached', () => {
		const rows = selectRows(captureState('02-warm-multiplatform-oci.stderr.rawjson', both), 0);
		expect(rows.map(r => [r.platform, r.stepsDone, r.stepsTotal, r.stepsCached])).toEqual([
			['linux/amd64', 11, 11, 10],
			['linux/arm64', 11, 11, 10],
		]);
	});

	test('failing build: the failing step, its exit code, and the other platform cancelled', () => {
		const state = captureState('09-fail-multiplatform-rawjson.stderr.rawjson', both, 1);
		const [amd64, arm64] = selectRows(state, 0);
		expect(amd64!.status).toBe('failed');
		expect(amd64!.failingStep!.name).toBe('[linux/amd64 runtime 6/6] RUN python -m app.selftest');
		expect(amd64!.failingStep!.error).toBe('process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1');
		expect(amd64!.errorLines).toEqual([
			'ERROR: failed to solve: process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1',
		]);
		expect([amd64!.stepsDone, amd64!.stepsTotal, amd64!.stepsCached]).toEqual([11, 12, 10]);
		expect(arm64!.status).toBe('cancelled');
		expect(arm64!.failingStep).toBeUndefined();
	});

	test('single-platform build: names carry no platform; the spawn tells it', () => {
		const state = captureState('07-concurrent-per-platform-cold-arm64.stderr.rawjson', {platforms: ['linux/arm64']});
		const [row] = selectRows(state, 0);
		expect(row!.platform).toBe('linux/arm64');
		expect([row!.stepsDone, row!.stepsTotal, row!.stepsCached]).toEqual([11, 11, 0]);
		expect(stepByName(state.builds.byId.b1!, '[builder 5/7]').accumulatedMs).toBe(15591);
	});

	test('a capture without known platforms discovers them from the step names', () => {
		const state = captureState('01-cold-multiplatform-oci.stderr.rawjson', {platforms: []});
		expect(selectRows(state, 0).map(r => r.platform)).toEqual(['linux/arm64', 'linux/amd64']);
		expect(stepsOf(state.builds.byId.b1!, 'linux/arm64').filter(s => s.kind === 'step')).toHaveLength(11);
	});

	test('log tails are bounded and decoded; chunk boundaries do not matter', () => {
		const a = reduceAll(initialDomainState, captureEvents('13-cold-multiplatform-forcecolor-plain.stderr.plain.txt'));
		expect(a.builds.byId.b1!.steps).toHaveLength(0); // a plain-progress capture has no JSON at all
		const small = reduceAll(initialDomainState, captureEvents('01-cold-multiplatform-oci.stderr.rawjson', both, 3));
		const large = reduceAll(initialDomainState, captureEvents('01-cold-multiplatform-oci.stderr.rawjson', both, 65536));
		const pip = (s: typeof small) => stepByName(s.builds.byId.b1!, '[linux/amd64 builder 5/7]');
		expect(pip(small).logTail).toEqual(pip(large).logTail);
		expect(pip(small).logTail.length).toBeLessThanOrEqual(40);
		expect(pip(small).logTail.some(l => l.includes('Downloading http://127.0.0.1:8000/files/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl (120.0 MB)'))).toBe(true);
	});

	test('odd events never throw and leave the state usable', () => {
		let state = reduce(initialDomainState, {type: 'build/started', at: 1, buildId: 'nope'});
		expect(state.builds.order).toEqual([]);
		state = reduce(state, {type: 'no/such-event', at: 2} as never);
		state = reduce(state, {type: 'build/status-received', at: 3, buildId: 'nope', status: {vertexes: [{digest: 'x', name: 'y'}]}});
		expect(state.eventCount).toBe(3);
	});

	test('batching does not change the result: every real capture reduced one event at a time, and in runs of any size', () => {
		for (const name of ['01-cold-multiplatform-oci.stderr.rawjson', '09-fail-multiplatform-rawjson.stderr.rawjson', '15-multinode-multiplatform.stderr.rawjson', '07-concurrent-per-platform-cold-arm64.stderr.rawjson']) {
			const events = captureEvents(name, both, 777);
			let single = initialDomainState;
			for (const event of events) single = reduce(single, event);
			expect(single.builds.byId.b1!.steps.length).toBeGreaterThan(10);
			for (const size of [2, 13, 500, events.length]) {
				let batched = initialDomainState;
				for (let i = 0; i < events.length; i += size) batched = reduceAll(batched, events.slice(i, i + size));
				expect(batched.builds).toEqual(single.builds);
				expect(batched.eventCount).toBe(single.eventCount);
				expect(batched.lastEventAt).toBe(single.lastEventAt);
			}
		}
	});

	test('a re-sent vertex repeating its timestamps changes nothing; a later start reopens the step', () => {
		const spec = {buildId: 'b', target: 't', tags: [], platforms: ['linux/amd64'], argv: []};
		const vertex = {digest: 'sha256:s', name: '[2/3] RUN x', started: Date.parse('2026-11-29T10:00:00.000000001Z'), completed: Date.parse('2026-11-29T10:00:02.500000001Z')};
		const status = (v: object) => ({type: 'build/status-received' as const, at: 1, buildId: 'b', status: {vertexes: [{...vertex, ...v}]}});
		let state = reduceAll(initialDomainState, [{type: 'build/queued', at: 0, spec}, status({}), status({}), status({cached: true})]);
		const step = () => state.builds.byId.b!.steps.find(s => s.digest === 'sha256:s')!;
		expect([step().accumulatedMs, step().completedMs! - step().startedMs!, step().isCached]).toEqual([2500, 2500, true]);
		// started again 10 s later and still running: not completed, the first run kept in accumulatedMs
		state = reduce(state, status({started: Date.parse('2026-11-29T10:00:10.000000001Z'), completed: undefined}));
		expect([step().accumulatedMs, step().completedMs, step().startedMs]).toEqual([2500, undefined, Date.parse('2026-11-29T10:00:10Z')]);
		// the old completion re-sent late belongs to the first run: it does not end the new one
		state = reduce(state, status({}));
		expect([step().accumulatedMs, step().completedMs]).toEqual([2500, undefined]);
		state = reduce(state, status({started: Date.parse('2026-11-29T10:00:10.000000001Z'), completed: Date.parse('2026-11-29T10:00:11.000000001Z')}));
		expect(step().accumulatedMs).toBe(3500);
		expect(state.builds.byId.b!.firstTimestampMs).toBe(Date.parse('2026-11-29T10:00:00Z'));
		expect(state.builds.byId.b!.lastTimestampMs).toBe(Date.parse('2026-11-29T10:00:11Z'));
	});

	test('reducing never changes an earlier state (copies on write, shared index only grows by copy)', () => {
		const events = captureEvents('15-multinode-multiplatform.stderr.rawjson', both, 2048);
		const snapshot = (state: typeof initialDomainState) =>
			JSON.stringify(state, (_key, value: unknown) => (value instanceof Map ? [...value] : value));
		const half = Math.floor(events.length / 2);
		let state = initialDomainState;
		for (let i = 0; i < half; i += 7) state = reduceAll(state, events.slice(i, Math.min(i + 7, half)));
		const earlier = state;
		const before = snapshot(earlier);
		const digests = earlier.builds.byId.b1!.steps.map(s => s.digest);
		for (let i = half; i < events.length; i += 7) state = reduceAll(state, events.slice(i, i + 7));
		expect(snapshot(earlier)).toBe(before);
		expect(digests.map(d => earlier.builds.byId.b1!.stepIndex.get(d))).toEqual(digests.map((_, i) => i));
		expect(state.builds.byId.b1!.steps.length).toBeGreaterThan(digests.length);
	});

	test('synthetic: 1000 log lines keep the last 40, the same for any chunking', () => {
		const spec = {buildId: 'b', target: 't', tags: [], platforms: ['linux/amd64'], argv: []};
		const text = Array.from({length: 1000}, (_, i) => `line ${i}\n`).join('');
		const tailFor = (chunk: number) => {
			const events: DomainEvent[] = [
				{type: 'build/queued', at: 0, spec},
				{type: 'build/status-received', at: 1, buildId: 'b', status: {vertexes: [{digest: 'sha256:l', name: '[1/1] RUN x'}]}},
			];
			for (let i = 0; i < text.length; i += chunk) events.push({type: 'build/status-received', at: 2, buildId: 'b', status: {logs: [{vertex: 'sha256:l', text: text.slice(i, i + chunk)}]}});
			const step = reduceAll(initialDomainState, events).builds.byId.b!.steps[0]!;
			return step;
		};
		const step = tailFor(7);
		expect(step.logTail).toHaveLength(40);
		expect(step.logTail.at(-1)).toBe('line 999');
		expect(step.logLineCount).toBe(1000);
		expect(logLines(step, 40)).toEqual(Array.from({length: 40}, (_, i) => `line ${960 + i}`));
		for (const chunk of [1, 13, 500, text.length]) expect(tailFor(chunk).logTail).toEqual(step.logTail);
	});
});
