import {describe, expect, test} from 'vitest';
import {readFileSync} from 'node:fs';
import {redactText} from '../../source/lib/redact.js';
import {collectSecretValues, redactArgv} from '../../source/lib/secret-args.js';
import {createRecorder} from '../../source/record/recorder.js';
import {headerAt} from '../helpers/recordings.js';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

describe('redaction (synthetic secrets)', () => {
	test('argv: secret sources, secret-looking build args, tokens in values', () => {
		expect(
			redactArgv([
				'build', '--secret', 'id=hf,src=/home/me/.hf_token', '--secret=id=npm,env=NPM_TOKEN', '--ssh', 'default=/home/me/.ssh/id_ed25519',
				'--build-arg', 'HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123', '--build-arg=DB_PASSWORD=hunter2', '--build-arg', 'TORCH_VARIANT=cpu',
				'--build-arg', 'AWS_SECRET_ACCESS_KEY=abc', '--build-arg', 'PIP_INDEX_URL=https://user:s3cret@pypi.example/simple', '-t', 'backend:cpu', '.',
			]),
		).toEqual([
			'build', '--secret', 'id=hf,***', '--secret=id=npm,***', '--ssh', 'default=***',
			'--build-arg', 'HF_TOKEN=***', '--build-arg=DB_PASSWORD=***', '--build-arg', 'TORCH_VARIANT=cpu',
			'--build-arg', 'AWS_SECRET_ACCESS_KEY=***', '--build-arg', 'PIP_INDEX_URL=https://user:***@pypi.example/simple', '-t', 'backend:cpu', '.',
		]);
	});

	test('token shapes in log text', () => {
		expect(redactText('using hf_abcdefghijklmnopqrstuvwxyz0123 now')).toBe('using *** now');
		expect(redactText('GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789')).toBe('GITHUB_TOKEN=***');
		expect(redactText('key AKIAIOSFODNN7EXAMPLE id')).toBe('key *** id');
		expect(redactText('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig')).toBe('Authorization: Bearer ***');
		expect(redactText('Collecting torch==2.5.1+cpu')).toBe('Collecting torch==2.5.1+cpu');
	});

	test('the recorder never writes a secret value, even one without a known shape', async () => {
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-redact-')), 'r.bxrec');
		const argv = ['--build-arg', 'API_KEY=plainvalue123', '--build-arg', 'FOO=bar'];
		const recorder = createRecorder({file, header: {...headerAt(1000), command: redactArgv(argv)}, secretValues: collectSecretValues(argv)});
		recorder.tap({type: 'build/text-received', at: 1001, buildId: 'b', line: 'echo plainvalue123 and "quoted plainvalue123"'});
		recorder.tap({type: 'build/status-received', at: 1002, buildId: 'b', status: {logs: [{vertex: 'v', text: 'the key is plainvalue123\n'}]}});
		await recorder.close();
		const text = readFileSync(file, 'utf8');
		expect(text).not.toContain('plainvalue123');
		expect(text).toContain('API_KEY=***');
		expect(text).toContain('the key is ***');
		expect(text).toContain('FOO=bar');
	});

	test('secret values that come from the environment are collected for scrubbing', () => {
		const env = {HF_TOKEN: 'from-the-env-123', NPM_TOKEN: 'npm-secret-456', mysecret: 'id-env-789', PATH: '/bin'};
		expect(collectSecretValues(['--build-arg', 'HF_TOKEN', '--secret', 'id=npm,env=NPM_TOKEN', '--secret=id=mysecret', '--build-arg', 'PATH', '--secret', 'id=f,src=/x'], env)).toEqual([
			'from-the-env-123',
			'npm-secret-456',
			'id-env-789',
		]);
	});
});
