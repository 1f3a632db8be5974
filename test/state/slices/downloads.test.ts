import {describe, expect, it} from 'vitest';
import {initialDownloadsState, maxDownloadRecords, maxRxSamples, reduceDownloads, type DownloadsState} from '../../../source/state/slices/downloads.js';
import type {DownloadEvent} from '../../../source/domain/downloads-events.js';
import type {DomainEvent} from '../../../source/domain/events.js';
import {stateAt, trackedEvents} from '../../helpers/download-state.js';

const started = (id: string, at: number): DownloadEvent => ({
	type: 'download/started',
	at,
	buildId: 'b1',
	platform: 'linux/amd64',
	downloadId: id,
	package: 'torch',
	version: '2.5.1',
	file: 'torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl',
	kind: 'wheel',
	tool: 'pip',
	vertex: 'sha256:aa',
	totalBytes: 174_700_000,
	isTotalRounded: true,
	source: 'pip-log',
});

describe('downloads slice', () => {
	it('folds a real capture into one record per download (capture 01)', () => {
		const state = stateAt(trackedEvents('01-cold-multiplatform-oci.stderr.rawjson', ['linux/amd64', 'linux/arm64']));
		expect(state.downloads.order).toHaveLength(6);
		expect(state.downloads.byKey['b1|ea9f5e16e3b9-1']).toEqual({
			key: 'b1|ea9f5e16e3b9-1',
			buildId: 'b1',
			platform: 'linux/amd64',
			downloadId: 'ea9f5e16e3b9-1',
			package: 'torch',
			version: '2.5.1+cpu',
			file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
			kind: 'wheel',
			tool: 'pip',
			vertex: 'sha256:ea9f5e16e3b9d2551092ed2789f939fa2e500372f2129567b4437c464e53b3ff',
			url: 'http://127.0.0.1:8000/files/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl',
			status: 'done',
			startedAt: Date.parse('2026-11-29T10:42:04.967428688Z'),
			totalBytes: 120_000_000,
			isTotalRounded: true,
			doneBytes: 120_000_000,
			sizeBytes: 120_000_000,
			source: 'pip-bar',
			isEstimate: false,
			finishedAt: Date.parse('2026-11-29T10:42:14.245314959Z'),
			durationMs: 9278,
			averageBytesPerSecond: 12_933_822,
		});
	});

	it('is plain JSON: recorded events replayed give the same state', () => {
		const events = trackedEvents('synthetic-pip-raw-two-platforms.rawjson', ['linux/amd64', 'linux/arm64']);
		const replayed = JSON.parse(JSON.stringify(events)) as DomainEvent[];
		expect(stateAt(replayed).downloads).toEqual(stateAt(events).downloads);
	});

	it('ignores progress of unknown or finished downloads and never throws on odd input', () => {
		const progress: DownloadEvent = {type: 'download/progressed', at: 5, buildId: 'b1', platform: 'linux/amd64', downloadId: 'nope', doneBytes: 5, source: 'pip-raw', isEstimate: false};
		expect(reduceDownloads(initialDownloadsState, progress)).toBe(initialDownloadsState);
		let state = reduceDownloads(initialDownloadsState, started('d1', 1));
		state = reduceDownloads(state, {type: 'download/failed', at: 9, buildId: 'b1', platform: 'linux/amd64', downloadId: 'd1', package: 'torch', file: 'f', kind: 'wheel', tool: 'pip', vertex: 'v', startedAt: 1, durationMs: 8, reason: 'cancelled', source: 'pip-log'});
		expect(reduceDownloads(state, {...progress, downloadId: 'd1'})).toBe(state);
		expect(state.byKey['b1|d1']).toMatchObject({status: 'failed', reason: 'cancelled', durationMs: 8});
	});

	it('keeps a finished download whose start it never saw (a recording cut in the middle)', () => {
		const state = reduceDownloads(initialDownloadsState, {
			type: 'download/finished',
			at: 10_000,
			buildId: 'b1',
			platform: 'linux/arm64',
			downloadId: 'x-1',
			package: 'torch',
			file: 'torch.whl',
			kind: 'wheel',
			tool: 'pip',
			vertex: 'v',
			startedAt: 1000,
			sizeBytes: 9_000_000,
			isSizeRounded: true,
			durationMs: 9000,
			bytesPerSecond: 1_000_000,
			source: 'pip-bar',
			isEstimate: false,
		});
		expect(state.byKey['b1|x-1']).toMatchObject({status: 'done', startedAt: 1000, finishedAt: 10_000, sizeBytes: 9_000_000, averageBytesPerSecond: 1_000_000});
	});

	it('bounds its records, never dropping an active one', () => {
		let state: DownloadsState = reduceDownloads(initialDownloadsState, started('first', 0));
		for (let i = 0; i < maxDownloadRecords + 50; i++) {
			state = reduceDownloads(state, {type: 'download/cache-hit', at: i + 1, buildId: 'b1', platform: 'linux/amd64', downloadId: `c${i}`, package: 'numpy', file: 'numpy.whl', kind: 'wheel', tool: 'pip', vertex: 'v', isSizeRounded: true, source: 'pip-log'});
		}
		expect(state.order).toHaveLength(maxDownloadRecords);
		expect(Object.keys(state.byKey)).toHaveLength(maxDownloadRecords);
		expect(state.byKey['b1|first']?.status).toBe('active');
		expect(state.order[1]).toBe('b1|c51'); // the oldest cache hits went first
	});

	it('keeps a bounded, time-ordered ring of rx counters per node', () => {
		let state = initialDownloadsState;
		const sample = (at: number, rx: number) =>
			reduceDownloads(state, {
				type: 'stats/sampled',
				at,
				sample: {node: 'n0', container: 'c', cpuPercent: 0, memoryBytes: 0, memoryLimitBytes: 0, netRxBytes: rx, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0, source: 'engine-api'},
			});
		for (let i = 0; i < maxRxSamples + 10; i++) state = sample(i * 1000, i);
		const repeated = sample(5, 1);
		expect(repeated).toBe(state);
		expect(state.rxByNode.n0).toHaveLength(maxRxSamples);
		expect(state.rxByNode.n0![0]).toEqual({at: 10_000, rxBytes: 10});
	});
});
