// Phase classification and phase durations over the REAL multi-platform captures (01 cold OCI export, 04 push),
// fed through the live parsing path with the download tracker. Expected durations are BuildKit's own timestamps:
// e.g. linux/amd64 dependency installation = `RUN python3 -m venv` (3335 ms) + `RUN pip install` (10667 ms).
import {describe, expect, test} from 'vitest';
import {classifyStep, isInstallStep, merge, phasesOf, subtract, unionMs} from '../../source/report/phases.js';
import {createMetricsFold, summarizeBuilds} from '../../source/report/metrics.js';
import {parseStepName} from '../../source/lib/step-name.js';
import {captureState} from '../helpers/captures.js';
import {realBuildEvents, sessions} from './real-sessions.js';
import type {PhaseSummary} from '../../source/report/types.js';

function summaryOf(build: (typeof sessions)['cold']['builds'][number] | (typeof sessions)['push']['builds'][number]) {
	const fold = createMetricsFold();
	for (const event of realBuildEvents(build, true)) fold.add(event);
	return summarizeBuilds(fold.state())[0]!;
}

/** phase -> [durationMs, busyMs, count, cachedCount] */
function table(phases: PhaseSummary[]): Record<string, [number, number, number, number]> {
	return Object.fromEntries(phases.map(p => [p.phase, [p.durationMs, p.busyMs, p.count, p.cachedCount]]));
}

describe('classifyStep over every vertex of the real cold multi-platform build', () => {
	test('each step lands in its phase', () => {
		const state = captureState('01-cold-multiplatform-oci.stderr.rawjson');
		const build = state.builds.byId.b1!;
		const byPhase: Record<string, string[]> = {};
		for (const step of build.steps) {
			if (step.platform === 'linux/arm64') continue; // the same steps as amd64
			const label = step.kind === 'step' ? `${step.stage} ${step.index}/${step.count} ${step.text.split(' ')[0]}` : step.name.replace('linux/amd64 ', '');
			(byPhase[classifyStep(step)] ??= []).push(label);
		}
		for (const list of Object.values(byPhase)) list.sort();
		expect(byPhase).toEqual({
			setup: [
				'[internal] load .dockerignore',
				'[internal] load build context',
				'[internal] load build definition from Dockerfile',
				'[internal] load metadata for 127.0.0.1:5000/lab/python:bookworm',
				'builder 1/7 FROM',
			],
			dependencies: ['builder 2/7 RUN', 'builder 5/7 RUN'],
			application: [
				'builder 3/7 WORKDIR',
				'builder 4/7 COPY',
				'builder 6/7 COPY',
				'builder 7/7 RUN',
				'runtime 2/5 RUN',
				'runtime 3/5 COPY',
				'runtime 4/5 COPY',
				'runtime 5/5 WORKDIR',
			],
			export: ['exporting to oci image format'],
		});
	});

	test('multi-node push: "merging manifest list" is the push phase', () => {
		const state = captureState('15-multinode-multiplatform.stderr.rawjson');
		const build = state.builds.byId.b1!;
		const merging = build.steps.find(s => s.name.startsWith('merging manifest list'))!;
		expect(classifyStep(merging)).toBe('push');
	});

	test.each([
		['RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt', true],
		['RUN python3 -m pip install --no-cache-dir torch', true],
		['RUN npm ci', true],
		['RUN yarn install --frozen-lockfile', true],
		['RUN yarn build', false],
		['RUN apt-get update && apt-get install -y curl', true],
		['RUN apk add --no-cache git', true],
		['RUN uv sync --frozen', true],
		['RUN poetry install --no-root', true],
		['RUN go mod download', true],
		['RUN go build ./...', false],
		['RUN python -m compileall -q app', false],
		['COPY requirements.txt .', false],
	])('isInstallStep(%s) = %s', (text, expected) => {
		expect(isInstallStep({kind: 'step', text: parseStepName(`[builder 1/2] ${text}`).text})).toBe(expected);
	});
});

