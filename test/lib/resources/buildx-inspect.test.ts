import {describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {atLeast, parseBuildxInspect, parseBuildxVersion, platformNames} from '../../../source/lib/buildx-inspect.js';
import {parseBuildxLsJson, parseBuildxLsTable} from '../../../source/lib/buildx-ls.js';
import {readReal} from '../../helpers/captures.js';

const local = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');
const amd64Platforms = ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/amd64/v4', 'linux/arm64', 'linux/386', 'linux/arm/v7', 'linux/arm/v6'];

describe('buildx inspect (real captures)', () => {
	it('docker-container builder with one node; Labels and GC policy lines are skipped', () => {
		expect(parseBuildxInspect(readReal('00-buildx-inspect-mybuilder.txt'))).toEqual({
			name: 'mybuilder',
			driver: 'docker-container',
			lastActivity: '2026-11-29 10:41:20 +0000 UTC',
			nodes: [
				{
					name: 'mybuilder0',
					endpoint: 'unix:///var/run/docker.sock',
					driverOptions: 'network="host"',
					status: 'running',
					buildkitFlags: '--allow-insecure-entitlement network.host',
					buildkitVersion: 'v0.26.3',
					platforms: amd64Platforms,
				},
			],
		});
	});

	it('two nodes, the second through docker context node2; preferred platforms marked', () => {
		const builder = parseBuildxInspect(readReal('15-multinode-buildx-inspect.txt'))!;
		expect(builder.name).toBe('multinode');
		expect(builder.nodes.map(n => [n.name, n.endpoint, n.status, n.buildkitVersion, n.platforms[0]])).toEqual([
			['multinode0', 'unix:///var/run/docker.sock', 'running', 'v0.26.3', 'linux/amd64*'],
			['multinode1', 'node2', 'running', 'v0.26.3', 'linux/arm64*'],
		]);
		expect(platformNames(builder.nodes[1]!.platforms).slice(0, 2)).toEqual(['linux/arm64', 'linux/amd64']);
	});

	it('docker driver (this machine)', () => {
		expect(parseBuildxInspect(local('docker-driver.buildx-inspect.real.txt'))).toEqual({
			name: 'default',
			driver: 'docker',
			lastActivity: '2026-11-29 11:17:20 +0000 UTC',
			nodes: [{name: 'default', endpoint: 'default', status: 'running', buildkitVersion: 'v0.8+unknown', platforms: ['linux/amd64', 'linux/arm64', 'linux/386']}],
		});
	});

	it('nothing usable in an error message', () => {
		expect(parseBuildxInspect('ERROR: no builder "nope" found\n')).toBeUndefined();
	});
});

describe('buildx version', () => {
	it('reads Debian and upstream version lines', () => {
		expect(parseBuildxVersion(readReal('00-buildx-version.txt'))).toEqual({major: 0, minor: 13, patch: 1, text: '0.13.1+ds1'});
		expect(parseBuildxVersion('github.com/docker/buildx v0.28.0 3f8a2d1')).toEqual({major: 0, minor: 28, patch: 0, text: '0.28.0'});
		expect(atLeast(parseBuildxVersion('github.com/docker/buildx v0.17.1 257815a'), 0, 17)).toBe(true);
		expect(atLeast(parseBuildxVersion('github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3'), 0, 17)).toBe(false);
		expect(atLeast(undefined, 0, 1)).toBe(false);
	});
});

describe('buildx ls', () => {
	it('table of four builders: the current one, nodes, a node on a docker context', () => {
		const builders = parseBuildxLsTable(readReal('15-multinode-buildx-ls.txt'));
		expect(builders.map(b => [b.name, b.driver, b.isCurrent, b.nodes.length])).toEqual([
			['multinode', 'docker-container', false, 2],
			['mybuilder', 'docker-container', true, 1],
			['default', 'docker', false, 1],
			['node2', 'docker', false, 1],
		]);
		expect(builders[0]!.nodes[1]).toEqual({
			name: 'multinode1',
			endpoint: 'node2',
			status: 'running',
			buildkitVersion: 'v0.26.3',
			platforms: ['linux/arm64*', 'linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/amd64/v4', 'linux/386', 'linux/arm/v7', 'linux/arm/v6'],
		});
		expect(builders[2]!.nodes[0]).toMatchObject({name: 'default', endpoint: 'default', buildkitVersion: 'v0.8+unknown'});
	});

	it('table of this machine and the older layout ("name *" and plain indentation)', () => {
		expect(parseBuildxLsTable(local('docker-driver.buildx-ls.real.txt'))).toEqual([
			{
				name: 'default',
				driver: 'docker',
				isCurrent: true,
				nodes: [{name: 'default', endpoint: 'default', status: 'running', buildkitVersion: 'v0.8+unknown', platforms: ['linux/amd64', 'linux/arm64', 'linux/386']}],
			},
		]);
		const older = 'NAME/NODE    DRIVER/ENDPOINT             STATUS  BUILDKIT PLATFORMS\nmybuilder *  docker-container\n  mybuilder0 unix:///var/run/docker.sock running v0.10.3  linux/amd64, linux/arm64\n';
		expect(parseBuildxLsTable(older)).toEqual([
			{
				name: 'mybuilder',
				driver: 'docker-container',
				isCurrent: true,
				nodes: [{name: 'mybuilder0', endpoint: 'unix:///var/run/docker.sock', status: 'running', buildkitVersion: 'v0.10.3', platforms: ['linux/amd64', 'linux/arm64']}],
			},
		]);
	});

	it('--format json prints the default builder twice on buildx 0.13.1: one is kept', () => {
		expect(parseBuildxLsJson(local('docker-driver.buildx-ls-json.real.txt'))).toEqual([
			{
				name: 'default',
				driver: 'docker',
				lastActivity: '2026-11-29T11:17:20Z',
				isCurrent: false,
				nodes: [{name: 'default', endpoint: 'default', status: 'running', buildkitVersion: 'v0.8+unknown', platforms: ['linux/amd64', 'linux/arm64', 'linux/386']}],
			},
		]);
	});
});
