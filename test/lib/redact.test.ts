// Redaction on its own: secret names, credential shapes (secretlint's recommended preset as the independent
// oracle: it must find each shape before and nothing after), secrets cut across log chunks, and ordinary build
// output left exactly as it was (real captures included).
import {describe, expect, test} from 'vitest';
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {createRedactor, isSecretName, redactText, shapeRedactor, type Redactor} from '../../source/lib/redact.js';
import {SolveStatusNormalizer} from '../../source/lib/solve-status.js';
import {MalformedJson, RawjsonSplitter, TextLine} from '../../source/lib/rawjson-stream.js';
import {scrubStrings} from '../../source/lib/secretlint-scrub.js';
import {credentialShapes, literalHits, pemBlock, secretlintFindings} from '../helpers/credentials.js';
import {readReal} from '../helpers/captures.js';
import type {SolveStatus} from '../../source/domain/events.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const logChunk = (vertex: string, text: string) => ({logs: [{vertex, stream: 1, data: b64(text), timestamp: '2026-01-01T00:00:00Z'}]});
const completed = (vertex: string) => ({vertexes: [{digest: vertex, name: 'RUN x', started: '2026-01-01T00:00:00Z', completed: '2026-01-01T00:00:01Z'}]});

/** The log text a normalizer emits for a sequence of raw statuses (the vertex completes at the end). */
function logsThrough(redactor: Redactor, raws: unknown[]): string {
	const normalizer = new SolveStatusNormalizer(redactor);
	const statuses: SolveStatus[] = raws.map(raw => normalizer.statusOf(raw) ?? {});
	statuses.push(normalizer.statusOf(completed('v')) ?? {});
	const rest = normalizer.flush();
	if (rest) statuses.push(rest);
	return statuses.flatMap(s => s.logs ?? []).map(l => l.text).join('');
}

describe('secret names', () => {
	test('names with PASS, PASSWD, PWD, DSN, PRIVATE, CERT, CREDENTIAL(S), SIGNING, SALT and the like', () => {
		for (const name of ['MY_DB_PASS', 'DB_PASSWD', 'DB_PASSWORD', 'API_PWD', 'SENTRY_DSN', 'PRIVATE_KEY', 'TLS_CERT', 'AWS_CREDENTIALS', 'GCP_CREDENTIAL', 'GPG_SIGNING_KEY', 'PASSWORD_SALT', 'dbPassword', 'apiToken', 'HF_TOKEN', 'NPM_AUTH', 'COOKIE_SECRET', 'SSH_KEY', 'db-pass'])
			expect(isSecretName(name), name).toBe(true);
		for (const name of ['TORCH_VARIANT', 'PYTHON_VERSION', 'BYPASS_CACHE', 'KEYBOARD_LAYOUT', 'COMPASS_DIR', 'BUILDKIT_INLINE_CACHE', 'TARGETARCH', 'PIP_INDEX_URL', 'HOME'])
			expect(isSecretName(name), name).toBe(false);
	});
});

describe('credential shapes (secretlint as the oracle)', () => {
	const shapes = credentialShapes();

	test('secretlint finds every shape its preset has a rule for (the oracle sees them)', async () => {
		for (const shape of shapes.filter(s => s.rule)) {
			const findings = await secretlintFindings(shape.printed);
			expect(findings.map(f => f.split(':')[0]), shape.name).toContain(shape.rule);
		}
	});

	test('redaction leaves nothing secretlint finds, and none of the secret parts', async () => {
		const text = shapes.map(s => `echo ${s.name}: ${s.printed}`).join('\n');
		const out = redactText(text);
		expect(await secretlintFindings(out)).toEqual([]);
		expect(literalHits(out, shapes.flatMap(s => s.secrets!))).toEqual([]);
		// each line still says what it was
		for (const shape of shapes) expect(out).toContain(`echo ${shape.name}: `);
	});

	test('issue 12 cases: Sentry DSN, PEM block, Google API key, secret assignments', () => {
		expect(redactText('SENTRY_DSN=https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42')).toBe('SENTRY_DSN=***');
		expect(redactText('dsn https://0123456789abcdef0123456789abcdef@o1.ingest.sentry.io/42 set')).toBe('dsn https://***@o1.ingest.sentry.io/42 set');
		expect(redactText(`key: ${pemBlock(3).block}\ndone`)).toBe('key: ***\ndone');
		expect(redactText('maps AIzaSyD-0123456789abcdefghijklmnopqrstu ok')).toBe('maps *** ok');
		expect(redactText('MY_DB_PASS=hunter2 PYTHON_VERSION=3.11')).toBe('MY_DB_PASS=*** PYTHON_VERSION=3.11');
		expect(redactText('{"password": "s3cretPassw0rd", "user": "ann"}')).toBe('{"password": "***", "user": "ann"}');
		expect(redactText('{"api_token":"tok3n-value-42","n":1}')).toBe('{"api_token":"***","n":1}');
		expect(redactText('https://ghp_abcdefghij0123456789abcdefghij0123456789:x-oauth-basic@github.com/o/r')).toBe('https://***:***@github.com/o/r');
	});

	test('known secret values go, whatever their shape, also JSON-escaped and trimmed', () => {
		const redactor = createRedactor(['correct horse battery staple\n', 'multi\nline-secret-value']);
		expect(redactor.text('pw is correct horse battery staple!')).toBe('pw is ***!');
		expect(redactor.text('{"v":"multi\\nline-secret-value"}')).toBe('{"v":"***"}');
		expect(redactor.text('second line: line-secret-value')).toBe('second line: ***');
		expect(redactor.value({a: ['x correct horse battery staple'], b: 3})).toEqual({a: ['x ***'], b: 3});
	});

	test('the run-time secretlint pass redacts what it finds, string by string, across string boundaries', async () => {
		const pem = pemBlock(9).block.split('\n');
		const out = await scrubStrings(['before', ...pem, 'after ghp_abcdefghij0123456789abcdefghij012345 end']);
		expect(out[0]).toBe('before');
		expect(out.slice(1, -1).every(s => s === '***')).toBe(true);
		expect(out.at(-1)).toBe('after *** end');
	});
});

