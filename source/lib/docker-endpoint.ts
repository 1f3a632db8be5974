// Where the Docker Engine API is: DOCKER_HOST, else the current docker context's endpoint (DOCKER_CONTEXT, else
// `currentContext` in ~/.docker/config.json, read from ~/.docker/contexts/meta/<sha256(name)>/meta.json), else the
// default socket - the docker CLI's own order. buildx node endpoints are either such a URL or a context name.
// File access goes through an injected reader so the resolution itself is testable without a home directory.
import {createHash} from 'node:crypto';
import {existsSync, readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const defaultDockerHost = 'unix:///var/run/docker.sock';

export type TlsFiles = {caPath?: string; certPath?: string; keyPath?: string; skipVerify: boolean};

export type DockerEndpoint = {
	/** The URL: unix:///var/run/docker.sock, tcp://10.0.0.5:2376, ssh://user@host, npipe:////./pipe/docker_engine. */
	host: string;
	/** Where it came from, for messages ("context node2", "DOCKER_HOST"). */
	origin: string;
	contextName?: string;
	tls?: TlsFiles;
};

export type EndpointDeps = {
	env: Record<string, string | undefined>;
	/** ~/.docker unless DOCKER_CONFIG says otherwise. */
	configDir: string;
	readText: (file: string) => string | undefined;
	exists: (file: string) => boolean;
};

export function systemEndpointDeps(env: Record<string, string | undefined> = process.env): EndpointDeps {
	return {
		env,
		configDir: env['DOCKER_CONFIG'] || path.join(os.homedir(), '.docker'),
		readText: file => {
			try {
				return readFileSync(file, 'utf8');
			} catch {
				return undefined;
			}
		},
		exists: file => existsSync(file),
	};
}

/** The context docker would use without --context/--host flags. */
export function currentContextName(deps: EndpointDeps): string {
	if (deps.env['DOCKER_HOST']) return 'default';
	if (deps.env['DOCKER_CONTEXT']) return deps.env['DOCKER_CONTEXT'];
	const config = parseJson(deps.readText(path.join(deps.configDir, 'config.json')));
	const current = config?.['currentContext'];
	return typeof current === 'string' && current !== '' ? current : 'default';
}

export function contextDirName(name: string): string {
	return createHash('sha256').update(name).digest('hex');
}

/** The endpoint of a named context; undefined when no such context is stored. */
export function contextEndpoint(name: string, deps: EndpointDeps): DockerEndpoint | undefined {
	if (name === 'default') return defaultEndpoint(deps);
	const id = contextDirName(name);
	const meta = parseJson(deps.readText(path.join(deps.configDir, 'contexts', 'meta', id, 'meta.json')));
	const docker = (meta?.['Endpoints'] as Record<string, Record<string, unknown>> | undefined)?.['docker'];
	const host = docker?.['Host'];
	if (typeof host !== 'string' || host === '') return undefined;
	const endpoint: DockerEndpoint = {host, origin: `context ${name}`, contextName: name};
	const tlsDir = path.join(deps.configDir, 'contexts', 'tls', id, 'docker');
	const skipVerify = docker?.['SkipTLSVerify'] === true;
	const tls = tlsFiles(tlsDir, skipVerify, deps);
	if (tls) endpoint.tls = tls;
	return endpoint;
}

/** The "default" context: DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH) or the default socket. */
export function defaultEndpoint(deps: EndpointDeps): DockerEndpoint {
	const host = deps.env['DOCKER_HOST'];
	if (!host) return {host: defaultDockerHost, origin: 'default socket', contextName: 'default'};
	const endpoint: DockerEndpoint = {host, origin: 'DOCKER_HOST', contextName: 'default'};
	const verify = deps.env['DOCKER_TLS_VERIFY'];
	if (verify !== undefined && verify !== '' && verify !== '0') {
		const dir = deps.env['DOCKER_CERT_PATH'] || deps.configDir;
		endpoint.tls = tlsFiles(dir, false, deps) ?? {skipVerify: false};
	} else if (deps.env['DOCKER_CERT_PATH']) {
		const tls = tlsFiles(deps.env['DOCKER_CERT_PATH'], true, deps);
		if (tls) endpoint.tls = tls;
	}
	return endpoint;
}

function tlsFiles(dir: string, skipVerify: boolean, deps: EndpointDeps): TlsFiles | undefined {
	const files: TlsFiles = {skipVerify};
	const ca = path.join(dir, 'ca.pem');
	const cert = path.join(dir, 'cert.pem');
	const key = path.join(dir, 'key.pem');
	if (deps.exists(ca)) files.caPath = ca;
	if (deps.exists(cert)) files.certPath = cert;
	if (deps.exists(key)) files.keyPath = key;
	return files.caPath || files.certPath || files.keyPath ? files : undefined;
}

/** The endpoint docker itself would talk to right now. */
export function currentEndpoint(deps: EndpointDeps): DockerEndpoint {
	const name = currentContextName(deps);
	return contextEndpoint(name, deps) ?? {...defaultEndpoint(deps), origin: `context ${name} (not found; default socket)`};
}

/**
 * A buildx node endpoint: a URL is used as is; anything else names a docker context. Undefined when the context is
 * not stored locally (the caller may ask `docker context inspect`).
 */
export function nodeEndpoint(endpoint: string, deps: EndpointDeps): DockerEndpoint | undefined {
	if (isUrl(endpoint)) return {host: endpoint, origin: endpoint};
	return contextEndpoint(endpoint, deps);
}

export function isUrl(text: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(text);
}

export type Transport =
	| {kind: 'unix'; socketPath: string}
	| {kind: 'tcp'; hostname: string; port: number; isTls: boolean}
	| {kind: 'unsupported'; scheme: string};

/** How to reach an endpoint with node:http. ssh:// and npipe:// cannot be spoken to directly. */
export function transportOf(endpoint: DockerEndpoint): Transport {
	const host = endpoint.host;
	if (host.startsWith('unix://')) return {kind: 'unix', socketPath: host.slice('unix://'.length)};
	const match = /^(tcp|http|https):\/\/\[?([^\]/]+?)\]?(?::(\d+))?\/?$/.exec(host);
	if (match) {
		const isTls = match[1] === 'https' || (match[1] === 'tcp' && endpoint.tls !== undefined);
		const port = match[3] ? Number(match[3]) : isTls ? 2376 : 2375;
		return {kind: 'tcp', hostname: match[2]!, port, isTls};
	}
	return {kind: 'unsupported', scheme: host.split('://')[0] ?? host};
}

