// A SYNTHETIC Docker daemon for the Engine API sources' tests: a node:http server on a unix socket that answers each
// path as the test says, and logs what it was asked.
import http from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach} from 'vitest';
import {createEngineClient, type EngineClient} from '../../../source/sources/engine-api.js';

export type Answer = {status: number; body: string} | 'hang';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(close => close()));
});

/** A daemon that answers each path with the next answer of its list (the last one repeats); logs what it was asked. */
export async function daemon(answers: Record<string, Answer[]>): Promise<{client: EngineClient; asked: string[]}> {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-engine-'));
	const socketPath = path.join(dir, 'docker.sock');
	const asked: string[] = [];
	const server = http.createServer((request, response) => {
		const url = request.url ?? '';
		asked.push(url);
		// the exact path first (a versioned one), then the path without its version, then without its query too
		const unversioned = url.replace(/^\/v[\d.]+/, '');
		const key = url.startsWith('/version') ? '/version' : answers[url] ? url : answers[unversioned] ? unversioned : unversioned.split('?')[0]!;
		const list = answers[key] ?? [{status: 404, body: '{"message":"page not found"}'}];
		const answer = list.length > 1 ? list.shift()! : list[0]!;
		if (answer === 'hang') return;
		response.writeHead(answer.status, {'Content-Type': 'application/json'});
		response.end(answer.body);
	});
	await new Promise<void>(resolve => server.listen(socketPath, resolve));
	closers.push(async () => {
		server.closeAllConnections();
		await new Promise<void>(resolve => server.close(() => resolve()));
		rmSync(dir, {recursive: true, force: true});
	});
	const client = createEngineClient({host: `unix://${socketPath}`, origin: 'test'});
	if (!('get' in client)) throw new Error(client.unsupported);
	return {client, asked};
}

export const version = (api: string, min: string) => ({status: 200, body: JSON.stringify({ApiVersion: api, MinAPIVersion: min, Version: 'synthetic'})});
