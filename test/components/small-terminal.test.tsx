// An 80x24 terminal with the seed's bake (backend-cpu for two platforms, backend-cuda, frontend for two platforms:
// five rows) on a docker-container builder: the header's counts (failed included) and a one-line resources summary
// (each node's CPU and memory, the build cache total, free disk) must stay visible at every size; the log box gets
// what is left. Builds, stats, du and inspect are the real captures.
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreProvider} from '../../source/app/store-context.js';
import {App} from '../../source/app/app.js';
import {createAppStore} from '../../source/state/store.js';
import type {DomainEvent} from '../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {captureEvents} from '../helpers/captures.js';
import {waitForFrame} from '../helpers/ink.js';
import {builderInspected, cacheEvent, hostEvent, statsEvents} from './resources/resource-states.js';

const both = ['linux/amd64', 'linux/arm64'];

function seedBake(): DomainEvent[] {
	const builds = [
		...captureEvents('01-cold-multiplatform-oci.stderr.rawjson', {buildId: 'backend-cpu', target: 'backend-cpu', platforms: both, variant: 'cpu'}),
		...captureEvents('07-concurrent-per-platform-cold-amd64.stderr.rawjson', {buildId: 'backend-cuda', target: 'backend-cuda', platforms: ['linux/amd64'], variant: 'cuda'}),
		...captureEvents('09-fail-multiplatform-rawjson.stderr.rawjson', {buildId: 'frontend', target: 'frontend', platforms: both}, 4096, 1),
	];
	const stats = statsEvents('01-cold-multiplatform-oci');
	const end = Math.max(...builds.map(e => e.at), ...stats.map(e => e.at));
	return [
		{type: 'session/started', at: builds[0]!.at, info: {command: ['bake'], mode: 'bake', builder: 'mybuilder', driver: 'docker-container', buildkitVersion: 'v0.26.3', nativePlatform: 'linux/amd64', recordingPath: 'recordings/2026-11-29T10-41-58_backend-cpu_backend-cuda_frontend.bxrec'}},
		builderInspected(),
		...builds,
		...stats,
		hostEvent(end),
		cacheEvent(end),
		{type: 'sampling/stopped', at: end + 1, reason: 'builds-ended'},
		{type: 'session/ended', at: end + 2, reason: 'failed'},
	].sort((a, b) => a.at - b.at) as DomainEvent[];
}

async function frameAt(columns: number, rows: number, summaryLines: string[] = [], selectedRow = 0): Promise<string> {
	const store = createAppStore(reduceAll(initialDomainState, seedBake()));
	store.getState().setUi(() => ({summaryLines, selectedRow}));
	const view = render(
		<StoreProvider store={store}>
			<App mode="live" quit={() => {}} size={{columns, rows}} />
		</StoreProvider>,
	);
	const frame = await waitForFrame(view.lastFrame, f => f.includes('bxtop'));
	view.unmount();
	return frame;
}

const comparison = [
	'backend-cpu (cpu) linux/amd64 47.2s (first run)',
	'backend-cpu (cpu) linux/arm64 47.0s (first run)',
	'backend-cuda (cuda) linux/amd64 24.5s (first run)',
	'frontend linux/amd64 failed',
	'frontend linux/arm64 cancelled',
];

describe('small terminals keep the counts and a resources summary', () => {
	for (const [columns, rows] of [
		[80, 24],
		[80, 16],
		[100, 20],
		[60, 14],
	] as const) {
		test(`${columns}x${rows}`, async () => {
			const frame = await frameAt(columns, rows, comparison);
			const lines = frame.split('\n');
			expect(lines.length).toBeLessThan(rows);
			for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(columns);
			// three builds: backend-cpu and backend-cuda done, frontend failed (its arm64 row is cancelled with it)
			expect(lines[0]).toMatch(/^bxtop .*running 0 done 2 failed 1  4m13s/);
			const summary = lines.find(l => l.startsWith('mybuilder0 '));
			expect(summary, frame).toBeDefined();
			if (columns >= 80) expect(summary).toBe('mybuilder0 cpu 0.68% mem 683.7MiB · cache 3.2 GB · disk 41.2 GB free');
			else expect(summary).toMatch(/^mybuilder0 cpu 0\.68% mem 683\.7MiB · cache 3\.2 GB · /);
		});
	}

	test('80x24 with the failed row selected: the log box shows the failure in the lines that are left', async () => {
		const frame = await frameAt(80, 24, comparison, 3);
		expect(frame).toContain('┌');
		expect(frame.split('\n').filter(l => l.startsWith('│')).length).toBeGreaterThanOrEqual(3);
	});
});
