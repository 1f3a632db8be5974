// The rows of `bxtop history`, from real `history ls --format json` output (buildx 0.29.1, BuildKit v0.32.2).
import {readFileSync} from 'node:fs';
import {expect, test} from 'vitest';
import {parseHistoryList} from '../../source/lib/history-records.js';
import {historyLine} from '../../source/app/history-mode.js';
import {looksLikeHistoryRef} from '../../source/sources/buildx-history.js';

const real = (name: string) => readFileSync(new URL(`../fixtures/real/${name}`, import.meta.url), 'utf8');

test('one row per record: id, name, status, start (UTC), duration, BuildKit\'s steps and cached steps', () => {
	const entries = parseHistoryList(real('bx029-16-history-ls-json.txt'));
	expect(historyLine(entries[0]!)).toBe('gy56iwy2a2zujv05uabkqke4x  lab/scenario              completed  2026-12-01 18:41:12     38.6s  28/28, 2 cached');
	expect(historyLine(entries.find(e => e.status === 'error')!)).toBe('sna3suhtgg4l0yql73hp8ubmg  lab/scenario              error      2026-12-01 18:40:23      0.5s  29/29, 20 cached');
	expect(historyLine(entries.find(e => e.name === 'lab/hidden/secrets-ctx')!)).toMatch(/^kaeyn8txzc5kn4beikao25ze8  lab\/hidden\/secrets-ctx    completed /);
});

test('a record still running says so instead of a duration', () => {
	const [running] = parseHistoryList('{"cached_steps":1,"completed_steps":3,"created_at":"2026-12-01T18:41:58.097620488Z","name":"lab/scenario","ref":"mybuilder/mybuilder0/lz567cpwncf9r0flqm002k31m","status":"Running","total_steps":27}\n');
	expect(historyLine(running!)).toBe('lz567cpwncf9r0flqm002k31m  lab/scenario              running    2026-12-01 18:41:58   running  3/27, 1 cached');
});

test('refs are told from file names by their form', () => {
	expect(looksLikeHistoryRef('gy56iwy2a2zujv05uabkqke4x')).toBe(true);
	expect(looksLikeHistoryRef('mybuilder/mybuilder0/gy56iwy2a2zujv05uabkqke4x')).toBe(true);
	expect(looksLikeHistoryRef('recordings/x.bxrec')).toBe(false);
	expect(looksLikeHistoryRef('build.json')).toBe(false);
});
