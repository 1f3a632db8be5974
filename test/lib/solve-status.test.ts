import {describe, expect, test} from 'vitest';
import {SolveStatusNormalizer} from '../../source/lib/solve-status.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
/** The normalised status; {} where the input was not one (the tests read its lists). */
const orEmpty = (normalizer: SolveStatusNormalizer, raw: unknown) => normalizer.statusOf(raw) ?? {};

describe('SolveStatusNormalizer', () => {
	test('decodes logs and warnings from base64', () => {
		const status = orEmpty(new SolveStatusNormalizer(), {
			logs: [{vertex: 'sha256:a', stream: 1, data: b64('hello\n'), timestamp: '2026-11-29T10:41:58.46Z'}],
			warnings: [{vertex: 'sha256:a', level: 1, short: b64('FromAsCasing: mismatch'), detail: [b64('line one'), b64('line two')]}],
		});
		// BuildKit's RFC 3339 time, read once here into epoch ms
		expect(status.logs).toEqual([{vertex: 'sha256:a', stream: 1, text: 'hello\n', timestamp: Date.parse('2026-11-29T10:41:58.46Z')}]);
		expect(status.warnings).toEqual([{vertex: 'sha256:a', level: 1, short: 'FromAsCasing: mismatch', detail: ['line one', 'line two']}]);
	});

	test('a UTF-8 character split across two log chunks is decoded whole', () => {
		const bytes = Buffer.from('━━ 52.2/120.0 MB', 'utf8');
		const normalizer = new SolveStatusNormalizer();
		const first = orEmpty(normalizer, {logs: [{vertex: 'v', stream: 1, data: bytes.subarray(0, 2).toString('base64')}]});
		const second = orEmpty(normalizer, {logs: [{vertex: 'v', stream: 1, data: bytes.subarray(2).toString('base64')}]});
		const rest = normalizer.flush(); // the last word is held back until the stream ends (see the next test)
		const texts = [first, second, rest!].flatMap(s => s.logs ?? []).map(l => l.text);
		expect(texts.join('')).toBe('━━ 52.2/120.0 MB');
	});

	test('synthetic: any byte split of mixed ASCII, 2-, 3- and 4-byte characters decodes whole, on two interleaved streams', () => {
		const pieces = ['pip ', 'é', '━━', ' 52.2 MB', '🐍', 'ok\n', 'naïve ', '中文', '\r'];
		let seed = 3;
		const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
		for (let round = 0; round < 50; round++) {
			const texts = [1, 2].map(() => Array.from({length: 30}, () => pieces[random(pieces.length)]).join(''));
			const normalizer = new SolveStatusNormalizer();
			const out: Record<number, string> = {1: '', 2: ''};
			const offsets = [0, 0];
			const collect = (status: {logs?: {stream?: number; text: string}[]} | undefined) => {
				for (const log of status?.logs ?? []) out[log.stream ?? 1] += log.text;
			};
			const bytes = texts.map(t => Buffer.from(t, 'utf8'));
			while (offsets[0]! < bytes[0]!.length || offsets[1]! < bytes[1]!.length) {
				const which = random(2);
				const from = offsets[which]!;
				if (from >= bytes[which]!.length) continue;
				const to = Math.min(bytes[which]!.length, from + 1 + random(6));
				offsets[which] = to;
				collect(orEmpty(normalizer, {logs: [{vertex: 'sha256:v', stream: which + 1, data: bytes[which]!.subarray(from, to).toString('base64')}]}));
			}
			collect(normalizer.flush());
			expect([out[1], out[2]]).toEqual(texts);
		}
	});

	test('a token split across two log chunks is still redacted; a complete word keeps its own timestamp', () => {
		const normalizer = new SolveStatusNormalizer();
		const a = orEmpty(normalizer, {logs: [{vertex: 'v', stream: 1, data: b64('login with hf_A1b2C3d4E'), timestamp: '2026-11-29T10:00:01Z'}]});
		const b = orEmpty(normalizer, {logs: [{vertex: 'v', stream: 1, data: b64('5f6G7h8I9j0K1l2m3 ok'), timestamp: '2026-11-29T10:00:02Z'}]});
		const c = orEmpty(normalizer, {logs: [{vertex: 'v', stream: 1, data: b64('\n'), timestamp: '2026-11-29T10:00:03Z'}]});
		const logs = [a, b, c].flatMap(s => s.logs ?? []);
		expect(logs.map(l => l.text).join('')).toBe('login with *** ok\n');
		// "ok" was complete before the newline arrived: it goes out with its own time (t2), the newline with t3
		expect(logs.slice(-2)).toEqual([
			{vertex: 'v', stream: 1, text: 'ok', timestamp: Date.parse('2026-11-29T10:00:02Z')},
			{vertex: 'v', stream: 1, text: '\n', timestamp: Date.parse('2026-11-29T10:00:03Z')},
		]);
	});

	test('a vertex that completes releases what was held for it', () => {
		const normalizer = new SolveStatusNormalizer();
		orEmpty(normalizer, {logs: [{vertex: 'sha256:v', stream: 1, data: b64('done')}]});
		const end = orEmpty(normalizer, {vertexes: [{digest: 'sha256:v', name: 'RUN x', started: '2026-11-29T10:00:00Z', completed: '2026-11-29T10:00:01Z'}]});
		expect(end.logs).toEqual([{vertex: 'sha256:v', stream: 1, text: 'done'}]);
		expect(normalizer.flush()).toBeUndefined();
	});

	test('odd input gives an empty status, never an exception', () => {
		const normalizer = new SolveStatusNormalizer();
		expect(normalizer.statusOf(null)).toBeUndefined();
		expect(orEmpty(normalizer, {vertexes: 'x', statuses: [1, null], logs: [{}]})).toEqual({});
		expect(orEmpty(normalizer, {vertexes: [{name: 'no digest'}]})).toEqual({});
	});

	test('tokens in log lines are redacted', () => {
		const status = orEmpty(new SolveStatusNormalizer(), {logs: [{vertex: 'v', data: b64('token hf_abcdefghijklmnopqrstuvwxyz123 ok\n')}]});
		expect(status.logs![0]!.text).toBe('token *** ok\n');
	});

	test('synthetic: fields of the wrong type are dropped, the rest of the object kept', () => {
		const status = orEmpty(new SolveStatusNormalizer(), {
			vertexes: [
				{digest: 7, name: 'no string digest'},
				{digest: 'sha256:a', name: 42, inputs: ['sha256:b', 3], started: '', completed: 5, cached: 'yes', error: '', progressGroup: {id: 'g'}},
				{digest: 'sha256:c', name: 'RUN ok', cached: true, error: 'exit code: 1'},
			],
			statuses: [{id: 'x', vertex: 'sha256:a', current: '5', total: 10, timestamp: 3}, {id: 'no vertex'}],
		});
		expect(JSON.parse(JSON.stringify(status))).toEqual({
			vertexes: [
				{digest: 'sha256:a', name: 'sha256:a', inputs: ['sha256:b']},
				{digest: 'sha256:c', name: 'RUN ok', cached: true, error: 'exit code: 1'},
			],
			statuses: [{id: 'x', vertex: 'sha256:a', total: 10}],
		});
	});
});
