// Resources end to end with the real daemon, once per CI stack (test/helpers/stacks.ts; on buildx 0.29 du is read
// as --format json): container stats agree with `docker stats --no-stream` taken at the same moment; `buildx du`
// before and after a real build; the docker driver's du from the Engine API (dockerd 28) holds what buildx du says,
// and dockerd 20.10 (API 1.41) gets buildx du; a real `p` prune through the dialog (keys sent with
// ink-testing-library) reclaims what du said; the daemon going away mid-session (a socket proxy we close, never the
// shared dockerd) shows as errors and recovers, and the session goes on.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import React from 'react';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {execa} from 'execa';
import type {DomainEvent} from '../../source/domain/events.js';
import type {CacheUsage} from '../../source/domain/resources-events.js';
import {createAppStore} from '../../source/state/store.js';
import {selectCounts} from '../../source/state/selectors.js';
import {selectResourceWarnings} from '../../source/state/resource-selectors.js';
import {runContainerStats} from '../../source/sources/container-stats.js';
import {createBuildCache, duArgv} from '../../source/sources/build-cache.js';
import {createEngineClient} from '../../source/sources/engine-api.js';
import {parseDu} from '../../source/lib/du-table.js';
import {runPrune} from '../../source/sources/prune-runner.js';
import {startResourceMonitor} from '../../source/sources/resource-monitor.js';
import {systemClock} from '../../source/domain/clock.js';
import {parseDockerStatsLine} from '../../source/lib/docker-stats-calc.js';
import {PanelText, resourcesPanelLines} from '../../source/components/resources-panel.js';
import {describeEachStack, type DockerStack} from '../helpers/stacks.js';
import {PruneHarness, type PruneRun} from '../helpers/prune-harness.js';
import {makeContext, nonce} from '../helpers/e2e.js';
import {waitForFrame} from '../helpers/ink.js';


async function until(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 50));
	}
}

/** A real build on the docker driver whose cache stays private (cacheonly output): something for du and prune. */
async function buildSomething(stack: DockerStack, tag: string, megabytes: number): Promise<void> {
	const context = makeContext([`RUN dd if=/dev/urandom of=/blob bs=1M count=${megabytes} 2>/dev/null # ${tag}`]);
	try {
		await execa('docker', ['buildx', 'build', '--builder', 'default', '--network=none', '--output', 'type=cacheonly', '--platform', 'linux/amd64', context], {stdin: 'ignore', env: stack.env});
	} finally {
		rmSync(context, {recursive: true, force: true});
	}
}

