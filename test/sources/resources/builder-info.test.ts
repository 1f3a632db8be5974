// Builder discovery: the real docker-driver builder of this machine, a builder that does not exist, and the real
// two-node captures played by a fake docker (node2 is a docker context resolved from an in-memory ~/.docker).
import {createHash} from 'node:crypto';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {readFileSync} from 'node:fs';
import {discoverBuilder} from '../../../source/sources/builder-info.js';
import {parseBuildxInspect} from '../../../source/lib/buildx-inspect.js';
import {manualClock} from '../../../source/domain/clock.js';
import type {EndpointDeps} from '../../../source/lib/docker-endpoint.js';
import {describeDocker} from '../../helpers/docker.js';
import {realDir} from '../../helpers/captures.js';
import {fakeDocker} from './fake-docker.js';

describeDocker('builder discovery (real buildx)', () => {
	it('finds the current builder: docker driver, nothing to measure but the host', async () => {
		const events: DomainEvent[] = [];
		const found = await discoverBuilder({emit: e => events.push(e), clock: manualClock(3), signal: new AbortController().signal});
		expect(found?.builder.name).toBe('default');
		expect(found?.builder.driver).toBe('docker');
		expect(found?.buildxVersion).toBe('0.13.1+ds1');
		expect(found?.targets).toEqual([
			{node: 'default', dockerHost: 'unix:///var/run/docker.sock', notMeasurable: 'docker driver: BuildKit runs inside dockerd, there is no BuildKit container (see the Docker host below)'},
		]);
		expect(found?.daemonEndpoint.host).toBe('unix:///var/run/docker.sock');
		expect(events.map(e => e.type)).toEqual(['builder/inspected']);
	});

	it('a builder that does not exist: an event with buildx\'s message', async () => {
		const events: DomainEvent[] = [];
		const found = await discoverBuilder({builderName: 'bxtop-no-such-builder', emit: e => events.push(e), clock: manualClock(3), signal: new AbortController().signal});
		expect(found).toBeUndefined();
		expect(events).toEqual([{type: 'builder/inspect-failed', at: 3, builderName: 'bxtop-no-such-builder', message: 'ERROR: no builder "bxtop-no-such-builder" found'}]);
	});
});

describe('builder discovery (real multinode captures, fake docker)', () => {
	it('one container per node, the second read through docker context node2', async () => {
		const docker = fakeDocker([
			{match: 'buildx version', stdoutFile: `${realDir}00-buildx-version.txt`},
			{match: 'buildx inspect multinode', stdoutFile: `${realDir}15-multinode-buildx-inspect.txt`},
		]);
		const configDir = '/home/u/.docker';
		const meta = path.join(configDir, 'contexts', 'meta', createHash('sha256').update('node2').digest('hex'), 'meta.json');
		const files: Record<string, string> = {[meta]: '{"Name":"node2","Endpoints":{"docker":{"Host":"unix:///run/docker-node2.sock","SkipTLSVerify":false}}}'};
		const deps: EndpointDeps = {env: {}, configDir, readText: f => files[f], exists: f => f in files};
		const events: DomainEvent[] = [];
		const found = await discoverBuilder({builderName: 'multinode', emit: e => events.push(e), clock: manualClock(1), signal: new AbortController().signal, env: docker.env, endpointDeps: deps});
		expect(found?.targets).toEqual([
			{node: 'multinode0', dockerHost: 'unix:///var/run/docker.sock', container: 'buildx_buildkit_multinode0'},
			{node: 'multinode1', dockerHost: 'unix:///run/docker-node2.sock', container: 'buildx_buildkit_multinode1'},
		]);
		expect(found?.endpoints['multinode1']).toEqual({host: 'unix:///run/docker-node2.sock', origin: 'context node2', contextName: 'node2'});
		expect(events[0]).toMatchObject({type: 'builder/inspected', buildxVersion: '0.13.1+ds1'});
	});

	it('with what preflight already inspected, neither buildx inspect nor buildx version runs again', async () => {
		const docker = fakeDocker([{match: 'context inspect node2', stderr: 'context "node2" does not exist', exitCode: 1}]);
		const builder = parseBuildxInspect(readFileSync(`${realDir}15-multinode-buildx-inspect.txt`, 'utf8'))!;
		const deps: EndpointDeps = {env: {}, configDir: '/nowhere', readText: () => undefined, exists: () => false};
		const events: DomainEvent[] = [];
		const known = {builder, buildxVersion: '0.13.1+ds1'};
		const found = await discoverBuilder({builderName: 'multinode', emit: e => events.push(e), clock: manualClock(1), signal: new AbortController().signal, env: docker.env, endpointDeps: deps, known});
		expect(found?.builder).toBe(builder);
		expect(found?.targets[0]).toEqual({node: 'multinode0', dockerHost: 'unix:///var/run/docker.sock', container: 'buildx_buildkit_multinode0'});
		expect(events[0]).toMatchObject({type: 'builder/inspected', buildxVersion: '0.13.1+ds1'});
		expect(docker.calls().filter(c => c.event === 'start').map(c => c.args)).toEqual(['context inspect node2']);
	});

	it('when inspect fails, buildx ls still names the nodes', async () => {
		const docker = fakeDocker([
			{match: 'buildx version', stdoutFile: `${realDir}00-buildx-version.txt`},
			{match: 'buildx inspect', stderr: 'ERROR: failed to get status: context deadline exceeded', exitCode: 1},
			{match: 'buildx ls --format json', stderr: 'unknown flag: --format', exitCode: 1},
			{match: 'buildx ls', stdoutFile: `${realDir}15-multinode-buildx-ls.txt`},
			{match: 'context inspect node2', stderr: 'context "node2" does not exist', exitCode: 1},
		]);
		const deps: EndpointDeps = {env: {}, configDir: '/nowhere', readText: () => undefined, exists: () => false};
		const events: DomainEvent[] = [];
		const found = await discoverBuilder({emit: e => events.push(e), clock: manualClock(1), signal: new AbortController().signal, env: docker.env, endpointDeps: deps});
		expect(found?.builder.name).toBe('mybuilder');
		expect(found?.targets).toEqual([{node: 'mybuilder0', dockerHost: 'unix:///var/run/docker.sock', container: 'buildx_buildkit_mybuilder0'}]);
	});
});
