// Preflight learns the image store the split rule needs from `docker info` of the right daemon: the docker driver
// node's own endpoint (the current daemon, a URL or a context name), the current daemon for other drivers. A fake
// `docker` first on PATH replays this machine's real outputs (test/fixtures/real/local-*).
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, test} from 'vitest';
import {checkDocker} from '../../source/sources/preflight.js';
import {realDir} from '../helpers/captures.js';
import {fakeDocker, type FakeRule} from './resources/fake-docker.js';

const real = (name: string) => path.join(realDir, name);
const savedPath = process.env['PATH'];
const savedHost = process.env['DOCKER_HOST'];

afterEach(() => {
	process.env['PATH'] = savedPath;
	if (savedHost === undefined) delete process.env['DOCKER_HOST'];
	else process.env['DOCKER_HOST'] = savedHost;
});

function withDocker(inspectFile: string, extra: FakeRule[]) {
	const fake = fakeDocker([
		{match: 'version --format {{json .}}', stdoutFile: real('local-dockerd28-version.json')},
		{match: 'buildx version', stdoutFile: real('bx029-00-buildx-version.txt')},
		{match: 'buildx inspect*', stdoutFile: inspectFile},
		...extra,
	]);
	process.env['PATH'] = fake.env.PATH;
	delete process.env['DOCKER_HOST'];
	return fake;
}

/** A SYNTHETIC `buildx inspect` of a docker-driver builder whose one node is at `endpoint`, written to a temp file. */
function syntheticDockerDriverInspect(name: string, endpoint: string, buildkit: string): string {
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-inspect-')), `synthetic-inspect-docker-${name}.txt`);
	writeFileSync(file, `Name:          ${name}\nDriver:        docker\n\nNodes:\nName:             ${name}\nEndpoint:         ${endpoint}\nStatus:           running\nBuildKit version: ${buildkit}\nPlatforms:        linux/amd64\n`);
	return file;
}

describe('preflight: the image store', () => {
	test('docker driver on the current daemon: dockerd 28\'s containerd snapshotter', async () => {
		withDocker(real('local-dockerd28-buildx029-inspect-default.txt'), [
			{match: 'info --format {{json .DriverStatus}}', stdoutFile: real('local-dockerd28-info-driver-status.json')},
		]);
		const facts = await checkDocker();
		expect(facts).toMatchObject({builder: 'default', driver: 'docker', imageStore: 'containerd', buildxVersion: '0.29.1+ds1', serverVersion: '28.5.2+dfsg4'});
	});

	test('docker-container builder: the current daemon (where --load goes), classic on dockerd 20.10', async () => {
		const fake = withDocker(real('00-buildx-inspect-mybuilder.txt'), [
			{match: 'info --format {{json .DriverStatus}}', stdoutFile: real('local-dockerd20-info-driver-status.json')},
		]);
		const facts = await checkDocker('mybuilder');
		expect(facts).toMatchObject({builder: 'mybuilder', driver: 'docker-container', imageStore: 'classic'});
		// what the resource monitor is handed instead of asking buildx inspect and buildx version again
		expect(facts.inspected?.builder).toMatchObject({name: 'mybuilder', driver: 'docker-container'});
		expect(facts.inspected?.buildxVersion).toBe(facts.buildxVersion);
		expect(fake.calls().filter(c => c.event === 'start').map(c => c.args)).toContain('info --format {{json .DriverStatus}}');
		// asked beside the other three, not after inspect answered: the first frame waits for the slowest one only
		const calls = fake.calls();
		const infoStart = calls.findIndex(c => c.event === 'start' && c.args.startsWith('info'));
		const inspectEnd = calls.findIndex(c => c.event === 'end' && c.args.startsWith('buildx inspect'));
		expect(infoStart).toBeGreaterThanOrEqual(0);
		expect(infoStart).toBeLessThan(inspectEnd);
	});

	test('SYNTHETIC inspect of a docker-driver builder on another context: docker --context NAME info', async () => {
		const inspect = syntheticDockerDriverInspect('other', 'other', 'v0.8+unknown');
		const fake = withDocker(inspect, [
			{match: '--context other info --format {{json .DriverStatus}}', stdoutFile: real('local-dockerd28-info-driver-status.json')},
		]);
		expect((await checkDocker('other')).imageStore).toBe('containerd');
		const calls = fake.calls();
		expect(calls.filter(c => c.event === 'start').map(c => c.args)).toContain('--context other info --format {{json .DriverStatus}}');
		// the current daemon's answer, asked beside the others, is not used, but it had ended when preflight returned
		expect(calls.filter(c => c.args === 'info --format {{json .DriverStatus}}').map(c => c.event)).toEqual(['start', 'end']);
	});

	test('SYNTHETIC inspect of a docker-driver node at the DOCKER_HOST bxtop runs with: the current daemon\'s answer, asked once', async () => {
		const inspect = syntheticDockerDriverInspect('default', 'unix:///run/docker28.sock', 'v0.25.1');
		const fake = withDocker(inspect, [
			{match: 'info --format {{json .DriverStatus}}', stdoutFile: real('local-dockerd28-info-driver-status.json')},
		]);
		process.env['DOCKER_HOST'] = 'unix:///run/docker28.sock';
		expect((await checkDocker()).imageStore).toBe('containerd');
		expect(fake.calls().filter(c => c.event === 'start' && c.args.includes('info'))).toHaveLength(1);
	});

	test('docker info failing leaves the store unknown (the split rule then splits) and is no error', async () => {
		withDocker(real('local-dockerd28-buildx029-inspect-default.txt'), [{match: 'info *', stderr: 'permission denied', exitCode: 1}]);
		const facts = await checkDocker();
		expect(facts.driver).toBe('docker');
		expect(facts.imageStore).toBeUndefined();
	});
});
