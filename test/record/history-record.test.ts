// A BuildKit history record replayed and reported: the real stored log of record gy56iwy2a2zujv05uabkqke4x
// (`history logs --progress=rawjson`, buildx 0.29.1) and the real `.dockerbuild` export of the same record.
import {readFileSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {loadTimeline, readSessionEvents, historyRecordSession} from '../../source/record/timeline.js';
import {createBuildStream} from '../../source/sources/buildx-stream.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {summarize} from '../../source/report/json-summary.js';
import {createPlainMemory, plainLines} from '../../source/plain/plain-lines.js';
import {spreadStoredCapture, spreadStoredStatus} from '../../source/lib/stored-status.js';
import {buildReport} from '../../source/report/run-report.js';
import {renderMarkdown} from '../../source/report/markdown.js';
import {parseHistoryInspect, parseHistoryList} from '../../source/lib/history-records.js';
import type {DomainEvent} from '../../source/domain/events.js';

const fixtures = new URL('../fixtures/real/', import.meta.url).pathname;
const logsFile = `${fixtures}bx029-16-history-logs-finished.stderr.rawjson`;
const exportFile = `${fixtures}bx029-16-history-export.dockerbuild`;
const logsText = readFileSync(logsFile, 'utf8');

describe('a stored log spread to its updates\' own times', () => {
	const stored = JSON.parse(logsText) as {vertexes: {digest: string}[]; statuses: unknown[]; logs: unknown[]};
	const pieces = spreadStoredStatus(stored);

	test('every update kept once, in time order, each vertex\'s updates in their order', () => {
		const all = (key: 'vertexes' | 'statuses' | 'logs') => pieces.flatMap(p => (p[key] as unknown[] | undefined) ?? []);
		// the 61 stored updates, plus a start for each vertex the store kept only in its completed form (24 here)
		const stored61 = all('vertexes').filter(v => (stored.vertexes as unknown[]).includes(v));
		expect(stored61).toHaveLength(61);
		for (const {digest} of stored.vertexes) expect(stored61.filter(v => (v as {digest: string}).digest === digest)).toEqual(stored.vertexes.filter(v => v.digest === digest));
		expect(all('vertexes')).toHaveLength(61 + 24);
		const added = all('vertexes').filter(v => !(stored.vertexes as unknown[]).includes(v)) as Record<string, unknown>[];
		expect(added.every(v => typeof v['started'] === 'string' && v['completed'] === undefined)).toBe(true);
		const times = pieces.map(p => Math.max(...[...((p['vertexes'] as Record<string, string>[]) ?? []).map(v => Date.parse(v['completed'] ?? v['started'] ?? '')), ...((p['logs'] as Record<string, string>[]) ?? []).map(l => Date.parse(l['timestamp']!))].filter(t => !Number.isNaN(t))));
		expect(times.filter(t => Number.isFinite(t))).toEqual([...times.filter(t => Number.isFinite(t))].sort((a, b) => a - b));
		expect(all('statuses')).toHaveLength(14);
		expect(all('logs')).toHaveLength(491);
		expect(pieces.length).toBeGreaterThan(100); // the build is no longer one instant
	});

	test('the final state is the one of the stored status folded at once', () => {
		const fold = (text: string) => {
			const events: DomainEvent[] = [{type: 'build/queued', at: 1, spec: {buildId: 'b', target: 't', tags: [], platforms: ['linux/amd64', 'linux/arm64'], argv: []}}];
			const stream = createBuildStream({buildId: 'b', emit: e => events.push(e)});
			stream.push(text);
			stream.end();
			return reduceAll(initialDomainState, events).builds.byId['b']!;
		};
		const whole = fold(logsText);
		const spread = fold(spreadStoredCapture(logsText)!);
		const view = (b: typeof whole) => b.steps.map(s => [s.name, s.startedMs, s.completedMs, s.accumulatedMs, s.isCached, s.logLineCount]).sort((x, y) => String(x[0]).localeCompare(String(y[0])));
		expect(view(spread)).toEqual(view(whole));
		expect(spread.firstTimestampMs).toBe(whole.firstTimestampMs);
		expect(spread.lastTimestampMs).toBe(whole.lastTimestampMs);
	});

	test('captures that already come update by update are left as they are', () => {
		expect(spreadStoredCapture('{"vertexes":[{"digest":"a"}]}\n{"vertexes":[{"digest":"b"}]}\n')).toBeUndefined();
		expect(spreadStoredCapture('ERROR: no JSON at all\n')).toBeUndefined();
	});
});

describe('replay and report of a history record', () => {
	test('the raw stored log replays: 28 steps over two platforms, BuildKit\'s own start and end', async () => {
		const timeline = await loadTimeline(logsFile);
		const summary = summarize(timeline.final);
		expect(summary.result).toBe('completed');
		expect(summary.builds.map(b => [b.platform, b.status, b.steps, b.durationMs])).toEqual([
			['linux/arm64', 'done', {total: 11, done: 11, cached: 2}, 38570],
			['linux/amd64', 'done', {total: 11, done: 11, cached: 0}, 38570],
		]);
		expect(timeline.marks.length).toBeGreaterThan(10); // step starts to jump to with [ and ]
	});

	test('the .dockerbuild gives the same figures, named and timed by its record, with BuildKit\'s own counts', async () => {
		const fromLog = summarize((await loadTimeline(logsFile)).final);
		const fromExport = summarize((await loadTimeline(exportFile)).final);
		const figures = (s: typeof fromLog) => s.builds.map(b => ({platform: b.platform, status: b.status, steps: b.steps, durationMs: b.durationMs, start: b.start, end: b.end})).sort((a, b) => a.platform.localeCompare(b.platform));
		expect(figures(fromExport)).toEqual(figures(fromLog));
		expect(fromExport.builds[0]!.target).toBe('lab/scenario');
		expect(fromExport.builds[0]!.buildkitRecord).toEqual({
			origin: 'dockerbuild',
			ref: 'gy56iwy2a2zujv05uabkqke4x',
			name: 'lab/scenario',
			status: 'completed',
			start: '2026-12-01T18:41:12.457364246Z',
			end: '2026-12-01T18:41:51.028133871Z',
			durationMs: 38570.769625,
			NumTotalSteps: 28,
			NumCompletedSteps: 28,
			NumCachedSteps: 2,
		});
	});

	test('the record comes in the one build/record-updated event, as attach gives it, and replay says nothing of attaching', async () => {
		const {events, final} = await loadTimeline(exportFile);
		const updates = events.filter(e => e.type === 'build/record-updated');
		expect(updates).toHaveLength(1);
		expect(events.findIndex(e => e.type === 'build/record-updated')).toBe(events.findIndex(e => e.type === 'build/queued') + 2);
		expect(final.builds.byId['gy56iwy2a2zujv05uabkqke4x']!.record).toMatchObject({origin: 'dockerbuild', name: 'lab/scenario', steps: {total: 28, completed: 28, cached: 2}});
		expect(plainLines(final, createPlainMemory()).filter(l => l.includes('attached'))).toEqual([]);
	});

	test('a ref (inspect + logs) and its export are the same session', async () => {
		const inspect = parseHistoryInspect(readFileSync(`${fixtures}bx029-16-history-inspect-json.txt`, 'utf8'));
		const fromRef = historyRecordSession({record: inspect, rawjson: logsText}, {file: 'mybuilder/mybuilder0/gy56iwy2a2zujv05uabkqke4x', origin: 'history', builder: 'mybuilder'});
		const fromFile = await readSessionEvents(exportFile);
		// the same record, but read from the builder (with its name) or from the file
		const strip = (events: DomainEvent[]) =>
			events
				.filter(e => e.type !== 'session/started' && e.type !== 'build/queued')
				.map(e => (e.type === 'build/record-updated' ? {...e, record: {...e.record, origin: 'dockerbuild', builder: undefined}} : e));
		expect(strip(fromRef.events)).toEqual(strip(fromFile.events));
	});

	test('report reads a raw capture (it refused one before) and a .dockerbuild, with the same figures', async () => {
		const report = await buildReport([logsFile, exportFile], {generatedBy: 'bxtop (test)'});
		expect(report.unreadable).toEqual([]);
		expect(report.recordingsRead).toBe(2);
		const byFile = (name: string) => report.trends.find(r => r.file.endsWith(name))!;
		// a build bxtop only read lasts BuildKit's span (its first to last timestamp), for the raw log and the export
		// alike; the record's own Duration (38570.769625 ms) is in buildkitRecord
		expect(byFile('.rawjson').durationMs).toBe(38570);
		expect(byFile('.dockerbuild').durationMs).toBe(38570);
		expect(byFile('.dockerbuild').cache).toEqual(byFile('.rawjson').cache);
		expect(byFile('.dockerbuild').cache).toEqual({status: 'partial', cachedSteps: 1, totalSteps: 20, toolCacheHits: 1});
		const markdown = renderMarkdown(await buildReport([exportFile], {generatedBy: 'bxtop (test)'}));
		expect(markdown).toContain('- **BuildKit Record**: `gy56iwy2a2zujv05uabkqke4x` (exported record, completed, 38.6s): 28 steps, 28 completed, 2 cached');
		expect(markdown).toContain('- **Command**: `replay bx029-16-history-export.dockerbuild`'); // no local path
		expect(markdown).not.toContain(fixtures);
	});

	test('a record followed while it ran (history logs of a Running ref) is replayed update by update, not spread', () => {
		// `docker buildx history logs --progress=rawjson` of a running build, each line stamped with its arrival second
		const live = readFileSync(`${fixtures}bx029-16-attach-running.stamped-rawjson.txt`, 'utf8').replace(/^\d+\.\d+ /gm, '');
		const [entry] = parseHistoryList(readFileSync(`${fixtures}bx029-16-history-ls-after-attach-json.txt`, 'utf8'));
		const record = {name: entry!.name, ref: entry!.id, status: entry!.status, platforms: ['linux/amd64', 'linux/arm64'], steps: entry!.steps, buildArgs: []};
		const statusCount = (isLive: boolean) => historyRecordSession({record, rawjson: live, isLive}, {file: entry!.ref, origin: 'history'}).events.filter(e => e.type === 'build/status-received').length;
		const objects = live.split('\n').filter(l => l.startsWith('{')).length;
		expect(statusCount(true)).toBe(objects);
		expect(statusCount(false)).toBeGreaterThan(objects); // what a stored log would get
	});
});
