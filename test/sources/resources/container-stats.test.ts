// The Engine API stats stream against the real daemon: a busybox container burning CPU, then stopped, started
// again and removed; and a socket nobody listens on. Waits for events, never for a fixed time.
import {execFileSync} from 'node:child_process';
import {afterAll, beforeAll, expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {runContainerStats} from '../../../source/sources/container-stats.js';
import {systemClock} from '../../../source/domain/clock.js';
import {describeDocker} from '../../helpers/docker.js';
import {nonce} from '../../helpers/e2e.js';

const docker = (...args: string[]) => execFileSync('docker', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']}).trim();

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

describeDocker('container stats (Engine API stream, real daemon)', () => {
	const name = `bxtop-stats-${nonce()}`;
	let id = '';

	beforeAll(() => {
		id = docker('run', '-d', '--pull=never', '--network=none', '--name', name, 'bxtop/base:amd64', 'sh', '-c', 'while :; do :; done');
	});
	afterAll(() => {
		try {
			docker('rm', '-f', name);
		} catch {
			// already gone
		}
	});

	it('samples a busy container, follows it through stop, start and removal', {timeout: 90_000}, async () => {
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const done = runContainerStats({
			node: 'n0',
			container: name,
			endpoint: {host: 'unix:///var/run/docker.sock', origin: 'test'},
			emit: e => events.push(e),
			signal: controller.signal,
			clock: systemClock,
			retryMs: [200, 400],
			stallMs: 1500,
		});
		const samples = () => events.filter((e): e is Extract<DomainEvent, {type: 'stats/sampled'}> => e.type === 'stats/sampled');
		const unavailable = () => events.filter((e): e is Extract<DomainEvent, {type: 'stats/unavailable'}> => e.type === 'stats/unavailable');
		try {
			await until(() => samples().length >= 3, 'three samples');
			const s = samples()[2]!.sample;
			expect(s.containerId).toBe(id);
			expect(s.source).toBe('engine-api');
			expect(s.cpuPercent).toBeGreaterThan(30); // one shell spinning on a core
			expect(s.memoryLimitBytes).toBe(Number(docker('info', '--format', '{{.MemTotal}}')));
			expect(s.netRxBytesPerSecond).toBe(0); // --network=none
			expect(s.pids).toBe(1);

			docker('stop', '-t', '0', name);
			await until(() => unavailable().some(e => e.reason === 'container-stopped'), 'container-stopped');
			expect(unavailable().find(e => e.reason === 'container-stopped')!.message).toBe('container is exited');
			const before = samples().length;

			docker('start', name);
			await until(() => samples().length >= before + 2, 'samples after start');

			docker('rm', '-f', name);
			await until(() => unavailable().some(e => e.reason === 'container-missing'), 'container-missing');
			expect(unavailable().find(e => e.reason === 'container-missing')!.message).toBe(`No such container: ${name}`);
		} catch (error) {
			throw new Error(`${(error as Error).message}; events: ${events.map(e => (e.type === 'stats/unavailable' ? `${e.reason}:${e.message}` : e.type)).join(', ')}`);
		} finally {
			controller.abort();
			await done;
		}
		// each distinct problem said once, not on every retry
		const reasons = unavailable().map(e => e.reason);
		expect(reasons.filter(r => r === 'container-missing').length).toBe(1);
	});

	it('a socket nobody listens on: daemon-unreachable, said once across retries', async () => {
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const done = runContainerStats({
			node: 'n0',
			container: name,
			endpoint: {host: `unix:///tmp/bxtop-nobody-${nonce()}.sock`, origin: 'test'},
			emit: e => events.push(e),
			signal: controller.signal,
			clock: {now: () => 42},
			retryMs: [20],
		});
		const started = Date.now();
		await until(() => Date.now() - started > 300 && events.length > 0, 'an event');
		controller.abort();
		await done;
		expect(events.length).toBe(1);
		expect(events[0]).toMatchObject({type: 'stats/unavailable', at: 42, node: 'n0', reason: 'daemon-unreachable'});
		expect((events[0] as {message: string}).message).toMatch(/^cannot reach the Docker daemon at unix:\/\/\/tmp\/bxtop-nobody-.*\.sock \(ENOENT\)$/);
	});
});
