// `docker info` with preflight's template, as this machine's two daemons and CLIs print it (test/fixtures/real).
import {describe, expect, test} from 'vitest';
import {dockerInfoArgs, parseDockerInfo} from '../../source/lib/docker-info.js';
import {readReal} from '../helpers/captures.js';

describe('parseDockerInfo', () => {
	test('dockerd 28 with the containerd snapshotter, buildx 0.29.1 in the plugin list', () => {
		expect(parseDockerInfo(readReal('local-dockerd28-info-store-plugins.json'))).toEqual({imageStore: 'containerd', buildxVersion: '0.29.1+ds1'});
	});

	test('dockerd 20.10 (overlay2), buildx 0.13.1', () => {
		expect(parseDockerInfo(readReal('local-dockerd20-info-store-plugins.json'))).toEqual({imageStore: 'classic', buildxVersion: '0.13.1+ds1'});
	});

	test('a DOCKER_CONFIG without cli-plugins/: the store, no buildx version', () => {
		expect(parseDockerInfo(readReal('local-dockerd20-info-store-no-plugins.json'))).toEqual({imageStore: 'classic'});
	});

	test('a daemon that did not answer prints half an object: nothing', () => {
		// what docker 20.10's CLI printed with the template against a socket nobody listens on
		expect(parseDockerInfo('{"DriverStatus":')).toBeUndefined();
	});

	test('SYNTHETIC: a plugin whose metadata call failed is listed with an empty version', () => {
		expect(parseDockerInfo('{"DriverStatus":null,"Plugins":[{"Name":"compose","Version":"2.29.7"},{"Name":"buildx","Version":""}]}')).toEqual({imageStore: 'classic'});
	});

	test('the template prints no plugin path (a local absolute path bxtop has no use for)', () => {
		expect(dockerInfoArgs.join(' ')).not.toMatch(/Path/);
		for (const file of ['local-dockerd28-info-store-plugins.json', 'local-dockerd20-info-store-plugins.json']) expect(readReal(file)).not.toContain('/');
	});
});
