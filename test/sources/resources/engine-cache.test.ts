// The docker driver's du through the Engine API, against a SYNTHETIC daemon: a node:http server on a unix socket
// that answers /version and /system/df as told (the body of a 200 is dockerd 28's real answer). What each answer
// makes the du runner do: use it, ask buildx this time, ask buildx from now on, or fail without asking buildx.
// The real daemons (dockerd 28: used; dockerd 20.10: refused) are in test/e2e/resources.test.ts.
import {describe, expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {createBuildCache} from '../../../source/sources/build-cache.js';
import {createEngineCache} from '../../../source/sources/engine-cache.js';
import {manualClock} from '../../../source/domain/clock.js';
import {readReal, realDir} from '../../helpers/captures.js';
import {fakeDocker} from './fake-docker.js';
import {daemon, version} from './synthetic-daemon.js';
import {createEngineClient} from '../../../source/sources/engine-api.js';

const realBody = readReal('local-dockerd28-engine-system-df-build-cache.json');
const df = '/system/df?type=build-cache';
const signal = new AbortController().signal;

describe('the Engine API du (SYNTHETIC daemon)', () => {
	it('asks with the daemon\'s own API version: Engine 29 refuses anything below 1.44', async () => {
		const {client, asked} = await daemon({'/version': [version('1.52', '1.44')], [df]: [{status: 200, body: realBody}]});
		const cache = createEngineCache(client, 5000);
		const answer = await cache.measure(signal, () => Date.parse('2026-12-02T05:25:00Z'));
		expect('usage' in answer && answer.usage).toMatchObject({format: 'engine', totalBytes: 13_972_325, recordCount: 20, reclaimableUnused24hBytes: 0});
		await cache.measure(signal, () => 0);
		// /version once per session
		expect(asked).toEqual(['/version', `/v1.52${df}`, `/v1.52${df}`]);
	});

	it('a daemon older than API 1.42 (dockerd 20.10 says 1.41): buildx from now on, /system/df never asked', async () => {
		const {client, asked} = await daemon({'/version': [version('1.41', '1.12')]});
		expect(await createEngineCache(client, 5000).measure(signal, () => 0)).toEqual({fallback: 'from-now-on'});
		expect(asked).toEqual(['/version']);
	});

	it('a refusal (400) is for good; a 5xx or a daemon away is for this time', async () => {
		const refused = await daemon({'/version': [version('1.51', '1.24')], [df]: [{status: 400, body: '{"message":"bad"}'}]});
		expect(await createEngineCache(refused.client, 5000).measure(signal, () => 0)).toEqual({fallback: 'from-now-on'});

		const flaky = await daemon({'/version': [version('1.51', '1.24')], [df]: [{status: 503, body: 'proxy'}, {status: 200, body: realBody}]});
		const cache = createEngineCache(flaky.client, 5000);
		expect(await cache.measure(signal, () => 0)).toEqual({fallback: 'this-time'});
		expect('usage' in (await cache.measure(signal, () => 0))).toBe(true);

		const away = createEngineClient({host: 'unix:///nonexistent/bxtop-engine.sock', origin: 'test'});
		if (!('get' in away)) throw new Error(away.unsupported);
		expect(await createEngineCache(away, 5000).measure(signal, () => 0)).toEqual({fallback: 'this-time'});
	});

	it('a daemon upgraded mid-session refuses the old version: /version is asked again, and the new one used', async () => {
		const {client, asked} = await daemon({
			'/version': [version('1.43', '1.24'), version('1.52', '1.44')],
			[`/v1.43${df}`]: [{status: 200, body: realBody}, {status: 400, body: '{"message":"client version 1.43 is too old. Minimum supported API version is 1.44"}'}],
			[`/v1.52${df}`]: [{status: 200, body: realBody}],
		});
		const cache = createEngineCache(client, 5000);
		expect('usage' in (await cache.measure(signal, () => 0))).toBe(true);
		expect('usage' in (await cache.measure(signal, () => 0))).toBe(true);
		expect(asked).toEqual(['/version', `/v1.43${df}`, `/v1.43${df}`, '/version', `/v1.52${df}`]);
	});

	it('no answer in the time allowed is a failure of its own: buildx would wait as long again', async () => {
		const {client} = await daemon({'/version': [version('1.51', '1.24')], [df]: ['hang']});
		const answer = await createEngineCache(client, 300).measure(signal, () => 0);
		expect(answer).toEqual({failed: expect.stringMatching(/^no answer from unix:\/\/.*docker\.sock in 300 ms$/)});
	});
});

describe('the du runner with the Engine API (SYNTHETIC daemon, fake docker replaying real buildx du)', () => {
	const verbose = `${realDir}01-after-cold.buildx-du-verbose.txt`;

	it('a 5xx: buildx du this time, the Engine API again the next', async () => {
		const {client} = await daemon({'/version': [version('1.51', '1.24')], [df]: [{status: 500, body: 'oops'}, {status: 200, body: realBody}]});
		const docker = fakeDocker([{match: 'buildx du --builder default --verbose', stdoutFile: verbose}]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const cache = createBuildCache({builder: 'default', emit: e => events.push(e), clock: manualClock(1), signal: controller.signal, env: docker.env, engine: client, periodMs: 60_000});
		expect((await cache.refresh('initial'))?.format).toBe('verbose');
		expect((await cache.refresh('build-ended'))?.format).toBe('engine');
		controller.abort();
		expect(docker.calls().filter(c => c.event === 'start')).toHaveLength(1);
	});

	it('no answer in time: one cache/measure-failed, and buildx is not asked', async () => {
		const {client} = await daemon({'/version': [version('1.51', '1.24')], [df]: ['hang']});
		const docker = fakeDocker([{match: 'buildx du *', stdoutFile: verbose}]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		const cache = createBuildCache({builder: 'default', emit: e => events.push(e), clock: manualClock(1), signal: controller.signal, env: docker.env, engine: client, periodMs: 60_000, timeoutMs: 300});
		expect(await cache.refresh('initial')).toBeUndefined();
		controller.abort();
		expect(events).toEqual([{type: 'cache/measure-failed', at: 1, builder: 'default', reason: 'initial', message: expect.stringMatching(/in 300 ms$/)}]);
		expect(docker.calls()).toHaveLength(0);
	});
});
