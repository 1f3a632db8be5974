// Preflight learns the image store the split rule needs from `docker info` of the right daemon: the docker driver
// node's own endpoint (the current daemon, a URL or a context name), the current daemon for other drivers; and
// buildx's version from the same `docker info` (the CLI's plugin list), asking `docker buildx version` only when
// that list has none. A fake `docker` first on PATH replays this machine's real outputs (test/fixtures/real/local-*).
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

/** The current daemon's `docker info` as preflight asks it (image store and plugin list). */
const currentInfo = 'info --format {"DriverStatus":*';

function withDocker(inspectFile: string, extra: FakeRule[]) {
	const fake = fakeDocker([
		{match: 'version --format {{json .}}', stdoutFile: real('local-dockerd28-version.json')},
		{match: 'buildx inspect*', stdoutFile: inspectFile},
		{match: 'buildx version', stdoutFile: real('bx029-00-buildx-version.txt')},
		...extra,
	]);
	process.env['PATH'] = fake.env.PATH;
	delete process.env['DOCKER_HOST'];
	return fake;
}

const started = (fake: ReturnType<typeof fakeDocker>) => fake.calls().filter(c => c.event === 'start').map(c => c.args);

/** A SYNTHETIC `buildx inspect` of a docker-driver builder whose one node is at `endpoint`, written to a temp file. */
function syntheticDockerDriverInspect(name: string, endpoint: string, buildkit: string): string {
	const file = path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-inspect-')), `synthetic-inspect-docker-${name}.txt`);
	writeFileSync(file, `Name:          ${name}\nDriver:        docker\n\nNodes:\nName:             ${name}\nEndpoint:         ${endpoint}\nStatus:           running\nBuildKit version: ${buildkit}\nPlatforms:        linux/amd64\n`);
	return file;
}

describe('preflight: the image store', () => {
	test('docker driver on the current daemon: dockerd 28\'s containerd snapshotter', async () => {
		withDocker(real('local-dockerd28-buildx029-inspect-default.txt'), [{match: currentInfo, stdoutFile: real('local-dockerd28-info-store-plugins.json')}]);
		const facts = await checkDocker();
		expect(facts).toMatchObject({builder: 'default', driver: 'docker', imageStore: 'containerd', buildxVersion: '0.29.1+ds1', serverVersion: '28.5.2+dfsg4'});
	});

	test('docker-container builder: the current daemon (where --load goes), classic on dockerd 20.10', async () => {
		const fake = withDocker(real('00-buildx-inspect-mybuilder.txt'), [{match: currentInfo, stdoutFile: real('local-dockerd20-info-store-plugins.json')}]);
		const facts = await checkDocker('mybuilder');
		expect(facts).toMatchObject({builder: 'mybuilder', driver: 'docker-container', imageStore: 'classic', buildxVersion: '0.13.1+ds1'});
		// what the resource monitor is handed instead of asking buildx inspect and buildx version again
		expect(facts.inspected?.builder).toMatchObject({name: 'mybuilder', driver: 'docker-container'});
		expect(facts.inspected?.buildxVersion).toBe(facts.buildxVersion);
		// asked beside the other two, not after inspect answered: the first frame waits for the slowest one only
		const calls = fake.calls();
		const infoStart = calls.findIndex(c => c.event === 'start' && c.args.startsWith('info'));
		const inspectEnd = calls.findIndex(c => c.event === 'end' && c.args.startsWith('buildx inspect'));
		expect(infoStart).toBeGreaterThanOrEqual(0);
		expect(infoStart).toBeLessThan(inspectEnd);
	});

	test('SYNTHETIC inspect of a docker-driver builder on another context: docker --context NAME info', async () => {
		const inspect = syntheticDockerDriverInspect('other', 'other', 'v0.8+unknown');
		const fake = withDocker(inspect, [
			{match: `--context other ${currentInfo}`, stdoutFile: real('local-dockerd28-info-store-plugins.json')},
			{match: currentInfo, stdoutFile: real('local-dockerd20-info-store-plugins.json')},
		]);
		expect((await checkDocker('other')).imageStore).toBe('containerd');
		const calls = fake.calls();
		expect(started(fake).some(args => args.startsWith('--context other info --format'))).toBe(true);
		// the current daemon's answer (buildx's version comes from it) had ended when preflight returned
		expect(calls.filter(c => c.args.startsWith('info --format')).map(c => c.event)).toEqual(['start', 'end']);
	});

	test('SYNTHETIC inspect of a docker-driver node at the DOCKER_HOST bxtop runs with: the current daemon\'s answer, asked once', async () => {
		const inspect = syntheticDockerDriverInspect('default', 'unix:///run/docker28.sock', 'v0.25.1');
		const fake = withDocker(inspect, [{match: currentInfo, stdoutFile: real('local-dockerd28-info-store-plugins.json')}]);
		process.env['DOCKER_HOST'] = 'unix:///run/docker28.sock';
		expect((await checkDocker()).imageStore).toBe('containerd');
		expect(started(fake).filter(args => args.includes('info'))).toHaveLength(1);
	});

	test('docker info failing leaves the store unknown (the split rule then splits) and is no error', async () => {
		withDocker(real('local-dockerd28-buildx029-inspect-default.txt'), [{match: 'info *', stderr: 'permission denied', exitCode: 1}]);
		const facts = await checkDocker();
		expect(facts.driver).toBe('docker');
		expect(facts.imageStore).toBeUndefined();
		// buildx's version then comes from buildx itself
		expect(facts.buildxVersion).toBe('0.29.1+ds1');
	});
});

