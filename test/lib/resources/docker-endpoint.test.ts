// Endpoint resolution over an in-memory ~/.docker: the docker CLI's order (DOCKER_HOST, DOCKER_CONTEXT,
// currentContext, default socket) and buildx node endpoints that name a context (the multinode capture's "node2").
import {describe, expect, it} from 'vitest';
import {createHash} from 'node:crypto';
import path from 'node:path';
import {
	contextDirName,
	currentEndpoint,
	isLocalEndpoint,
	nodeEndpoint,
	parseContextInspect,
	transportOf,
	type EndpointDeps,
} from '../../../source/lib/docker-endpoint.js';

const configDir = '/home/u/.docker';
const node2Id = createHash('sha256').update('node2').digest('hex');

function deps(env: Record<string, string> = {}, files: Record<string, string> = {}): EndpointDeps {
	return {
		env,
		configDir,
		readText: file => files[file],
		exists: file => file in files,
	};
}

// What `docker context create node2 --docker host=unix:///run/docker-node2.sock` stores (the capture's setup).
const node2Files = {
	[path.join(configDir, 'contexts', 'meta', node2Id, 'meta.json')]: JSON.stringify({
		Name: 'node2',
		Metadata: {},
		Endpoints: {docker: {Host: 'unix:///run/docker-node2.sock', SkipTLSVerify: false}},
	}),
};

describe('docker endpoint resolution', () => {
	it('names context directories by the sha256 of the context name', () => {
		expect(contextDirName('node2')).toBe(node2Id);
		expect(node2Id).toHaveLength(64);
	});

	it('defaults to the local socket', () => {
		expect(currentEndpoint(deps())).toEqual({host: 'unix:///var/run/docker.sock', origin: 'default socket', contextName: 'default'});
	});

	it('DOCKER_HOST wins over the current context', () => {
		const d = deps({DOCKER_HOST: 'unix:///tmp/proxy.sock'}, {...node2Files, [path.join(configDir, 'config.json')]: '{"currentContext":"node2"}'});
		expect(currentEndpoint(d)).toEqual({host: 'unix:///tmp/proxy.sock', origin: 'DOCKER_HOST', contextName: 'default'});
	});

	it('follows currentContext in config.json, and DOCKER_CONTEXT over it', () => {
		const files = {...node2Files, [path.join(configDir, 'config.json')]: '{"currentContext":"node2"}'};
		expect(currentEndpoint(deps({}, files))).toEqual({host: 'unix:///run/docker-node2.sock', origin: 'context node2', contextName: 'node2'});
		expect(currentEndpoint(deps({DOCKER_CONTEXT: 'default'}, files)).host).toBe('unix:///var/run/docker.sock');
	});

	it('says so when the current context is not stored', () => {
		const files = {[path.join(configDir, 'config.json')]: '{"currentContext":"gone"}'};
		expect(currentEndpoint(deps({}, files))).toMatchObject({host: 'unix:///var/run/docker.sock', origin: 'context gone (not found; default socket)'});
	});

	it('resolves buildx node endpoints: a URL as is, a context name through its meta.json', () => {
		expect(nodeEndpoint('unix:///var/run/docker.sock', deps())).toEqual({host: 'unix:///var/run/docker.sock', origin: 'unix:///var/run/docker.sock'});
		expect(nodeEndpoint('node2', deps({}, node2Files))).toEqual({host: 'unix:///run/docker-node2.sock', origin: 'context node2', contextName: 'node2'});
		expect(nodeEndpoint('default', deps({DOCKER_HOST: 'tcp://127.0.0.1:2375'}))?.host).toBe('tcp://127.0.0.1:2375');
		expect(nodeEndpoint('missing', deps())).toBeUndefined();
	});

	it('picks up TLS files of a context and of DOCKER_CERT_PATH', () => {
		const tlsDir = path.join(configDir, 'contexts', 'tls', node2Id, 'docker');
		const files = {
			[path.join(configDir, 'contexts', 'meta', node2Id, 'meta.json')]: '{"Endpoints":{"docker":{"Host":"tcp://10.0.0.5:2376","SkipTLSVerify":true}}}',
			[path.join(tlsDir, 'ca.pem')]: 'x',
			[path.join(tlsDir, 'cert.pem')]: 'x',
			[path.join(tlsDir, 'key.pem')]: 'x',
		};
		const endpoint = nodeEndpoint('node2', deps({}, files))!;
		expect(endpoint.tls).toEqual({skipVerify: true, caPath: path.join(tlsDir, 'ca.pem'), certPath: path.join(tlsDir, 'cert.pem'), keyPath: path.join(tlsDir, 'key.pem')});
		expect(transportOf(endpoint)).toEqual({kind: 'tcp', hostname: '10.0.0.5', port: 2376, isTls: true});
		expect(isLocalEndpoint(endpoint)).toBe(false);

		const env = {DOCKER_HOST: 'tcp://127.0.0.1:2376', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs'};
		const withCerts = currentEndpoint(deps(env, {'/certs/ca.pem': 'x'}));
		expect(withCerts.tls).toEqual({skipVerify: false, caPath: '/certs/ca.pem'});
		expect(isLocalEndpoint(withCerts)).toBe(true);
	});

	it('knows which endpoints node:http can speak to', () => {
		expect(transportOf({host: 'unix:///run/docker-node2.sock', origin: ''})).toEqual({kind: 'unix', socketPath: '/run/docker-node2.sock'});
		expect(transportOf({host: 'tcp://localhost:2375', origin: ''})).toEqual({kind: 'tcp', hostname: 'localhost', port: 2375, isTls: false});
		expect(transportOf({host: 'ssh://me@builder', origin: ''})).toEqual({kind: 'unsupported', scheme: 'ssh'});
		expect(isLocalEndpoint({host: 'ssh://me@builder', origin: ''})).toBe(false);
	});

	it('reads `docker context inspect` output (real, this machine)', () => {
		const real = '[\n    {\n        "Name": "default",\n        "Metadata": {},\n        "Endpoints": {\n            "docker": {\n                "Host": "unix:///var/run/docker.sock",\n                "SkipTLSVerify": false\n            }\n        },\n        "TLSMaterial": {},\n        "Storage": {\n            "MetadataPath": "\\u003cIN MEMORY\\u003e",\n            "TLSPath": "\\u003cIN MEMORY\\u003e"\n        }\n    }\n]\n';
		expect(parseContextInspect(real)).toEqual({host: 'unix:///var/run/docker.sock', origin: 'context default', contextName: 'default'});
		expect(parseContextInspect('not json')).toBeUndefined();
	});
});
