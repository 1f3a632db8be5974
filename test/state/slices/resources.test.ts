// The resources slice and its selectors, fed the real captures as the live sources would turn them into events.
import {describe, expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../../source/state/reducer.js';
import {ringSize} from '../../../source/state/slices/resources.js';
import {
	selectCacheView,
	selectHostView,
	selectResourceRows,
	selectResourceSummary,
	selectResourceWarnings,
} from '../../../source/state/resource-selectors.js';
import {parseBuildxInspect} from '../../../source/lib/buildx-inspect.js';
import {parseDu} from '../../../source/lib/du-table.js';
import {sampleFromFigures, statsFigures, type EngineStats} from '../../../source/lib/docker-stats-calc.js';
import {planTargets} from '../../../source/sources/builder-info.js';
import {readReal} from '../../helpers/captures.js';

const builder = parseBuildxInspect(readReal('00-buildx-inspect-mybuilder.txt'))!;
const targets = planTargets(builder, {mybuilder0: {host: 'unix:///var/run/docker.sock', origin: ''}});

function statsEvents(capture: string, node = 'mybuilder0'): DomainEvent[] {
	return readReal(`${capture}.engine-api-stats.jsonl`)
		.trim()
		.split('\n')
		.map(line => {
			const f = statsFigures(JSON.parse(line) as EngineStats);
			const sample = sampleFromFigures(node, `buildx_buildkit_${node}`, f);
			return {type: 'stats/sampled', at: f.readMs!, sample};
		});
}

const inspected: DomainEvent = {type: 'builder/inspected', at: 1000, builder, targets, buildxVersion: '0.13.1+ds1'};

describe('builder and nodes', () => {
	it('plans one container per docker-container node', () => {
		expect(targets).toEqual([{node: 'mybuilder0', dockerHost: 'unix:///var/run/docker.sock', container: 'buildx_buildkit_mybuilder0'}]);
	});

	it('says what is not measurable for other drivers instead of zeros', () => {
		const docker = parseBuildxInspect('Name: default\nDriver: docker\n\nNodes:\nName: default\nEndpoint: default\nStatus: running\n')!;
		const state = reduceAll(initialDomainState, [{type: 'builder/inspected', at: 1, builder: docker, targets: planTargets(docker, {})}]);
		const rows = selectResourceRows(state, 1);
		expect(rows.map(r => [r.node, r.status, r.message, r.cpuPercent])).toEqual([
			['default', 'not-measurable', 'docker driver: BuildKit runs inside dockerd, there is no BuildKit container (see the Docker host below)', undefined],
		]);
		for (const driver of ['kubernetes', 'remote']) {
			const other = {...docker, driver};
			expect(planTargets(other, {})[0]!.notMeasurable).toMatch(new RegExp(`^${driver} driver: .*not measurable`));
		}
	});
});

describe('container stats', () => {
	const events = [inspected, ...statsEvents('01-cold-multiplatform-oci')];
	const state = reduceAll(initialDomainState, events);

	it('keeps session peaks and means, and the latest sample', () => {
		const node = state.resources.nodes['mybuilder0']!;
		expect(node.sampleCount).toBe(50);
		expect(node.peakCpuPercent).toBe(193.833839800995);
		expect(node.cpuPercentSum / node.sampleCount).toBeCloseTo(96.7233395589203, 9);
		expect(node.peakMemoryBytes).toBe(723_218_432);
		expect(node.status).toBe('ok');
		expect(node.restarts).toBe(0);
		const summary = selectResourceSummary(state);
		expect(summary.nodes).toEqual([
			{
				node: 'mybuilder0',
				container: 'buildx_buildkit_mybuilder0',
				samples: 50,
				peakCpuPercent: 193.83,
				meanCpuPercent: 96.72,
				peakMemoryBytes: 723_218_432,
				netRxBytes: 0,
				netTxBytes: 0,
				restarts: 0,
				outages: 0,
			},
		]);
	});

	it('bounds the sparkline rings to 60 samples', () => {
		const more = reduceAll(state, statsEvents('07-concurrent-per-platform-cold'));
		const node = more.resources.nodes['mybuilder0']!;
		expect(node.sampleCount).toBe(102);
		expect(node.cpuHistory.length).toBe(ringSize);
		expect(node.memoryHistory.length).toBe(60);
		expect(node.cpuHistory[59]).toBe(more.resources.nodes['mybuilder0']!.latest!.cpuPercent);
	});

	it('shows an outage, then recovers; counts network received across a counter reset', () => {
		const base = {
			node: 'mybuilder0',
			container: 'buildx_buildkit_mybuilder0',
			cpuPercent: 10,
			memoryBytes: 1,
			memoryLimitBytes: 2,
			netTxBytes: 0,
			blockReadBytes: 0,
			blockWriteBytes: 0,
			source: 'engine-api' as const,
		};
		const s = reduceAll(initialDomainState, [
			inspected,
			{type: 'stats/sampled', at: 1000, sample: {...base, containerId: 'a', netRxBytes: 5_000}},
			{type: 'stats/sampled', at: 2000, sample: {...base, containerId: 'a', netRxBytes: 8_000}},
			{type: 'stats/unavailable', at: 3000, node: 'mybuilder0', container: 'buildx_buildkit_mybuilder0', reason: 'container-missing', message: 'No such container: buildx_buildkit_mybuilder0'},
			{type: 'stats/unavailable', at: 4000, node: 'mybuilder0', reason: 'daemon-unreachable', message: 'cannot reach the Docker daemon at unix:///var/run/docker.sock (ECONNREFUSED)'},
		]);
		expect(selectResourceRows(s, 9000)[0]).toMatchObject({
			status: 'unavailable',
			message: 'Docker daemon unreachable for 6.0s; retrying (cannot reach the Docker daemon at unix:///var/run/docker.sock (ECONNREFUSED))',
		});
		expect(selectResourceWarnings(s, 9000)).toEqual([
			{level: 'warning', text: 'mybuilder0: Docker daemon unreachable for 6.0s; retrying (cannot reach the Docker daemon at unix:///var/run/docker.sock (ECONNREFUSED))'},
		]);
		const back = reduceAll(s, [{type: 'stats/sampled', at: 10_000, sample: {...base, containerId: 'b', netRxBytes: 1_000}}]);
		const node = back.resources.nodes['mybuilder0']!;
		expect([node.status, node.outages, node.restarts, node.netRxTotalBytes]).toEqual(['ok', 1, 1, 4_000]);
		expect(selectResourceWarnings(back, 10_000)).toEqual([]);
		expect(selectResourceRows(back, 16_000)[0]).toMatchObject({isStale: true, message: 'no sample for 6.0s'});
	});
});

describe('host and disk', () => {
	it('warns under the --min-free threshold and keeps free space before/after', () => {
		const host = (at: number, free: number): DomainEvent => ({
			type: 'host/sampled',
			at,
			host: {isDaemonLocal: true, minFreeBytes: 10e9, diskPath: '/var/lib/docker', dockerRootDir: '/var/lib/docker', diskFreeBytes: free, diskTotalBytes: 100e9, cpuPercent: 50, memoryUsedBytes: 4e9, memoryTotalBytes: 8e9},
		});
		const s = reduceAll(initialDomainState, [host(1, 12e9), host(2, 9.5e9), host(3, 11e9)]);
		expect(selectHostView(s)).toMatchObject({isDiskLow: false, diskFreeBytes: 11e9});
		expect(selectResourceSummary(s).host).toEqual({diskPath: '/var/lib/docker', freeBytesBefore: 12e9, freeBytesAfter: 11e9, freeBytesMin: 9.5e9, peakCpuPercent: 50, peakMemoryUsedBytes: 4e9});
		const low = reduceAll(s, [host(4, 8.2e9)]);
		expect(selectResourceWarnings(low, 4)).toEqual([{level: 'warning', text: 'low disk: 8.2 GB free on /var/lib/docker (under 10.0 GB)'}]);
	});

	it('says a remote daemon is not local', () => {
		const s = reduceAll(initialDomainState, [
			{type: 'host/sampled', at: 1, host: {isDaemonLocal: false, daemonHost: 'tcp://10.0.0.5:2376', minFreeBytes: 10e9, diskUnavailable: 'Docker daemon at tcp://10.0.0.5:2376 is not on this machine: its disk is not measurable here'}},
		]);
		expect(selectHostView(s)).toMatchObject({isDaemonLocal: false, isDiskLow: false, diskUnavailable: 'Docker daemon at tcp://10.0.0.5:2376 is not on this machine: its disk is not measurable here'});
	});
});

describe('build cache and prunes', () => {
	const before = parseDu(readReal('04-after-push.buildx-du-verbose.txt'), 'verbose');
	const after = parseDu(readReal('05-after-prune-keep-storage.buildx-du-verbose.txt'), 'verbose');
	const argv = ['buildx', 'prune', '--builder', 'mybuilder', '--force', '--keep-storage', '100000000'];
	const events: DomainEvent[] = [
		inspected,
		{type: 'cache/measured', at: 10, builder: 'mybuilder', reason: 'initial', usage: parseDu(readReal('01-after-cold.buildx-du-verbose.txt'), 'verbose'), durationMs: 300},
		{type: 'cache/measured', at: 20, builder: 'mybuilder', reason: 'prune-before', usage: before, durationMs: 300},
		{type: 'prune/started', at: 21, pruneId: 'x', commandId: 'prune-keep', builder: 'mybuilder', argv, estimateBytes: 3_121_000_000},
		{type: 'prune/progressed', at: 22, pruneId: 'x', recordsRemoved: 30, bytesRemoved: 1_000_000_000},
		{type: 'prune/finished', at: 25, pruneId: 'x', reclaimedBytes: 3_221_000_000, recordsRemoved: 60, durationMs: 4000},
		{type: 'cache/measured', at: 26, builder: 'mybuilder', reason: 'prune-after', usage: after, durationMs: 300},
	];
	const state = reduceAll(initialDomainState, events);

	it('records each prune with du before and after', () => {
		expect(selectResourceSummary(state).prunes).toEqual([
			{
				command: 'docker buildx prune --builder mybuilder --force --keep-storage 100000000',
				commandId: 'prune-keep',
				builder: 'mybuilder',
				status: 'done',
				reclaimedBytes: 3_221_000_000,
				estimateBytes: 3_121_000_000,
				cacheBefore: {totalBytes: 3_221_000_000, reclaimableBytes: 3_221_000_000},
				cacheAfter: {totalBytes: 24_580, reclaimableBytes: 24_580},
			},
		]);
		expect(selectResourceSummary(state).cache).toEqual({
			before: {totalBytes: 1_560_000_000, reclaimableBytes: 1_560_000_000},
			after: {totalBytes: 24_580, reclaimableBytes: 24_580},
		});
	});

	it('shows the latest du and its age', () => {
		const view = selectCacheView(state, 5026, 3);
		expect([view.totalBytes, view.recordCount, view.ageMs, view.largest.length, view.largest[0]!.recordType]).toEqual([24_580, 1, 5000, 1, 'source.local']);
	});

	it('keeps a failed prune and a failed du as warnings, not silence', () => {
		const failed = reduceAll(state, [
			{type: 'prune/started', at: 30, pruneId: 'y', commandId: 'prune-unused', builder: 'mybuilder', argv: ['buildx', 'prune', '--builder', 'mybuilder', '--force']},
			{type: 'prune/failed', at: 31, pruneId: 'y', message: 'ERROR: no builder "mybuilder" found', exitCode: 1, durationMs: 200},
			{type: 'cache/measure-failed', at: 32, builder: 'mybuilder', reason: 'prune-after', message: 'ERROR: no builder "mybuilder" found'},
		]);
		expect(selectResourceWarnings(failed, 40)).toEqual([
			{level: 'warning', text: 'build cache: du failed: ERROR: no builder "mybuilder" found'},
			{level: 'error', text: 'prune failed: ERROR: no builder "mybuilder" found'},
		]);
		expect(failed.resources.cache.latest?.totalBytes).toBe(24_580);
	});

	it('ignores progress of a prune it never saw; keeps the end of one (its start line lost), of unknown command', () => {
		const same = reduceAll(state, [{type: 'prune/progressed', at: 40, pruneId: 'nope', recordsRemoved: 1, bytesRemoved: 1}]);
		expect(same.resources).toBe(state.resources);
		const ended = reduceAll(state, [{type: 'prune/finished', at: 40, pruneId: 'nope', reclaimedBytes: 1, recordsRemoved: 1, durationMs: 1}]);
		expect(ended.resources.prunes.at(-1)).toMatchObject({pruneId: 'nope', commandId: 'unknown', status: 'done', reclaimedBytes: 1, startedAt: 39});
		expect(ended.resources.prunes.length).toBe(state.resources.prunes.length + 1);
	});
});
