// A minimal Docker Engine API client over node:http: a unix socket or tcp (TLS with the endpoint's cert files).
// Two calls: a JSON request and a newline-delimited JSON stream (the stats stream). No retries here: the sources
// decide what a failure means (daemon away, container gone) and when to try again.
import http from 'node:http';
import https from 'node:https';
import {readFileSync} from 'node:fs';
import {transportOf, type DockerEndpoint} from '../lib/docker-endpoint.js';

export type EngineResponse = {status: number; body: string};

export class EngineError extends Error {
	constructor(
		message: string,
		/** ECONNREFUSED, ENOENT, EACCES, ... when the daemon could not be reached at all. */
		readonly code?: string,
		/** The request's own time limit passed (code ETIMEDOUT too), as opposed to a connect that timed out. */
		readonly isNoAnswer = false,
	) {
		super(message);
		this.name = 'EngineError';
	}

	get isUnreachable(): boolean {
		return this.code !== undefined && unreachableCodes.has(this.code);
	}
}

const unreachableCodes = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'ENOTCONN']);

export type EngineClient = {
	endpoint: DockerEndpoint;
	get: (path: string, options?: {signal?: AbortSignal; timeoutMs?: number}) => Promise<EngineResponse>;
	/**
	 * Streams newline-delimited JSON lines. Resolves with the status when the response ends (or at once, with the
	 * body, for a non-2xx answer); rejects with EngineError when the connection fails; resolves when aborted.
	 */
	stream: (path: string, onLine: (line: string) => void, options: {signal: AbortSignal}) => Promise<EngineResponse>;
};

/** A client for the endpoint, or a reason it cannot be spoken to with HTTP (ssh://, npipe://). */
export function createEngineClient(endpoint: DockerEndpoint): EngineClient | {unsupported: string} {
	const transport = transportOf(endpoint);
	if (transport.kind === 'unsupported') return {unsupported: `${transport.scheme}:// endpoints are not spoken to directly`};

	const base: http.RequestOptions =
		transport.kind === 'unix' ? {socketPath: transport.socketPath} : {hostname: transport.hostname, port: transport.port};
	const isTls = transport.kind === 'tcp' && transport.isTls;
	const tlsOptions: https.RequestOptions = {};
	if (isTls && endpoint.tls) {
		const read = (file?: string) => (file ? readFileSync(file) : undefined);
		const ca = read(endpoint.tls.caPath);
		const cert = read(endpoint.tls.certPath);
		const key = read(endpoint.tls.keyPath);
		if (ca) tlsOptions.ca = ca;
		if (cert) tlsOptions.cert = cert;
		if (key) tlsOptions.key = key;
		tlsOptions.rejectUnauthorized = !endpoint.tls.skipVerify;
	}

	const open = (path: string, signal: AbortSignal | undefined): http.ClientRequest => {
		const options: https.RequestOptions = {...base, ...tlsOptions, path, method: 'GET', headers: {Host: 'docker'}};
		if (signal) options.signal = signal;
		return isTls ? https.request(options) : http.request(options);
	};

	return {
		endpoint,
		get: (path, options = {}) =>
			new Promise((resolve, reject) => {
				const request = open(path, options.signal);
				const timer = options.timeoutMs
					? setTimeout(() => request.destroy(new EngineError(`no answer from ${endpoint.host} in ${options.timeoutMs} ms`, 'ETIMEDOUT', true)), options.timeoutMs)
					: undefined;
				request.on('response', response => {
					const chunks: Buffer[] = [];
					response.on('data', (chunk: Buffer) => chunks.push(chunk));
					response.on('end', () => {
						if (timer) clearTimeout(timer);
						resolve({status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')});
					});
					response.on('error', error => {
						if (timer) clearTimeout(timer);
						reject(toEngineError(error, endpoint));
					});
				});
				request.on('error', error => {
					if (timer) clearTimeout(timer);
					reject(toEngineError(error, endpoint));
				});
				request.end();
			}),
		stream: (path, onLine, options) =>
			new Promise((resolve, reject) => {
				if (options.signal.aborted) {
					resolve({status: 0, body: ''});
					return;
				}
				const request = open(path, options.signal);
				let settled = false;
				const settle = (fn: () => void) => {
					if (!settled) {
						settled = true;
						fn();
					}
				};
				request.on('response', response => {
					const status = response.statusCode ?? 0;
					let rest = '';
					const body: string[] = [];
					response.setEncoding('utf8');
					response.on('data', (chunk: string) => {
						if (status < 200 || status >= 300) {
							body.push(chunk);
							return;
						}
						rest += chunk;
						let newline = rest.indexOf('\n');
						while (newline !== -1) {
							const line = rest.slice(0, newline);
							rest = rest.slice(newline + 1);
							if (line.trim() !== '') onLine(line);
							newline = rest.indexOf('\n');
						}
					});
					response.on('end', () => {
						if (rest.trim() !== '' && status >= 200 && status < 300) onLine(rest);
						settle(() => resolve({status, body: body.join('')}));
					});
					response.on('error', error => settle(() => (options.signal.aborted ? resolve({status, body: ''}) : reject(toEngineError(error, endpoint)))));
					response.on('close', () => settle(() => resolve({status, body: body.join('')})));
				});
				request.on('error', error =>
					settle(() => (options.signal.aborted ? resolve({status: 0, body: ''}) : reject(toEngineError(error, endpoint)))),
				);
				request.end();
			}),
	};
}

function toEngineError(error: unknown, endpoint: DockerEndpoint): EngineError {
	if (error instanceof EngineError) return error;
	const code = (error as NodeJS.ErrnoException).code;
	const message = (error as Error).message ?? String(error);
	if (code && unreachableCodes.has(code)) return new EngineError(`cannot reach the Docker daemon at ${endpoint.host} (${code})`, code);
	return new EngineError(message, code);
}

/** The daemon's `{"message": "..."}` error body, or the body itself. */
export function engineMessage(body: string): string {
	try {
		const parsed = JSON.parse(body) as {message?: unknown};
		if (typeof parsed.message === 'string') return parsed.message;
	} catch {
		// not JSON
	}
	return body.trim().slice(0, 200);
}
