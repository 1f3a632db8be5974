import {describe, expect, test} from 'vitest';
import {MalformedJson, RawjsonSplitter, TextLine} from '../../source/lib/rawjson-stream.js';
import {readReal} from '../helpers/captures.js';

type RawjsonItem =
	| {kind: 'object'; value: unknown}
	| {kind: 'text'; line: string}
	| {kind: 'malformed'; message: string; snippet: string};

/** The splitter's items, labelled for the assertions below. */
function label(item: unknown): RawjsonItem {
	if (item instanceof TextLine) return {kind: 'text', line: item.line};
	if (item instanceof MalformedJson) return {kind: 'malformed', message: item.message, snippet: item.snippet};
	return {kind: 'object', value: item};
}

function splitAll(text: string, chunkSize: number): RawjsonItem[] {
	const splitter = new RawjsonSplitter();
	const items: unknown[] = [];
	for (let i = 0; i < text.length; i += chunkSize) items.push(...splitter.push(text.slice(i, i + chunkSize)));
	items.push(...splitter.end());
	return items.map(label);
}

const count = (items: RawjsonItem[], kind: RawjsonItem['kind']) => items.filter(i => i.kind === kind).length;

describe('RawjsonSplitter', () => {
	test('real buildx 0.13 capture: indented multi-line objects, any chunking', () => {
		const text = readReal('01-cold-multiplatform-oci.stderr.rawjson');
		for (const size of [1, 7, 4096, text.length]) {
			const items = splitAll(text, size);
			expect(count(items, 'object')).toBe(122);
			expect(count(items, 'malformed')).toBe(0);
			expect(count(items, 'text')).toBe(0);
		}
	});

	test('real failing build: the plain-text error summary after the JSON comes out as text lines', () => {
		const items = splitAll(readReal('09-fail-multiplatform-rawjson.stderr.rawjson'), 333);
		expect(count(items, 'object')).toBe(33);
		const texts = items.filter(i => i.kind === 'text').map(i => (i as {line: string}).line);
		expect(texts).toHaveLength(9);
		expect(texts[0]).toBe('Dockerfile.fail:43');
		expect(texts[texts.length - 1]).toBe(
			'ERROR: failed to solve: process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1',
		);
	});

	test('compact one-object-per-line form (newer buildx): the real capture re-serialised compactly parses the same', () => {
		const indented = splitAll(readReal('02-warm-multiplatform-oci.stderr.rawjson'), 4096).filter(i => i.kind === 'object');
		const compact = indented.map(i => JSON.stringify((i as {value: unknown}).value)).join('\n') + '\n';
		const items = splitAll(compact, 100);
		expect(items.map(i => (i as {value: unknown}).value)).toEqual(indented.map(i => (i as {value: unknown}).value));
	});

	test('synthetic: a cut-short object is reported once and the rest of the stream still counts', () => {
		const text = [
			'{',
			'  "vertexes": [',
			'    {"digest": "sha256:a", "name": "[1/2] RUN x"',
			'ERROR: something went wrong',
			'{"vertexes":[{"digest":"sha256:b","name":"[2/2] RUN y"}]}',
			'{"broken": ',
			'WARNING: trailing text',
			'',
		].join('\n');
		const items = splitAll(text, 5);
		expect(items.map(i => i.kind)).toEqual(['malformed', 'text', 'object', 'malformed', 'text']);
		expect((items[0] as {message: string}).message).toBe('JSON object cut short by a text line');
		expect((items[1] as {line: string}).line).toBe('ERROR: something went wrong');
	});

	test('synthetic: an object still open at the end of the stream is malformed (truncated)', () => {
		const items = splitAll('{\n  "vertexes": [\n', 3);
		expect(items).toHaveLength(1);
		expect(items[0]!.kind).toBe('malformed');
		expect((items[0] as {message: string}).message).toBe('stream ended inside a JSON object');
	});

	test('CRLF line ends are accepted', () => {
		const items = splitAll('{\r\n  "logs": []\r\n}\r\nERROR: x\r\n', 2);
		expect(items.map(i => i.kind)).toEqual(['object', 'text']);
		expect((items[1] as {line: string}).line).toBe('ERROR: x');
	});

	test('chunking never changes the items: every real capture and a synthetic damaged stream, cut at random places', () => {
		const damaged = [
			'{', '  "vertexes": [', '    {"digest": "sha256:a"', 'ERROR: cut', '{', '  "logs": []', '}', '}', '{"a":1}', '{"b":', '{', '}',
			'{', '  "x": 1', '}', 'text', '{', '  "y": 2', '}',
		].join('\n') + '\n';
		const texts = ['01-cold-multiplatform-oci', '09-fail-multiplatform-rawjson', '15-multinode-multiplatform'].map(n => readReal(`${n}.stderr.rawjson`));
		let seed = 5;
		const random = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
		for (const text of [...texts, damaged]) {
			const whole = splitAll(text, text.length);
			for (let round = 0; round < 20; round++) {
				const splitter = new RawjsonSplitter();
				const items: unknown[] = [];
				for (let i = 0; i < text.length; ) {
					const size = 1 + random(round < 10 ? 8 : 3000);
					items.push(...splitter.push(text.slice(i, i + size)));
					i += size;
				}
				items.push(...splitter.end());
				expect(items.map(label)).toEqual(whole);
			}
		}
	});
});
