// `npm start` (bxtop demo): the main job on the built-in default. Without Docker it must replay the bundled real
// recording; this test takes Docker away (an unreachable DOCKER_HOST) so it runs the same on every machine.
import {expect, test} from 'vitest';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {runCli} from '../helpers/e2e.js';
import type {SessionSummary} from '../../source/report/json-summary.js';

test('without a reachable Docker daemon, demo replays the bundled recording of a real two-platform build', async () => {
	const json = path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-demo-')), 'summary.json');
	const run = await runCli(['demo', '--plain', '--json', json], {env: {DOCKER_HOST: 'unix:///tmp/bxtop-no-daemon.sock'}});
	expect(run.code).toBe(0);
	expect(run.stderr).toMatch(/^bxtop demo: replaying recordings\/demo-backend-cpu-1-cold\.bxrec/);
	const summary = JSON.parse(readFileSync(json, 'utf8')) as SessionSummary;
	expect(summary.builds.map(b => [b.platform, b.status])).toEqual([
		['linux/amd64', 'done'],
		['linux/arm64', 'done'],
	]);
	expect(run.stdout).toMatch(/\[backend:cpu linux\/arm64\] downloaded torch 2\.5\.1\+cpu: 88\.0 MB in \d+\.\ds/);
});

test('demo --replay replays even when Docker is there', async () => {
	const run = await runCli(['demo', '--replay', '--plain']);
	expect(run.code).toBe(0);
	expect(run.stderr).toContain('bxtop demo: replaying');
});
