// The monitor wires discovery, host, du and prunes together. A fake docker replays this machine's real docker-driver
// captures and the real prune capture; the host sampler reads the real machine.
import {describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {parseBuildxInspect} from '../../../source/lib/buildx-inspect.js';
import type {DomainEvent} from '../../../source/domain/events.js';
import {startResourceMonitor} from '../../../source/sources/resource-monitor.js';
import {manualClock} from '../../../source/domain/clock.js';
import {realDir} from '../../helpers/captures.js';
import {fakeDocker, type FakeRule} from './fake-docker.js';

const local = (name: string) => fileURLToPath(new URL(`../../lib/resources/fixtures/${name}`, import.meta.url));

/**
 * The fake docker's environment, with DOCKER_HOST at a socket nobody listens on: the docker driver's du would
 * otherwise ask the real daemon's Engine API first, and these tests count buildx du runs.
 */
const fakeEnv = (docker: ReturnType<typeof fakeDocker>) => ({...docker.env, DOCKER_HOST: 'unix:///nonexistent/bxtop-test-docker.sock'});

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 20));
	}
}

describe('resource monitor', () => {
	it('discovers the builder, measures the cache after a build ends, runs one prune at a time on that builder', async () => {
		const docker = fakeDocker([
			{match: 'buildx version', stdoutFile: `${realDir}00-buildx-version.txt`},
			{match: 'buildx inspect', stdoutFile: local('docker-driver.buildx-inspect.real.txt')},
			{match: 'buildx du --builder default --verbose', stdoutFile: local('docker-driver.buildx-du-verbose.real.txt')},
			{match: 'buildx prune --builder default --force', stdoutFile: `${realDir}06-prune-all.txt`, delay: 0.3},
		]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const monitor = startResourceMonitor({emit: e => events.push(e), clock: manualClock(100), signal: controller.signal, env: fakeEnv(docker), hostIntervalMs: 50, minFreeBytes: 1});
		try {
			const found = await monitor.discovery;
			expect([found?.builder.name, found?.builder.driver, found?.buildxVersion]).toEqual(['default', 'docker', '0.13.1+ds1']);
			const measured = () => events.filter(e => e.type === 'cache/measured').length;
			await until(() => measured() === 1, 'the initial du');
			await until(() => events.some(e => e.type === 'host/sampled'), 'a host sample');
			expect((events.find(e => e.type === 'host/sampled') as Extract<DomainEvent, {type: 'host/sampled'}>).host.minFreeBytes).toBe(1);

			monitor.onEvent({type: 'build/exited', at: 200, buildId: 'b', exitCode: 0, isCancelled: false});
			await until(() => measured() === 2, 'du after the build ended');
			expect((events.filter(e => e.type === 'cache/measured')[1] as {reason: string}).reason).toBe('build-ended');

			const first = monitor.prune({commandId: 'prune-unused'});
			await until(() => monitor.isPruning, 'the prune to start');
			expect(await monitor.prune({commandId: 'prune-all'})).toEqual({ok: false, message: 'a prune is already running'});
			expect(await first).toMatchObject({ok: true, reclaimedBytes: 24_580, recordsRemoved: 1, argv: ['buildx', 'prune', '--builder', 'default', '--force']});
			expect(docker.calls().filter(c => c.event === 'start' && c.args.startsWith('buildx prune')).map(c => c.args)).toEqual(['buildx prune --builder default --force']);
			expect(events.filter(e => e.type === 'cache/measured').map(e => (e as {reason: string}).reason)).toEqual(['initial', 'build-ended', 'prune-before', 'prune-after']);
		} finally {
			controller.abort();
			await monitor.done;
		}
	});

	/** A monitor of the real docker-driver builder inspect (as preflight hands it over), du answered by `du`. */
	function monitorWithDu(du: Omit<FakeRule, 'match'>) {
		const docker = fakeDocker([
			{match: 'buildx inspect', stdoutFile: local('docker-driver.buildx-inspect.real.txt')},
			{match: 'buildx du --builder default --verbose', ...du},
		]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const known = {builder: parseBuildxInspect(readFileSync(local('docker-driver.buildx-inspect.real.txt'), 'utf8'))!, buildxVersion: '0.13.1'};
		const monitor = startResourceMonitor({emit: e => events.push(e), clock: manualClock(100), signal: controller.signal, env: fakeEnv(docker), hostIntervalMs: 60_000, known});
		const reasons = (type: 'cache/measured' | 'cache/measure-failed') => events.filter(e => e.type === type).map(e => (e as {reason: string}).reason);
		const stop = async () => {
			controller.abort();
			await monitor.done;
		};
		return {docker, monitor, reasons, stop};
	}

	it('the cache after the builds is the du the last build exit started: joined, not run again', async () => {
		// du takes 0.4 s here, so the session's end asks while the exit's du runs (the live session's order:
		// build/exited, the image measured, then the end); and once more after it ended
		const {docker, monitor, reasons, stop} = monitorWithDu({stdoutFile: local('docker-driver.buildx-du-verbose.real.txt'), delay: 0.4});
		const dus = () => docker.calls().filter(c => c.event === 'start' && c.args.startsWith('buildx du')).length;
		try {
			await monitor.discovery;
			await until(() => reasons('cache/measured').length === 1, 'the initial du');
			monitor.onEvent({type: 'build/exited', at: 200, buildId: 'b', exitCode: 0, isCancelled: false});
			await until(() => dus() === 2, 'the du after the build');
			await monitor.cacheAfterBuilds();
			expect(reasons('cache/measured')).toEqual(['initial', 'build-ended']);
			await monitor.cacheAfterBuilds();
			expect(dus()).toBe(2);
		} finally {
			await stop();
		}
	});

	it('the cache after the builds when the last exit\'s du failed: asked once more', async () => {
		const {monitor, reasons, stop} = monitorWithDu({stderr: 'ERROR: failed to solve: rpc error: code = Unavailable', exitCode: 1});
		try {
			await monitor.discovery;
			await until(() => reasons('cache/measure-failed').length === 1, 'the initial du to fail');
			monitor.onEvent({type: 'build/exited', at: 200, buildId: 'b', exitCode: 0, isCancelled: false});
			await monitor.cacheAfterBuilds();
			expect(reasons('cache/measure-failed')).toEqual(['initial', 'build-ended', 'manual']);
		} finally {
			await stop();
		}
	});

	it('the cache after the builds when no build exit asked for one: one du of its own', async () => {
		const {monitor, reasons, stop} = monitorWithDu({stdoutFile: local('docker-driver.buildx-du-verbose.real.txt')});
		try {
			await until(() => reasons('cache/measured').length === 1, 'the initial du');
			await monitor.cacheAfterBuilds();
			expect(reasons('cache/measured')).toEqual(['initial', 'manual']);
		} finally {
			await stop();
		}
	});

	it('without a builder it still samples the host, and refuses to prune', async () => {
		const docker = fakeDocker([
			{match: 'buildx version', stdoutFile: `${realDir}00-buildx-version.txt`},
			{match: 'buildx inspect nope', stderr: 'ERROR: no builder "nope" found', exitCode: 1},
			{match: 'buildx ls --format json', stdoutFile: local('docker-driver.buildx-ls-json.real.txt')},
		]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const monitor = startResourceMonitor({builderName: 'nope', emit: e => events.push(e), clock: manualClock(1), signal: controller.signal, env: fakeEnv(docker), hostIntervalMs: 50});
		try {
			expect(await monitor.discovery).toBeUndefined();
			expect(await monitor.prune({commandId: 'prune-unused'})).toEqual({ok: false, message: 'no builder: buildx could not tell which builder is in use'});
			await until(() => events.some(e => e.type === 'host/sampled'), 'a host sample');
			expect(events[0]).toEqual({type: 'builder/inspect-failed', at: 1, builderName: 'nope', message: 'ERROR: no builder "nope" found'});
		} finally {
			controller.abort();
			await monitor.done;
		}
	});

	it('builds that end before the first host sample: stopping the samplers takes one, then says sampling stopped', async () => {
		// a slow inspect: the builds (0.7 s on a warm cache) end before discovery has even started the host sampler
		const docker = fakeDocker([
			{match: 'buildx version', stdoutFile: `${realDir}00-buildx-version.txt`},
			{match: 'buildx inspect', stdoutFile: local('docker-driver.buildx-inspect.real.txt'), delay: 0.5},
			{match: 'buildx du --builder default --verbose', stdoutFile: local('docker-driver.buildx-du-verbose.real.txt')},
		]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const monitor = startResourceMonitor({emit: e => events.push(e), clock: manualClock(100), signal: controller.signal, env: fakeEnv(docker), hostIntervalMs: 60_000});
		try {
			expect(events.some(e => e.type === 'host/sampled')).toBe(false);
			await monitor.stopSampling();
			const types = events.map(e => e.type).filter(t => t === 'host/sampled' || t === 'sampling/stopped');
			expect(types).toEqual(['host/sampled', 'sampling/stopped']);
			const host = events.find(e => e.type === 'host/sampled') as Extract<DomainEvent, {type: 'host/sampled'}>;
			expect(host.host.memoryTotalBytes).toBeGreaterThan(0);
			expect(events.find(e => e.type === 'sampling/stopped')).toEqual({type: 'sampling/stopped', at: 100, reason: 'builds-ended'});
		} finally {
			controller.abort();
			await monitor.done;
		}
		// and no sampler runs on after the stop
		expect(events.filter(e => e.type === 'host/sampled')).toHaveLength(1);
	});
});
