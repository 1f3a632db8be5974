// Build records from real buildx 0.29.1 output against a docker-container builder (BuildKit v0.32.2).
import {readFileSync} from 'node:fs';
import {expect, test} from 'vitest';
import {parseHistoryInspect, parseHistoryList, splitHistoryRef} from '../../../source/lib/history-records.js';

const real = (name: string) => readFileSync(new URL(`../../fixtures/real/${name}`, import.meta.url), 'utf8');

test('history ls --format json: every record, newest first, with its ref split into builder/node/id', () => {
	const entries = parseHistoryList(real('bx029-16-history-ls-json.txt'));
	expect(entries).toHaveLength(13);
	expect(entries[0]).toEqual({
		ref: 'mybuilder/mybuilder0/gy56iwy2a2zujv05uabkqke4x',
		builder: 'mybuilder',
		node: 'mybuilder0',
		id: 'gy56iwy2a2zujv05uabkqke4x',
		name: 'lab/scenario',
		status: 'completed',
		createdAt: '2026-12-01T18:41:12.457364246Z',
		createdAtMs: Date.parse('2026-12-01T18:41:12.457Z'),
		completedAt: '2026-12-01T18:41:51.028133871Z',
		completedAtMs: Date.parse('2026-12-01T18:41:51.028Z'),
		steps: {total: 28, completed: 28, cached: 2},
	});
	expect(entries.map(e => e.status).filter(s => s === 'error')).toHaveLength(2);
	expect(entries.map(e => e.name)).toContain('lab/hidden/secrets-ctx');
});

test('history inspect --format json: BuildKit figures, platforms, args; duration from ns', () => {
	const inspect = parseHistoryInspect(real('bx029-16-history-inspect-json.txt'));
	expect(inspect).toEqual({
		name: 'lab/scenario',
		ref: 'gy56iwy2a2zujv05uabkqke4x',
		status: 'completed',
		context: 'scenario',
		dockerfile: 'lab/scenario/Dockerfile',
		vcsRevision: '382fc5a098068ddad2c7bd6008951343665c5592',
		platforms: ['linux/amd64', 'linux/arm64'],
		startedAt: '2026-12-01T18:41:12.457364246Z',
		startedAtMs: Date.parse('2026-12-01T18:41:12.457Z'),
		completedAt: '2026-12-01T18:41:51.028133871Z',
		completedAtMs: Date.parse('2026-12-01T18:41:51.028Z'),
		durationMs: 38570.769625,
		steps: {total: 28, completed: 28, cached: 2},
		buildArgs: [{name: 'FORCE_COLOR', value: '1'}],
	});
});

test('inspect of something that is not a record says so', () => {
	expect(() => parseHistoryInspect('Usage: docker buildx [OPTIONS] COMMAND')).toThrow(/history inspect: not JSON/);
	expect(() => parseHistoryInspect('{"Name":"x"}')).toThrow(/no Ref/);
});

test('refs split into builder/node/id; a bare id stays an id', () => {
	expect(splitHistoryRef('default/default/abc')).toEqual({builder: 'default', node: 'default', id: 'abc'});
	expect(splitHistoryRef('abc')).toEqual({builder: '', node: '', id: 'abc'});
});