describe('preflight: buildx\'s version', () => {
	test('from docker info\'s plugin list: buildx itself is not started for it', async () => {
		const fake = withDocker(real('local-dockerd20-buildx013-inspect-default.txt'), [{match: currentInfo, stdoutFile: real('local-dockerd20-info-store-plugins.json')}]);
		const facts = await checkDocker();
		expect(facts).toMatchObject({buildxVersion: '0.13.1+ds1', inspected: {buildxVersion: '0.13.1+ds1'}});
		expect(started(fake)).not.toContain('buildx version');
	});

	test('a plugin list without buildx (a DOCKER_CONFIG without cli-plugins/): asks buildx, which answers', async () => {
		const fake = withDocker(real('local-dockerd20-buildx013-inspect-default.txt'), [{match: currentInfo, stdoutFile: real('local-dockerd20-info-store-no-plugins.json')}]);
		const facts = await checkDocker();
		expect(started(fake)).toContain('buildx version');
		expect(facts.buildxVersion).toBe('0.29.1+ds1');
		expect(facts.imageStore).toBe('classic');
	});

	test('SYNTHETIC plugin list of an upstream buildx (`v0.29.1`): the header keeps the v, the monitor gets it bare', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-info-'));
		const info = path.join(dir, 'synthetic-info-upstream-buildx.json');
		writeFileSync(info, '{"DriverStatus":[["driver-type","io.containerd.snapshotter.v1"]],"Plugins":[{"Name":"buildx","Version":"v0.29.1"}]}\n');
		withDocker(real('local-dockerd28-buildx029-inspect-default.txt'), [{match: currentInfo, stdoutFile: info}]);
		expect(await checkDocker()).toMatchObject({buildxVersion: 'v0.29.1', inspected: {buildxVersion: '0.29.1'}});
	});

	test('no buildx at all: the message is buildx\'s own error, and nothing is left running', async () => {
		const fake = fakeDocker([
			{match: 'version --format {{json .}}', stdoutFile: real('local-dockerd28-version.json')},
			{match: 'buildx *', stderr: "docker: 'buildx' is not a docker command.", exitCode: 1},
			{match: currentInfo, stdoutFile: real('local-dockerd20-info-store-no-plugins.json')},
		]);
		process.env['PATH'] = fake.env.PATH;
		await expect(checkDocker()).rejects.toThrow("docker buildx is not available (docker: 'buildx' is not a docker command.). Install the buildx plugin into ~/.docker/cli-plugins/.");
		const calls = fake.calls();
		expect(calls.filter(c => c.event === 'start')).toHaveLength(calls.filter(c => c.event === 'end').length);
	});
});