/** Whether the daemon behind this endpoint runs on this machine (so its data root can be statfs'd here). */
export function isLocalEndpoint(endpoint: DockerEndpoint): boolean {
	const t = transportOf(endpoint);
	if (t.kind === 'unix') return true;
	if (t.kind === 'tcp') return t.hostname === '127.0.0.1' || t.hostname === 'localhost' || t.hostname === '::1';
	return endpoint.host.startsWith('npipe://');
}

/** Parses `docker context inspect <name>` output (a JSON array) into an endpoint. */
export function parseContextInspect(text: string): DockerEndpoint | undefined {
	const parsed = parseJsonValue(text);
	const first = Array.isArray(parsed) ? (parsed[0] as Record<string, unknown> | undefined) : undefined;
	const docker = (first?.['Endpoints'] as Record<string, Record<string, unknown>> | undefined)?.['docker'];
	const host = docker?.['Host'];
	if (typeof host !== 'string' || host === '') return undefined;
	const name = typeof first?.['Name'] === 'string' ? (first['Name'] as string) : undefined;
	const endpoint: DockerEndpoint = {host, origin: name ? `context ${name}` : host};
	if (name) endpoint.contextName = name;
	return endpoint;
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
	const value = parseJsonValue(text);
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function parseJsonValue(text: string | undefined): unknown {
	if (text === undefined) return undefined;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}
