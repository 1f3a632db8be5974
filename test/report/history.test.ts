// History over recordings assembled from REAL captures (see real-sessions.ts): the cold build (01) then the warm
// rebuild (02) of the same target on the same platforms. Durations are BuildKit's: 47138 ms cold, 4145 ms warm.
import {mkdtempSync, mkdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {buildReport} from '../../source/report/run-report.js';
import {renderMarkdown} from '../../source/report/markdown.js';
import {
	formatDelta,
	historyEntriesOf,
	loadHistory,
	previousComparable,
	sessionSummaryLines,
	withDeltas,
	type HistoryEntry,
} from '../../source/report/history.js';
import {createMetricsFold, summarizeRecording} from '../../source/report/metrics.js';
import {readRecording} from '../../source/record/reader.js';
import {realSession, sessions, writeRecording} from './real-sessions.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-history-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const recordings = path.join(dir, 'recordings');
mkdirSync(recordings);
const cold = writeRecording(path.join(recordings, 'cold.bxrec'), realSession(sessions.cold));
const warm = writeRecording(path.join(recordings, 'warm.bxrec.gz'), realSession(sessions.warm));
const failed = writeRecording(path.join(recordings, 'failed.bxrec'), realSession(sessions.failed));

const coldStart = Date.parse('2026-11-29T10:41:58.460Z');
const warmStart = Date.parse('2026-11-29T10:42:50.847Z');

describe('trends: a cold then a warm run of the same target', () => {
	test('both rows, the warm one 42993 ms faster than the cold one', async () => {
		const report = await buildReport(['recordings/warm.bxrec.gz', 'recordings/cold.bxrec'], {cwd: dir, generatedBy: 'bxtop (test)'});
		expect(report.trends.map(r => [r.file, r.startMs, r.durationMs, r.cache.status, r.cache.cachedSteps, r.cache.totalSteps, r.delta])).toEqual([
			['recordings/cold.bxrec', coldStart, 47_138, 'cold', 0, 20, undefined],
			['recordings/warm.bxrec.gz', warmStart, 4145, 'warm', 20, 20, {durationMs: -42_993, previousStartMs: coldStart}],
		]);
		const markdown = renderMarkdown(report);
		const table = markdown.slice(markdown.indexOf('## Historical Trends'));
		expect(table.split('\n').slice(2, 6)).toEqual([
			'| Date | Target | Platforms | Duration | Change | Cache Status | Notes |',
			'|---|---|---|---|---|---|---|',
			'| 2026-11-29 10:41:58 | scenario | amd64, arm64 | 47.1s | — | Cold (0/20) | prune-all reclaimed 2.0 GB during the session |',
			'| 2026-11-29 10:42:50 | scenario | amd64, arm64 | 4.1s | -43.0s vs 2026-11-29 10:41 | Warm (20/20) |  |',
		]);
	});

	test('a failed run is listed with its failure and gets no delta; the next successful run compares with the last successful one', async () => {
		const report = await buildReport(['recordings/cold.bxrec', 'recordings/failed.bxrec', 'recordings/warm.bxrec.gz'], {cwd: dir, generatedBy: 'bxtop (test)'});
		const rows = report.trends.map(r => ({file: r.file, status: r.status, delta: r.delta?.durationMs, notes: r.notes}));
		expect(rows).toEqual([
			{file: 'recordings/cold.bxrec', status: 'done', delta: undefined, notes: ['prune-all reclaimed 2.0 GB during the session']},
			{file: 'recordings/warm.bxrec.gz', status: 'done', delta: -42_993, notes: []},
			{file: 'recordings/failed.bxrec', status: 'failed', delta: undefined, notes: ['failed at [linux/amd64 runtime 6/6] RUN python -m app.selftest']},
		]);
	});

	test('withDeltas compares only runs on the same platform set', () => {
		const base = {file: 'f', buildId: 'b', label: 'app', target: 'app', status: 'done', cache: {status: 'cold' as const, cachedSteps: 0, totalSteps: 1, toolCacheHits: 0}, notes: []};
		const rows = withDeltas([
			{...base, startMs: 3, platforms: ['linux/amd64'], durationMs: 10},
			{...base, startMs: 1, platforms: ['linux/arm64', 'linux/amd64'], durationMs: 50},
			{...base, startMs: 2, platforms: ['linux/amd64', 'linux/arm64'], durationMs: 40},
		]);
		expect(rows.map(r => [r.startMs, r.delta])).toEqual([
			[1, undefined],
			[2, {durationMs: -10, previousStartMs: 1}],
			[3, undefined],
		]);
	});
});

describe('previous comparable run and the end-of-session summary', () => {
	test('history entries: one per build and platform, with the platform duration and cache', async () => {
		const entries = historyEntriesOf(await summarizeRecording(cold));
		expect(entries.map(e => [e.label, e.platform, e.durationMs, e.status, e.cache.status, e.startMs])).toEqual([
			['scenario', 'linux/amd64', 47_137, 'done', 'cold', coldStart],
			['scenario', 'linux/arm64', 47_137, 'done', 'cold', coldStart],
		]);
	});

	test('the summary line the board shows at the end of the warm session', async () => {
		const history = historyEntriesOf(await summarizeRecording(cold));
		const fold = createMetricsFold();
		for (const event of (await readRecording(warm)).events) fold.add(event);
		expect(sessionSummaryLines(fold.state(), history)).toEqual([
			'scenario linux/amd64 4.1s (-43.0s vs 2026-11-29, warm cache 10/10 steps cached)',
			'scenario linux/arm64 4.1s (-43.0s vs 2026-11-29, warm cache 10/10 steps cached)',
		]);
	});

	test('first run, and a failed run: no delta, the failure said', async () => {
		const fold = createMetricsFold();
		for (const event of (await readRecording(failed)).events) fold.add(event);
		expect(sessionSummaryLines(fold.state(), [])).toEqual([
			'scenario linux/amd64 failed after 0.2s (partial cache 10/11 steps cached)',
			'scenario linux/arm64 cancelled after 0.2s (partial cache 10/11 steps cached)',
		]);
		const coldFold = createMetricsFold();
		for (const event of (await readRecording(cold)).events) coldFold.add(event);
		expect(sessionSummaryLines(coldFold.state(), [])[0]).toBe(
			'scenario linux/amd64 47.1s (first recorded run, cold cache 0/10 steps cached)',
		);
	});

	test('previousComparable skips later, failed and other-platform runs', () => {
		const entry = (startMs: number, platform: string, status: string, durationMs: number): HistoryEntry => ({
			startMs,
			file: 'f',
			buildId: 'b',
			target: 'backend-cpu',
			label: 'backend-cpu',
			platform,
			durationMs,
			status,
			cache: {status: 'warm', cachedSteps: 9, totalSteps: 11, toolCacheHits: 0},
		});
		const nov2 = Date.parse('2025-11-02T19:04:03Z');
		const history = [
			entry(nov2, 'linux/arm64', 'done', 675_000),
			entry(nov2 + 1000, 'linux/arm64', 'failed', 1000),
			entry(nov2, 'linux/amd64', 'done', 100_000),
			entry(nov2 + 10 * 86_400_000, 'linux/arm64', 'done', 1),
		];
		const current = {label: 'backend-cpu', platform: 'linux/arm64', startMs: nov2 + 86_400_000};
		const previous = previousComparable(history, current)!;
		expect(previous.durationMs).toBe(675_000);
		expect(formatDelta(432_000, previous)).toBe('-4m03s vs 2025-11-02');
		expect(formatDelta(700_000, previous)).toBe('+25.0s vs 2025-11-02');
	});

	test('loadHistory reads a recordings directory, leaving out the current session and unreadable files', async () => {
		const entries = await loadHistory(recordings, {exclude: warm});
		expect([...new Set(entries.map(e => path.basename(e.file)))].sort()).toEqual(['cold.bxrec', 'failed.bxrec']);
		expect(await loadHistory(path.join(dir, 'missing'))).toEqual([]);
	});
});