describeEachStack('resources end to end (real daemon)', stack => {
	const name = `bxtop-e2e-stats-${nonce()}`;
	const env = stack.env;
	const docker = (...args: string[]) => execFileSync('docker', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, ...env}}).trim();
	// what bxtop's preflight would pass on: decides du's format (--verbose on 0.13, --format json on 0.29)
	const buildxVersion = stack.buildxVersion;

	beforeAll(() => {
		// One shell spinning a core while holding about 40 MB in a variable.
		docker('run', '-d', '--pull=never', '--network=none', '--name', name, 'bxtop/base:amd64', 'sh', '-c', 'x=$(head -c 40000000 /dev/zero | tr "\\0" a); while :; do :; done');
	});
	afterAll(() => {
		try {
			docker('rm', '-f', name);
		} catch {
			// gone already
		}
	});

	it('container stats agree with docker stats --no-stream taken at the same moment', {timeout: 120_000}, async () => {
		const events: Extract<DomainEvent, {type: 'stats/sampled'}>[] = [];
		const controller = new AbortController();
		const done = runContainerStats({
			node: 'e2e',
			container: name,
			endpoint: {host: `unix://${stack.socketPath}`, origin: 'test'},
			emit: e => {
				if (e.type === 'stats/sampled') events.push(e);
			},
			signal: controller.signal,
			clock: systemClock,
		});
		try {
			await until(() => events.length >= 2, 'our first samples');
			for (let round = 0; round < 3; round++) {
				const startedAt = Date.now();
				const line = (await execa('docker', ['stats', '--no-stream', '--format', '{{json .}}', name], {stdin: 'ignore', env})).stdout;
				const endedAt = Date.now();
				await until(() => events.some(e => e.at > endedAt + 1000), 'a sample after docker stats');
				const theirs = parseDockerStatsLine(line)!;
				const ours = events.filter(e => e.at >= startedAt - 1000 && e.at <= endedAt + 1000).map(e => e.sample);
				expect(ours.length).toBeGreaterThan(0);
				const closestCpu = Math.min(...ours.map(s => Math.abs(s.cpuPercent - theirs.cpuPercent)));
				expect(closestCpu).toBeLessThanOrEqual(5);
				expect(theirs.cpuPercent).toBeGreaterThan(30);
				// docker prints memory with four digits: the same within 2 MiB
				const closestMemory = Math.min(...ours.map(s => Math.abs(s.memoryBytes - theirs.memoryBytes)));
				expect(closestMemory).toBeLessThanOrEqual(2 * 2 ** 20);
				expect(Math.abs(ours[0]!.memoryLimitBytes - theirs.memoryLimitBytes)).toBeLessThan(0.001 * ours[0]!.memoryLimitBytes);
			}
		} finally {
			controller.abort();
			await done;
		}
	});

	it('buildx du before and after a real build', {timeout: 180_000}, async () => {
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const cache = createBuildCache({builder: 'default', emit: e => events.push(e), clock: systemClock, signal: controller.signal, buildxVersion, env});
		const tag = `bxtop-du-${nonce()}`;
		try {
			// du keeps the 10 largest records; earlier tests (the demo's 24 MB payloads) may have left 10 larger ones
			await execa('docker', ['buildx', 'prune', '--all', '--force', '--builder', 'default'], {stdin: 'ignore', env});
			const before = (await cache.refresh('initial'))!;
			expect(before.largest.some(r => r.description?.includes(tag))).toBe(false);
			await buildSomething(stack, tag, 3);
			const after = (await cache.refresh('build-ended'))!;
			const ours = after.largest.find(r => r.description?.includes(tag));
			// 3 MiB of urandom: 3.146MB in overlay2's diff, 3.166MB in the containerd snapshotter's (the same every run)
			expect(ours).toMatchObject({sizeBytes: stack.imageStore === 'classic' ? 3_146_000 : 3_166_000, isReclaimable: true, recordType: 'regular'});
			expect(ours!.description).toBe(`mount / from exec /bin/sh -c dd if=/dev/urandom of=/blob bs=1M count=3 2>/dev/null # ${tag}`);
			expect(after.totalBytes).toBeGreaterThan(before.totalBytes);
			// the du table says the same
			expect(after.format).toBe(stack.buildxVersion.startsWith('0.29') ? 'json' : 'verbose');
			const table = (await execa('docker', ['buildx', 'du', '--builder', 'default'], {env})).stdout;
			expect(table).toContain(ours!.id);
			expect(events.map(e => e.type)).toEqual(['cache/measured', 'cache/measured']);
		} finally {
			controller.abort();
		}
	});

	it('the docker driver\'s du: from the Engine API from API 1.42 on (the same records as buildx du), else buildx du', {timeout: 180_000}, async () => {
		const real = createEngineClient({host: `unix://${stack.socketPath}`, origin: 'test'});
		if (!('get' in real)) throw new Error(real.unsupported);
		expect(JSON.parse((await real.get('/version')).body).ApiVersion).toBe(stack.apiVersion);
		// the real client, its requests counted
		const asked: string[] = [];
		const engine = {...real, get: (p: string, o?: {signal?: AbortSignal; timeoutMs?: number}) => (asked.push(p), real.get(p, o))};
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const cache = createBuildCache({builder: 'default', emit: e => events.push(e), clock: systemClock, signal: controller.signal, buildxVersion, env, engine});
		const tag = `bxtop-engine-du-${nonce()}`;
		try {
			await buildSomething(stack, tag, 2);
			const first = (await cache.refresh('build-ended'))!;
			const second = (await cache.refresh('periodic'))!;
			const {argv, format} = duArgv('default', buildxVersion);
			const buildx = parseDu((await execa('docker', argv, {env})).stdout, format);
			const ours = first.largest.find(r => r.description?.includes(tag));
			expect(ours?.description).toBe(`mount / from exec /bin/sh -c dd if=/dev/urandom of=/blob bs=1M count=2 2>/dev/null # ${tag}`);
			expect(buildx.largest.map(r => r.id)).toContain(ours!.id);
			if (stack.apiVersion === '1.41') {
				// its /version says 1.41: /system/df is never asked, buildx from then on
				expect([first.format, second.format]).toEqual(['verbose', 'verbose']);
				expect(asked).toEqual(['/version']);
				expect(first.totalBytes).toBe(buildx.totalBytes);
			} else {
				expect([first.format, second.format]).toEqual(['engine', 'engine']);
				// with the daemon's own API version
				expect(asked).toEqual(['/version', `/v${stack.apiVersion}/system/df?type=build-cache`, `/v${stack.apiVersion}/system/df?type=build-cache`]);
				// exact bytes against buildx's sums of four-digit sizes
				expect(first.recordCount).toBe(buildx.recordCount);
				expect(Math.abs(first.totalBytes - buildx.totalBytes)).toBeLessThanOrEqual(first.totalBytes * 0.001);
				expect(Math.abs(first.reclaimableBytes - buildx.reclaimableBytes)).toBeLessThanOrEqual(first.totalBytes * 0.001);
				expect(ours!.sizeBytes).toBeGreaterThan(2 * 2 ** 20);
			}
		} finally {
			controller.abort();
		}
	});

	it('p through the dialog runs a real prune on the selected builder and reclaims what du said', {timeout: 180_000}, async () => {
		await buildSomething(stack, `bxtop-prune-${nonce()}`, 4);
		const store = createAppStore();
		const controller = new AbortController();
		const emit = (e: DomainEvent) => store.getState().dispatch([e], systemClock.now());
		const cache = createBuildCache({builder: 'default', emit, clock: systemClock, signal: controller.signal, buildxVersion, env});
		await cache.refresh('initial');
		store.getState().dispatch([
			{type: 'builder/inspected', at: systemClock.now(), builder: {name: 'default', driver: 'docker', nodes: []}, targets: [], buildxVersion},
		]);
		let pruning: Promise<unknown> | undefined;
		const view = render(
			React.createElement(PruneHarness, {
				store,
				width: 100,
				onRun: (run: PruneRun) => {
					pruning = runPrune({commandId: run.commandId, builder: 'default', buildxVersion}, {emit, clock: systemClock, signal: controller.signal, cache, env});
				},
			}),
		);
		try {
			await new Promise(resolve => setImmediate(resolve));
			view.stdin.write('p');
			const confirm = await waitForFrame(view.lastFrame, f => f.includes('du estimate'));
			expect(confirm).toContain('│ $ docker buildx prune --builder default --force ');
			view.stdin.write('y');
			const result = await waitForFrame(view.lastFrame, f => f.includes('du before') && !f.includes('measuring…'), 60_000);
			await pruning;
			const prune = store.getState().domain.resources.prunes[0]!;
			expect(prune.status).toBe('done');
			expect(prune.argv).toEqual(['buildx', 'prune', '--builder', 'default', '--force']);
			expect(prune.estimateBytes).toBeGreaterThan(4_000_000);
			// Total: and the estimate both round to four digits: the same within that rounding (plus 100 kB)
			expect(Math.abs(prune.reclaimedBytes! - prune.estimateBytes!)).toBeLessThanOrEqual(0.002 * prune.estimateBytes! + 100_000);
			expect(prune.cacheBefore!.totalBytes - prune.cacheAfter!.totalBytes).toBeGreaterThanOrEqual(prune.reclaimedBytes! * 0.99 - 100_000);
			const after = store.getState().domain.resources.cache.latest as CacheUsage;
			expect(after.reclaimablePrivateBytes).toBeLessThanOrEqual(100_000);
			expect(result).toMatch(/│ reclaimed \d/);
		} finally {
			view.unmount();
			controller.abort();
		}
	});

	it('the daemon going away mid-session shows as errors and recovers; the session survives', {timeout: 180_000}, async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-proxy-'));
		const socket = path.join(dir, 'docker.sock');
		const proxy = socketProxy(socket, stack.socketPath);
		await proxy.open();
		const store = createAppStore();
		const controller = new AbortController();
		const emit = (e: DomainEvent) => store.getState().dispatch([e], systemClock.now());
		const proxied = {...env, DOCKER_HOST: `unix://${socket}`};
		const monitor = startResourceMonitor({emit, clock: systemClock, signal: controller.signal, env: proxied, cachePeriodMs: 500, hostIntervalMs: 200});
		const stats = runContainerStats({node: 'e2e', container: name, endpoint: {host: proxied.DOCKER_HOST, origin: 'test'}, emit, signal: controller.signal, clock: systemClock, retryMs: [200, 400]});
		const resources = () => store.getState().domain.resources;
		const panel = () => React.createElement(PanelText, {lines: resourcesPanelLines(store.getState().domain, systemClock.now(), 100)});
		const view = render(panel());
		const frame = () => {
			view.rerender(panel());
			return view.lastFrame();
		};
		try {
			await until(() => resources().nodes['e2e']?.status === 'ok' && resources().cache.latest !== undefined && resources().host.latest?.diskFreeBytes !== undefined, 'stats, du and host through the proxy');
			expect(resources().builder?.name).toBe('default');
			// the docker driver's cache, through the proxy: from its Engine API where the daemon has the type filter
			expect(resources().cache.latest!.format).toBe(stack.apiVersion === '1.41' ? 'verbose' : 'engine');

			await proxy.close();
			await until(() => resources().nodes['e2e']?.status === 'unavailable' && resources().cache.error !== undefined, 'the outage to show');
			expect(resources().nodes['e2e']!.unavailableReason).toBe('daemon-unreachable');
			const warnings = selectResourceWarnings(store.getState().domain, systemClock.now()).map(w => w.text);
			expect(warnings.some(w => w.startsWith('e2e: Docker daemon unreachable for '))).toBe(true);
			// a du already talking to the proxy when it closed sees the reset; a later one finds no socket
			expect(warnings.some(w => /^build cache: du failed: .*(Cannot connect to the Docker daemon|connection reset by peer)/.test(w))).toBe(true);
			expect(await waitForFrame(frame, f => f.includes('Docker daemon unreachable'))).toContain('! e2e: Docker daemon unreachable for ');

			await proxy.open();
			await until(() => resources().nodes['e2e']?.status === 'ok' && resources().cache.error === undefined, 'recovery');
			expect(resources().nodes['e2e']!.outages).toBe(1);
			expect(selectResourceWarnings(store.getState().domain, systemClock.now())).toEqual([]);
			expect(selectCounts(store.getState().domain).total).toBe(0);
		} finally {
			view.unmount();
			controller.abort();
			await Promise.all([monitor.done, stats]);
			await proxy.close();
			rmSync(dir, {recursive: true, force: true});
		}
	});
});


/** A unix socket that forwards byte for byte to the real daemon's, which the test opens and closes at will. */
function socketProxy(listenPath: string, targetPath: string) {
	let server: net.Server | undefined;
	const connections = new Set<net.Socket>();
	return {
		open: () =>
			new Promise<void>((resolve, reject) => {
				rmSync(listenPath, {force: true});
				server = net.createServer(client => {
					const upstream = net.connect(targetPath);
					connections.add(client);
					connections.add(upstream);
					client.pipe(upstream);
					upstream.pipe(client);
					const drop = () => {
						client.destroy();
						upstream.destroy();
						connections.delete(client);
						connections.delete(upstream);
					};
					client.on('error', drop);
					upstream.on('error', drop);
					client.on('close', drop);
					upstream.on('close', drop);
				});
				server.once('error', reject);
				server.listen(listenPath, () => resolve());
			}),
		close: () =>
			new Promise<void>(resolve => {
				for (const c of connections) c.destroy();
				connections.clear();
				if (!server) {
					resolve();
					return;
				}
				const s = server;
				server = undefined;
				s.close(() => resolve());
			}),
	};
}
