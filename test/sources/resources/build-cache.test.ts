// The du runner with a fake docker that replays the real du capture slowly: runs are serialised (never two at
// once), requests during a run coalesce into one follow-up, failures are events with docker's message.
import {describe, expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {createBuildCache, duArgv} from '../../../source/sources/build-cache.js';
import {manualClock} from '../../../source/domain/clock.js';
import {realDir} from '../../helpers/captures.js';
import {fakeDocker} from './fake-docker.js';

const verbose = `${realDir}01-after-cold.buildx-du-verbose.txt`;

describe('build cache (du runner)', () => {
	it('asks buildx >= 0.28 for json and older buildx for --verbose, always naming the builder', () => {
		expect(duArgv('mybuilder', '0.13.1+ds1')).toEqual({argv: ['buildx', 'du', '--builder', 'mybuilder', '--verbose'], format: 'verbose'});
		expect(duArgv('mybuilder', '0.28.0')).toEqual({argv: ['buildx', 'du', '--builder', 'mybuilder', '--format', 'json'], format: 'json'});
	});

	it('never runs two du at once; requests during a run share one follow-up run', async () => {
		const docker = fakeDocker([{match: 'buildx du --builder mybuilder --verbose', stdoutFile: verbose, delay: 0.4}]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const cache = createBuildCache({builder: 'mybuilder', emit: e => events.push(e), clock: manualClock(5000), signal: controller.signal, env: docker.env, periodMs: 60_000});
		const first = cache.refresh('initial');
		const second = cache.refresh('build-ended');
		const third = cache.refresh('build-ended');
		const fourth = cache.measureNow('prune-before');
		expect(second).toBe(third);
		expect(third).toBe(fourth);
		const [a, b] = await Promise.all([first, fourth]);
		controller.abort();
		expect(a?.totalBytes).toBe(1_560_000_000);
		expect(b?.recordCount).toBe(26);
		const calls = docker.calls();
		expect(calls.map(c => c.event)).toEqual(['start', 'end', 'start', 'end']);
		expect(calls[2]!.ms).toBeGreaterThanOrEqual(calls[1]!.ms);
		expect(events.map(e => (e.type === 'cache/measured' ? [e.type, e.builder, e.reason, e.usage.totalBytes, e.at] : e.type))).toEqual([
			['cache/measured', 'mybuilder', 'initial', 1_560_000_000, 5000],
			['cache/measured', 'mybuilder', 'build-ended', 1_560_000_000, 5000],
		]);
	});

	it('measures again on its period, counted from the last measurement', async () => {
		const docker = fakeDocker([{match: 'buildx du *', stdoutFile: verbose}]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const cache = createBuildCache({builder: 'mybuilder', emit: e => events.push(e), clock: manualClock(0), signal: controller.signal, env: docker.env, periodMs: 300});
		const running = cache.run();
		const deadline = Date.now() + 10_000;
		while (events.length < 3 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 50));
		controller.abort();
		await running;
		expect(events.slice(0, 3).map(e => (e.type === 'cache/measured' ? e.reason : e.type))).toEqual(['initial', 'periodic', 'periodic']);
	});

	it('reports a failed du with docker\'s last error line', async () => {
		const docker = fakeDocker([{match: 'buildx du *', stderr: 'ERROR: no builder "gone" found', exitCode: 1}]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const cache = createBuildCache({builder: 'gone', emit: e => events.push(e), clock: manualClock(7), signal: controller.signal, env: docker.env});
		expect(await cache.refresh('manual')).toBeUndefined();
		controller.abort();
		expect(events).toEqual([{type: 'cache/measure-failed', at: 7, builder: 'gone', reason: 'manual', message: 'ERROR: no builder "gone" found'}]);
	});
});
