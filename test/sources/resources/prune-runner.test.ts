// The prune runner with a fake docker replaying the real prune and du captures: du before, the exact argv, progress
// from the streamed records, bytes reclaimed from `Total:`, du after; a failure keeps docker's message.
import {describe, expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {createBuildCache} from '../../../source/sources/build-cache.js';
import {runPrune} from '../../../source/sources/prune-runner.js';
import {manualClock} from '../../../source/domain/clock.js';
import {initialDomainState, reduceAll} from '../../../source/state/reducer.js';
import {selectResourceSummary} from '../../../source/state/resource-selectors.js';
import {realDir} from '../../helpers/captures.js';
import {fakeDocker} from './fake-docker.js';

describe('prune runner', () => {
	it('k with keep 0.1 GB on buildx 0.13: --keep-storage, du before/after around it, reclaimed from Total:', async () => {
		const docker = fakeDocker([
			{match: 'buildx prune --builder mybuilder --force --keep-storage 100000000', stdoutFile: `${realDir}05-prune-keep-storage-100MB.txt`, delay: 0.2},
			{match: 'buildx du --builder mybuilder --verbose', stdoutFile: `${realDir}04-after-push.buildx-du-verbose.txt`},
		]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const clock = manualClock(1000);
		const emit = (e: DomainEvent) => events.push(e);
		const cache = createBuildCache({builder: 'mybuilder', emit, clock, signal: controller.signal, env: docker.env});
		const outcome = await runPrune(
			{commandId: 'prune-keep', builder: 'mybuilder', buildxVersion: '0.13.1+ds1', keepGb: 0.1},
			{emit, clock, signal: controller.signal, cache, env: docker.env, progressEveryMs: 0},
		);
		controller.abort();
		const argv = ['buildx', 'prune', '--builder', 'mybuilder', '--force', '--keep-storage', '100000000'];
		expect(outcome).toEqual({ok: true, pruneId: (outcome as {pruneId: string}).pruneId, reclaimedBytes: 3_221_000_000, recordsRemoved: 60, argv});
		expect(docker.calls().filter(c => c.event === 'start').map(c => c.args)).toEqual([
			'buildx du --builder mybuilder --verbose',
			argv.join(' '),
			'buildx du --builder mybuilder --verbose',
		]);
		const types = events.map(e => e.type);
		expect(types[0]).toBe('cache/measured');
		expect(types[1]).toBe('prune/started');
		expect(types.filter(t => t === 'prune/progressed').length).toBeGreaterThanOrEqual(1);
		expect(types.slice(-2)).toEqual(['prune/finished', 'cache/measured']);
		const started = events[1] as Extract<DomainEvent, {type: 'prune/started'}>;
		expect([started.argv, started.estimateBytes, started.builder]).toEqual([argv, 3_121_000_000, 'mybuilder']);
		const lastProgress = events.filter(e => e.type === 'prune/progressed').pop() as Extract<DomainEvent, {type: 'prune/progressed'}>;
		expect([lastProgress.recordsRemoved, lastProgress.bytesRemoved]).toEqual([60, 3_221_421_114]);
		const summary = selectResourceSummary(reduceAll(initialDomainState, events));
		expect(summary.prunes).toEqual([
			{
				command: `docker ${argv.join(' ')}`,
				commandId: 'prune-keep',
				builder: 'mybuilder',
				status: 'done',
				reclaimedBytes: 3_221_000_000,
				estimateBytes: 3_121_000_000,
				cacheBefore: {totalBytes: 3_221_000_000, reclaimableBytes: 3_221_000_000},
				cacheAfter: {totalBytes: 3_221_000_000, reclaimableBytes: 3_221_000_000},
			},
		]);
	});

	it('a prune that fails is an event with docker\'s message, and du still runs after it', async () => {
		const docker = fakeDocker([
			{match: 'buildx prune *', stderr: 'ERROR: failed to prune: rpc error: code = Unavailable desc = connection error', exitCode: 1},
			{match: 'buildx du *', stdoutFile: `${realDir}06-after-prune-all.buildx-du-verbose.txt`},
		]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const clock = manualClock(1);
		const emit = (e: DomainEvent) => events.push(e);
		const cache = createBuildCache({builder: 'default', emit, clock, signal: controller.signal, env: docker.env});
		const outcome = await runPrune({commandId: 'prune-all', builder: 'default'}, {emit, clock, signal: controller.signal, cache, env: docker.env});
		controller.abort();
		expect(outcome).toMatchObject({ok: false, message: 'ERROR: failed to prune: rpc error: code = Unavailable desc = connection error'});
		expect(events.map(e => e.type)).toEqual(['cache/measured', 'prune/started', 'prune/failed', 'cache/measured']);
		expect(events[2]).toMatchObject({exitCode: 1, message: 'ERROR: failed to prune: rpc error: code = Unavailable desc = connection error'});
	});
});
