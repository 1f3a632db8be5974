import {describe, expect, it} from 'vitest';
import {selectDownloadLine, selectDownloadSummaries} from '../../source/state/download-selectors.js';
import {downloadLineText} from '../../source/plain/download-text.js';
import {reduceDownloads} from '../../source/state/slices/downloads.js';
import type {DomainState} from '../../source/state/reducer.js';
import {stateAt, trackedEvents} from '../helpers/download-state.js';

const ms = (iso: string) => Date.parse(iso);
const both = ['linux/amd64', 'linux/arm64'];
const line = (state: DomainState, platform: string, nowMs: number) => {
	const view = selectDownloadLine(state, 'b1', platform, nowMs);
	return view && downloadLineText(view);
};

describe('the line under a platform row, real capture 01 (plain pip: nothing between start and final bar)', () => {
	const events = trackedEvents('01-cold-multiplatform-oci.stderr.rawjson', both);
	const torchStart = ms('2026-11-29T10:42:04.967428688Z');

	it('while torch downloads: size and time so far, no invented rate (no rx counters with host networking)', () => {
		const state = stateAt(events, torchStart + 5000);
		expect(selectDownloadLine(state, 'b1', 'linux/amd64', torchStart + 5000)).toMatchObject({
			kind: 'active',
			package: 'torch',
			version: '2.5.1+cpu',
			totalBytes: 120_000_000,
			elapsedMs: 5000,
			isEstimate: false,
			moreCount: 0,
		});
		expect(line(state, 'linux/amd64', torchStart + 5000)).toBe('torch 2.5.1+cpu  120.0 MB  downloading 0:05');
		// arm64 has only its layer pull so far: a summary.
		expect(line(state, 'linux/arm64', torchStart + 5000)).toBe('python:bookworm layer a7f82e7a4419  55.1 MB in 0.2s  267.6 MB/s');
	});

	it('when the build is over: a summary per platform', () => {
		const state = stateAt(events);
		expect(line(state, 'linux/amd64', state.lastEventAt)).toBe('torch 2.5.1+cpu  120.0 MB in 9.3s  12.9 MB/s  +2 more (58.5 MB)');
		expect(line(state, 'linux/arm64', state.lastEventAt)).toBe('torch 2.5.1+cpu  120.0 MB in 9.2s  13.0 MB/s  +1 more (55.1 MB)  1 cached');
	});

	it('carries each download for the --json summary', () => {
		const summary = selectDownloadSummaries(stateAt(events));
		expect(summary.map(d => [d.platform, d.package, d.status, d.sizeBytes, d.durationMs, d.bytesPerSecond, d.source])).toEqual([
			['linux/amd64', '127.0.0.1:5000/lab/python:bookworm', 'done', 55_485_144, 182, 304_863_429, 'buildkit-status'],
			['linux/arm64', '127.0.0.1:5000/lab/python:bookworm', 'done', 55_118_364, 206, 267_564_874, 'buildkit-status'],
			['linux/amd64', 'torch', 'done', 120_000_000, 9278, 12_933_822, 'pip-bar'],
			['linux/amd64', 'numpy', 'done', 3_000_000, 273, 10_989_011, 'pip-bar'],
			['linux/arm64', 'torch', 'done', 120_000_000, 9228, 13_003_901, 'pip-bar'],
			['linux/arm64', 'numpy', 'cached', 3_000_000, 0, undefined, 'pip-log'],
		]);
		expect(summary[2]).toEqual({
			buildId: 'b1',
			platform: 'linux/amd64',
			package: 'torch',
			version: '2.5.1+cpu',
			file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
			kind: 'wheel',
			tool: 'pip',
			status: 'done',
			sizeBytes: 120_000_000,
			isSizeRounded: true,
			startedAt: torchStart,
			durationMs: 9278,
			bytesPerSecond: 12_933_822,
			source: 'pip-bar',
			isEstimate: false,
		});
	});

	it('with rx counters, the silent download gets a network estimate, shown with ≈', () => {
		let state = stateAt(events, torchStart + 4000);
		// BuildKit container counters (synthetic samples): 14 MB/s from just before the download.
		const samples = [-1000, 0, 1000, 2000, 3000, 4000].map(dt => ({at: torchStart + dt, rx: 1_000_000_000 + Math.max(0, dt) * 14_000}));
		for (const s of samples) {
			state = {
				...state,
				downloads: reduceDownloads(state.downloads, {
					type: 'stats/sampled',
					at: s.at,
					sample: {node: 'mybuilder0', container: 'buildx_buildkit_mybuilder0', cpuPercent: 100, memoryBytes: 1, memoryLimitBytes: 2, netRxBytes: s.rx, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0, source: 'engine-api'},
				}),
			};
		}
		expect(selectDownloadLine(state, 'b1', 'linux/amd64', torchStart + 4000)).toMatchObject({
			kind: 'active',
			doneBytes: 56_000_000,
			bytesPerSecond: 14_000_000,
			etaMs: 4571,
			isEstimate: true,
			source: 'network-estimate',
		});
		expect(line(state, 'linux/amd64', torchStart + 4000)).toBe('torch 2.5.1+cpu  ≈56.0/120.0 MB  ≈14.0 MB/s  eta ≈0:05');
	});
});

describe('the line under a platform row, synthetic streams', () => {
	it('a rich live bar: bytes, rate and eta from pip', () => {
		const events = trackedEvents('synthetic-pip-live-bar.rawjson', ['linux/amd64']);
		const at = Date.parse('2026-01-15T10:00:05.120Z');
		expect(line(stateAt(events, at), 'linux/amd64', at)).toBe('torch 2.5.1+cpu  65.9/120.0 MB  13.9 MB/s  eta 0:04');
		const end = stateAt(events);
		expect(line(end, 'linux/amd64', end.lastEventAt)).toBe('torch 2.5.1+cpu  120.0 MB in 9.2s  13.0 MB/s  +1 more (3.0 MB)');
	});

	it('two platforms at once, one failing: each row its own line', () => {
		const events = trackedEvents('synthetic-pip-raw-two-platforms.rawjson', both);
		const at = Date.parse('2026-01-15T10:00:05.300Z');
		const mid = stateAt(events, at);
		expect(line(mid, 'linux/amd64', at)).toBe('torch 2.5.1+cpu  45.0/120.0 MB  10.0 MB/s  eta 0:08');
		expect(line(mid, 'linux/arm64', at)).toBe('torch 2.5.1+cpu  45.0/120.0 MB  10.0 MB/s  eta 0:08');
		const end = stateAt(events);
		expect(line(end, 'linux/arm64', end.lastEventAt)).toBe('torch 2.5.1+cpu  failed at 60.0/120.0 MB after 6.4s');
		expect(line(end, 'linux/amd64', end.lastEventAt)).toBe('torch 2.5.1+cpu  120.0 MB in 12.3s  9.7 MB/s  +1 more (3.0 MB)');
	});

	it('uv: the bigger of two parallel downloads, with the count of the others; no rate without a source', () => {
		const events = trackedEvents('synthetic-uv.rawjson', ['linux/amd64']);
		const at = Date.parse('2026-01-15T10:00:10.000Z');
		expect(line(stateAt(events, at), 'linux/amd64', at)).toBe('torch  766.6 MB  downloading 0:10  +1 more');
	});

	it('nothing for a row without downloads', () => {
		const events = trackedEvents('02-warm-multiplatform-oci.stderr.rawjson', both);
		expect(selectDownloadLine(stateAt(events), 'b1', 'linux/amd64', 0)).toBeUndefined();
	});
});
