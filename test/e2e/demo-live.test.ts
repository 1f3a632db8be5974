// `npm start` with Docker reachable: the bundled example builds live for two platforms.
import {expect, test} from 'vitest';
import {describeDocker} from '../helpers/docker.js';
import {runCli} from '../helpers/e2e.js';

describeDocker('demo with a real daemon', () => {
	test('builds examples/demo for linux/amd64 and linux/arm64', async () => {
		const run = await runCli(['demo', '--plain']);
		expect(run.code).toBe(0);
		expect(run.stderr).toContain('bxtop demo: Docker is reachable: building');
		expect(run.stdout).toMatch(/\[bxtop-demo:latest linux\/amd64\] done/);
		expect(run.stdout).toMatch(/\[bxtop-demo:latest linux\/arm64\] done/);
		expect(run.stdout).toContain('bxtop: 2 builds: 2 done, 0 failed');
	});
});
