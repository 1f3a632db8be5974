// The host sampler against the real daemon: Docker's data root from /info, its filesystem's free space as statfs
// (and `stat -f`) report it, CPU and memory of this machine; a remote daemon's disk is not measured here.
import {execFileSync} from 'node:child_process';
import {expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {readDockerInfo, runHostStats, sampleHost} from '../../../source/sources/host-stats.js';
import {manualClock} from '../../../source/domain/clock.js';
import {describeDocker} from '../../helpers/docker.js';
import {descriptorsOpenOn} from '../../helpers/descriptors.js';

const local = {host: 'unix:///var/run/docker.sock', origin: 'test'};

describeDocker('host stats (real daemon)', () => {
	it('reads DockerRootDir from the Engine API', async () => {
		const info = await readDockerInfo(local, new AbortController().signal);
		expect(info.dockerRootDir).toBe(execFileSync('docker', ['info', '--format', '{{.DockerRootDir}}'], {encoding: 'utf8'}).trim());
		expect(info.ncpu).toBe(Number(execFileSync('docker', ['info', '--format', '{{.NCPU}}'], {encoding: 'utf8'}).trim()));
	});

	it('measures the free space of the data root as `stat -f` does, and this machine\'s CPU and memory', async () => {
		const info = await readDockerInfo(local, new AbortController().signal);
		const sample = await sampleHost(local, info, undefined, 10e9);
		const [available, blocks, blockSize] = execFileSync('stat', ['-f', '-c', '%a %b %S', info.dockerRootDir!], {encoding: 'utf8'}).trim().split(' ').map(Number);
		expect(sample.isDaemonLocal).toBe(true);
		expect(sample.diskPath).toBe(info.dockerRootDir);
		expect(sample.diskTotalBytes).toBe(blocks! * blockSize!);
		// free space moves while other tests write: the same within 64 MB
		expect(Math.abs(sample.diskFreeBytes! - available! * blockSize!)).toBeLessThan(64 * 2 ** 20);
		expect(sample.minFreeBytes).toBe(10e9);
		expect(sample.memoryTotalBytes).toBeGreaterThan(0);
		expect(sample.memoryUsedBytes).toBeGreaterThan(0);
		expect(sample.memoryUsedBytes).toBeLessThan(sample.memoryTotalBytes!);
		expect(sample.cpus).toBeGreaterThan(0);
	});

	it('a daemon on another machine: its disk is not measured here', async () => {
		const remote = {host: 'tcp://10.11.12.13:2376', origin: 'test'};
		const sample = await sampleHost(remote, {dockerRootDir: '/var/lib/docker'}, undefined, 10e9);
		expect(sample.isDaemonLocal).toBe(false);
		expect(sample.diskFreeBytes).toBeUndefined();
		expect(sample.diskUnavailable).toBe('Docker daemon at tcp://10.11.12.13:2376 is not on this machine: its disk is not measurable here');
	});

	it('emits host/sampled once a second until aborted; a daemon that is not there is said, not thrown', async () => {
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const done = runHostStats({endpoint: {host: 'unix:///tmp/bxtop-no-daemon.sock', origin: 'test'}, emit: e => events.push(e), signal: controller.signal, clock: manualClock(9), minFreeBytes: 5e9, intervalMs: 50});
		const deadline = Date.now() + 10_000;
		while (events.length < 3 && Date.now() < deadline) await new Promise(resolve => setTimeout(resolve, 20));
		// open while it samples
		for (const file of ['/proc/stat', '/proc/meminfo', '/proc/net/dev']) expect(descriptorsOpenOn(file)).toBe(1);
		controller.abort();
		await done;
		expect(events.length).toBeGreaterThanOrEqual(3);
		const host = (events[0] as Extract<DomainEvent, {type: 'host/sampled'}>).host;
		expect(host.isDaemonLocal).toBe(true);
		expect(host.diskUnavailable).toBe('docker info failed: cannot reach the Docker daemon at unix:///tmp/bxtop-no-daemon.sock (ENOENT)');
		expect(host.minFreeBytes).toBe(5e9);
		// every sample read this machine's /proc (kept open while sampling: /proc/stat, /proc/meminfo, /proc/net/dev)
		for (const e of events.slice(1)) expect((e as Extract<DomainEvent, {type: 'host/sampled'}>).host).toMatchObject({cpuPercent: expect.any(Number), netRxBytes: expect.any(Number)});
		// and closed them when it stopped
		for (const file of ['/proc/stat', '/proc/meminfo', '/proc/net/dev']) expect(descriptorsOpenOn(file)).toBe(0);
	});
});
