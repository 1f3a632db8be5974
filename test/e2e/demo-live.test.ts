// `npm start` with Docker reachable: the bundled example builds live for two platforms, and shows real progress on
// every run (a warm cache must not turn the demo into a 0.7 s "build" of cached steps).
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {expect, test} from 'vitest';
import {describeDocker} from '../helpers/docker.js';
import {runCli} from '../helpers/e2e.js';
import type {SessionSummary} from '../../source/report/json-summary.js';

describeDocker('demo with a real daemon', () => {
	test('builds examples/demo for linux/amd64 and linux/arm64', async () => {
		const run = await runCli(['demo', '--plain']);
		expect(run.code).toBe(0);
		expect(run.stderr).toContain('bxtop demo: Docker is reachable: building');
		expect(run.stdout).toMatch(/\[bxtop-demo:latest linux\/amd64\] done/);
		expect(run.stdout).toMatch(/\[bxtop-demo:latest linux\/arm64\] done/);
		expect(run.stdout).toContain('bxtop: 2 builds: 2 done, 0 failed');
	}, 120_000);

	test('a second run right after is not a cached no-op: every step runs again and takes real time', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-demo-'));
		for (const round of [1, 2]) {
			const json = path.join(dir, `summary-${round}.json`);
			const run = await runCli(['demo', '--plain', '--json', json]);
			expect(run.code, run.stderr).toBe(0);
			if (round === 1) continue;
			const summary = JSON.parse(readFileSync(json, 'utf8')) as SessionSummary;
			expect(summary.builds.map(b => b.platform)).toEqual(['linux/amd64', 'linux/arm64']);
			for (const build of summary.builds) {
				expect(build.steps.cached, JSON.stringify(build)).toBe(0);
				expect(build.steps.done).toBe(build.steps.total);
				expect(build.steps.total).toBeGreaterThanOrEqual(5);
				// a cached no-op took 0.7 s; the real copies take 1.4-3 s here (a quiet machine is at the low end)
				expect(build.durationMs).toBeGreaterThan(1000);
			}
			expect(run.stdout).not.toMatch(/CACHED/);
		}
	}, 240_000);
});
