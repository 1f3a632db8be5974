import {describe, expect, test} from 'vitest';
import {SolveStatusNormalizer} from '../../source/lib/solve-status.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

describe('SolveStatusNormalizer', () => {
	test('decodes logs and warnings from base64', () => {
		const status = new SolveStatusNormalizer().normalize({
			logs: [{vertex: 'sha256:a', stream: 1, data: b64('hello\n'), timestamp: '2026-11-29T10:41:58.46Z'}],
			warnings: [{vertex: 'sha256:a', level: 1, short: b64('FromAsCasing: mismatch'), detail: [b64('line one'), b64('line two')]}],
		});
		expect(status.logs).toEqual([{vertex: 'sha256:a', stream: 1, text: 'hello\n', timestamp: '2026-11-29T10:41:58.46Z'}]);
		expect(status.warnings).toEqual([{vertex: 'sha256:a', level: 1, short: 'FromAsCasing: mismatch', detail: ['line one', 'line two']}]);
	});

	test('a UTF-8 character split across two log chunks is decoded whole', () => {
		const bytes = Buffer.from('━━ 52.2/120.0 MB', 'utf8');
		const normalizer = new SolveStatusNormalizer();
		const first = normalizer.normalize({logs: [{vertex: 'v', stream: 1, data: bytes.subarray(0, 2).toString('base64')}]});
		const second = normalizer.normalize({logs: [{vertex: 'v', stream: 1, data: bytes.subarray(2).toString('base64')}]});
		expect(first.logs![0]!.text + second.logs![0]!.text).toBe('━━ 52.2/120.0 MB');
	});

	test('odd input gives an empty status, never an exception', () => {
		const normalizer = new SolveStatusNormalizer();
		expect(normalizer.normalize(null)).toEqual({});
		expect(normalizer.normalize({vertexes: 'x', statuses: [1, null], logs: [{}]})).toEqual({});
		expect(normalizer.normalize({vertexes: [{name: 'no digest'}]})).toEqual({});
	});

	test('tokens in log lines are redacted', () => {
		const status = new SolveStatusNormalizer().normalize({logs: [{vertex: 'v', data: b64('token hf_abcdefghijklmnopqrstuvwxyz123 ok\n')}]});
		expect(status.logs![0]!.text).toBe('token *** ok\n');
	});
});