describe('secrets cut across log chunks', () => {
	test('a known value with spaces, cut in three chunks, goes whole', () => {
		const redactor = createRedactor(['correct horse battery staple']);
		const text = logsThrough(redactor, [logChunk('v', 'the pw: correct ho'), logChunk('v', 'rse batt'), logChunk('v', 'ery staple and more\n')]);
		expect(text).toBe('the pw: *** and more\n');
	});

	test('a PEM block cut between lines and mid-line goes whole', () => {
		const {block} = pemBlock(5);
		const cut = [0, 20, 31, 200, 400, block.length];
		const chunks = cut.slice(1).map((end, i) => logChunk('v', (i === 0 ? 'key:\n' : '') + block.slice(cut[i], end) + (end === block.length ? '\nafter\n' : '')));
		expect(logsThrough(shapeRedactor, chunks)).toBe('key:\n***\nafter\n');
	});

	test('every token shape cut at every position is still redacted', () => {
		for (const shape of credentialShapes().filter(s => !s.printed.includes('\n') && !s.printed.includes(' '))) {
			for (let at = 1; at < shape.printed.length; at += 7) {
				const text = logsThrough(shapeRedactor, [logChunk('v', `x ${shape.printed.slice(0, at)}`), logChunk('v', `${shape.printed.slice(at)} y\n`)]);
				expect(literalHits(text, shape.secrets!), `${shape.name} cut at ${at}`).toEqual([]);
			}
		}
	});
});

describe('ordinary build output is left alone', () => {
	test('digests, base64 layer ids, versions, pip and apt lines, container paths', () => {
		const lines = [
			'#5 sha256:8b3d1f9a0c2e4b6d8f0a1c3e5b7d9f1a3c5e7b9d1f3a5c7e9b1d3f5a7c9e1b3d 0B / 27.1MB',
			'writing image sha256:4a2f0c1d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f done',
			'naming to docker.io/library/app:latest done',
			'exporting manifest sha256:0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c',
			'docker-image://docker.io/library/python:3.11-slim@sha256:1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b',
			'layer eyJhbGciOiJub25lIn0 id L2V0Yy9zc2wvY2VydHMK= cache key: sha256:5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e',
			'Collecting torch==2.5.1+cpu',
			'Downloading https://download.pytorch.org/whl/cpu/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl (174.7 MB)',
			'Successfully installed numpy-2.1.3 torch-2.5.1+cpu',
			'Created wheel for pkg: filename=pkg-1.0-py3-none-any.whl size=1234 sha256=9f8e7d6c5b4a39f8e7d6c5b4a39f8e7d6c5b4a39f8e7d6c5b4a39f8e7d6c5b4a3',
			'Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]',
			'Setting up libssl3:amd64 (3.0.15-1~deb12u1) ...',
			'Cloning into ssh://git@github.com/org/repo.git ...',
			'RUN --mount=type=secret,id=mysecret cat /run/secrets/mysecret',
			'Session: 3 Token count: 12 keyboard: us',
			'go: downloading golang.org/x/crypto v0.31.0',
			'npm warn deprecated inflight@1.0.6: This module is not supported',
			'PASSWORD_SALT=${SALT} (a variable reference)',
			'-----BEGIN CERTIFICATE-----',
		];
		for (const line of lines) expect(redactText(line), line).toBe(line);
	});

	test('the real captures: redaction changes nothing in their logs, names, warnings and errors', () => {
		const identity: Redactor = {...shapeRedactor, text: t => t, value: v => v, local: t => t, localValue: v => v};
		const files = readdirSync(path.join(import.meta.dirname, '../fixtures/real')).filter(f => f.endsWith('.rawjson'));
		expect(files.length).toBeGreaterThan(5);
		let checked = 0;
		for (const file of files) {
			const raw = readReal(file);
			const items = new RawjsonSplitter().push(raw);
			const objects = items.filter(i => !(i instanceof TextLine) && !(i instanceof MalformedJson));
			for (const item of items) if (item instanceof TextLine) expect(redactText(item.line), file).toBe(item.line);
			const textOf = (redactor: Redactor) => {
				const normalizer = new SolveStatusNormalizer(redactor);
				const statuses = objects.map(o => normalizer.statusOf(o) ?? {});
				const rest = normalizer.flush();
				if (rest) statuses.push(rest);
				const logs = new Map<string, string>();
				for (const s of statuses) for (const l of s.logs ?? []) logs.set(l.vertex, (logs.get(l.vertex) ?? '') + l.text);
				const names = statuses.flatMap(s => (s.vertexes ?? []).map(v => `${v.name} ${v.error ?? ''}`));
				const warnings = statuses.flatMap(s => (s.warnings ?? []).map(w => JSON.stringify(w)));
				return {logs: [...logs.entries()].sort(), names, warnings};
			};
			const redactedText = textOf(shapeRedactor);
			expect(redactedText, file).toEqual(textOf(identity));
			checked += redactedText.logs.length + redactedText.names.length;
		}
		expect(checked).toBeGreaterThan(100);
	});
});