describe('phase durations of the real cold multi-platform build (linux/arm64 emulated)', () => {
	const build = summaryOf(sessions.cold.builds[0]!);
	const amd64 = build.perPlatform.find(p => p.platform === 'linux/amd64')!;
	const arm64 = build.perPlatform.find(p => p.platform === 'linux/arm64')!;

	test('linux/amd64: wall time, busy time and step counts per phase', () => {
		expect(table(amd64.phases)).toEqual({
			setup: [2486, 2710, 5, 0],
			downloads: [9733, 9733, 3, 0],
			dependencies: [14002, 14002, 2, 0],
			application: [914, 914, 8, 0],
			export: [7578, 7578, 1, 0],
			push: [0, 0, 0, 0],
		});
		expect(amd64.durationMs).toBe(47_137);
	});

	test('linux/arm64: dependency installation under emulation takes 2.5x as long', () => {
		expect(table(arm64.phases)).toEqual({
			setup: [2504, 2740, 5, 0],
			downloads: [9434, 9434, 2, 0],
			dependencies: [35256, 35256, 2, 0],
			application: [1617, 1617, 8, 0],
			export: [7578, 7578, 1, 0],
			push: [0, 0, 0, 0],
		});
	});

	test('large downloads per platform come from the download events: the base layer and the torch wheel', () => {
		expect(amd64.phases.find(p => p.phase === 'downloads')!.details).toEqual([
			'127.0.0.1:5000/lab/python:bookworm: 55.5 MB in 0.2s, 304.9 MB/s',
			'torch 2.5.1+cpu: ~120.0 MB in 9.3s, 12.9 MB/s',
			'numpy 1.26.4: ~3.0 MB in 0.3s, 11.0 MB/s',
		]);
		expect(arm64.phases.find(p => p.phase === 'downloads')!.details).toEqual([
			'127.0.0.1:5000/lab/python:bookworm: 55.1 MB in 0.2s, 267.6 MB/s',
			'torch 2.5.1+cpu: ~120.0 MB in 9.2s, 13.0 MB/s',
		]);
		expect(amd64.phases.find(p => p.phase === 'setup')!.details).toEqual(['base image: 1 layer pulled, 55.5 MB']);
	});

	test('cache: cold, 0 of the 10 cacheable steps per platform (FROM not counted)', () => {
		expect(amd64.cache).toEqual({status: 'cold', cachedSteps: 0, totalSteps: 10, toolCacheHits: 0});
		// pip reused numpy from the cache mount the amd64 half had just filled
		expect(arm64.cache).toEqual({status: 'cold', cachedSteps: 0, totalSteps: 10, toolCacheHits: 1});
	});
});

describe('phase durations of the real warm push', () => {
	test('export is 35 ms once the 1364 ms of pushing layers and manifest are taken out of it', () => {
		const build = summaryOf(sessions.push.builds[0]!);
		expect(table(build.perPlatform[0]!.phases)).toEqual({
			setup: [46, 49, 5, 0],
			downloads: [0, 0, 0, 0],
			dependencies: [0, 0, 2, 2],
			application: [0, 0, 8, 8],
			export: [35, 35, 1, 0],
			push: [1364, 1364, 2, 0],
		});
		expect(build.perPlatform[0]!.phases.find(p => p.phase === 'push')!.details).toEqual(['pushed 127.0.0.1:5000/lab/transcriber:latest']);
		expect(build.cache).toEqual({status: 'warm', cachedSteps: 20, totalSteps: 20, toolCacheHits: 0});
	});
});

describe('interval arithmetic', () => {
	test('union, merge and subtract', () => {
		expect(unionMs([[0, 10], [5, 15], [20, 25]])).toBe(20);
		expect(merge([[20, 25], [0, 10], [10, 12]])).toEqual([[0, 12], [20, 25]]);
		expect(subtract([[0, 100]], [[10, 20], [15, 30], [90, 120]])).toEqual([[0, 10], [30, 90]]);
		expect(unionMs([])).toBe(0);
	});

	test('phasesOf with no steps and no download events: every phase zero, downloads left out', () => {
		expect(phasesOf([], undefined, 0).map(p => p.phase)).toEqual(['setup', 'dependencies', 'application', 'export', 'push']);
	});
});
