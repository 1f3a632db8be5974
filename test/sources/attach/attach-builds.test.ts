// The attach source over real captures: a foreign build followed on this machine's modern stack (the gRPC
// ListenBuildHistory events, the live `history logs --progress=rawjson` stream and `history inspect`, each line
// stamped with its arrival time), and the lab's multi-platform build followed live on a docker-container builder
// (buildx 0.29.1, BuildKit v0.32.2). The clock is each line's arrival stamp, so times are the real ones.
import {expect, test} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {attachBuilds, type AttachBackend} from '../../../source/sources/attach-builds.js';
import type {WireHistoryEvent} from '../../../source/lib/buildkit-record.js';
import {initialDomainState, reduceAll} from '../../../source/state/reducer.js';
import {selectRows} from '../../../source/state/selectors.js';
import {summarize} from '../../../source/report/json-summary.js';
import {parseHistoryList} from '../../../source/lib/history-records.js';
import {parseBuildxInspect} from '../../../source/lib/buildx-inspect.js';
import {readReal} from '../../helpers/captures.js';

type Item = {atMs: number; listen?: WireHistoryEvent; log?: string};

function stamped(text: string): {atMs: number; rest: string}[] {
	return text
		.split('\n')
		.filter(l => l.trim() !== '')
		.map(l => {
			const space = l.indexOf(' ');
			return {atMs: Math.round(Number(l.slice(0, space)) * 1000), rest: l.slice(space + 1)};
		});
}

/** Plays the items in arrival order into the attach source: history events to listen, log lines to followLogs. */
async function attachOver(items: Item[], options: {inspect?: string; nodes: {name: string; nativePlatform?: string}[]; builder: string; dropsFirst?: boolean}) {
	const events: DomainEvent[] = [];
	let now = items[0]!.atMs;
	const clock = {now: () => now};
	let onEvent: ((e: WireHistoryEvent) => void) | undefined;
	let onChunk: ((chunk: string) => void) | undefined;
	let endLogs: (() => void) | undefined;
	const inspected: string[] = [];
	let script: Promise<void> | undefined;
	// attach runs until stopped: the test stops it once the capture has been played
	const stop = new AbortController();
	let listens = 0;
	const backend: AttachBackend = {
		listen: async (_node, handler) => {
			if (options.dropsFirst && listens++ === 0) throw new Error('14 UNAVAILABLE: Connection dropped');
			onEvent = handler;
			script = (async () => {
				for (const item of items) {
					now = Math.max(now, item.atMs);
					if (item.listen) onEvent!(item.listen);
					if (item.log !== undefined) onChunk!(item.log + '\n');
					await new Promise(resolve => setImmediate(resolve));
				}
				endLogs?.();
			})();
			await script;
			stop.abort();
		},
		followLogs: (_id, chunk) =>
			new Promise<void>(resolve => {
				onChunk = chunk;
				endLogs = resolve;
			}),
		inspect: async id => {
			inspected.push(id);
			if (options.inspect === undefined) throw new Error('no record');
			return options.inspect;
		},
	};
	await attachBuilds({emit: e => events.push(e), clock, signal: stop.signal, builder: options.builder, nodes: options.nodes, backend, logGraceMs: 60_000, reconnectMs: 5});
	const state = reduceAll(initialDomainState, events);
	return {events, state, inspected};
}

test('modern stack, a foreign single-platform build: picked up at once, its steps on the node platform, BuildKit figures = history inspect', async () => {
	const items: Item[] = [
		...stamped(readReal('modern28-attach-single.listen.stamped.jsonl')).map(s => ({atMs: s.atMs, listen: JSON.parse(s.rest) as WireHistoryEvent})),
		...stamped(readReal('modern28-attach-single.logs.stamped-rawjson.txt')).map(s => ({atMs: s.atMs, log: s.rest})),
	].sort((a, b) => a.atMs - b.atMs);
	const inspect = readReal('modern28-attach-single.inspect.json');
	const {events, state, inspected} = await attachOver(items, {inspect, builder: 'default', nodes: [{name: 'default', nativePlatform: 'linux/amd64'}]});
	const ref = 'default/default/27y4pwqzwq4xoxo80e9jblnq5';

	const queued = events.find(e => e.type === 'build/queued')!;
	const firstStatus = events.find(e => e.type === 'build/status-received')!;
	const createdMs = Date.parse('2026-12-01T19:23:59.877Z');
	// on the board 27 ms after BuildKit created the record, its first step 488 ms after
	expect(queued.at - createdMs).toBe(27);
	expect(firstStatus.at - createdMs).toBe(488);
	expect(inspected).toEqual(['27y4pwqzwq4xoxo80e9jblnq5', '27y4pwqzwq4xoxo80e9jblnq5']);

	const rows = selectRows(state, state.lastEventAt);
	expect(rows.map(r => [r.target, r.platform, r.node, r.status, r.isEmulated, r.stepsDone, r.stepsTotal, r.stepsCached, r.elapsedMs])).toEqual([
		['capctx', 'linux/amd64', 'default', 'done', false, 3, 3, 1, 4635],
	]);
	const build = state.builds.byId[ref]!;
	const run = build.steps.find(s => s.name.includes('echo line'))!;
	expect(run.logTail).toEqual(['line 1', 'line 2', 'line 3']);

	const [summary] = summarize(state).builds;
	expect(summary).toMatchObject({buildId: ref, target: 'capctx', platform: 'linux/amd64', status: 'done', durationMs: 4635, node: 'default'});
	expect(summary!.steps).toEqual({total: 3, done: 3, cached: 1});
	// BuildKit's own figures, as `history inspect --format json` printed them for this build
	expect(summary!.buildkitRecord).toEqual({
		origin: 'history',
		ref,
		builder: 'default',
		node: 'default',
		name: 'capctx',
		status: 'completed',
		start: '2026-12-01T19:23:59.877364614Z',
		end: '2026-12-01T19:24:04.512054313Z',
		durationMs: JSON.parse(inspect).Duration / 1e6, // inspect's own Duration, to the nanosecond
		NumTotalSteps: 7,
		NumCompletedSteps: 7,
		NumCachedSteps: 1,
	});
	expect(Math.abs(summary!.durationMs - JSON.parse(inspect).Duration / 1e6)).toBeLessThan(1);
});

test('lab builder, a foreign multi-platform build joined 0.7 s in: a row per platform, arm64 emulated on that node, the record figures of history ls', async () => {
	// The lab followed it with `history logs` only (no gRPC capture): its start and end events are made from its real
	// `history ls --format json` line; the platform attribute is the one buildx sends for --platform linux/amd64,linux/arm64.
	const entry = parseHistoryList(readReal('bx029-16-history-ls-after-attach-json.txt'))[0]!;
	const ts = (iso: string) => ({seconds: Math.floor(Date.parse(iso) / 1000), nanos: Number(iso.slice(20, -1).padEnd(9, '0'))});
	const record = {Ref: entry.id, Frontend: 'dockerfile.v0', FrontendAttrs: {platform: 'linux/amd64,linux/arm64', context: 'lab/scenario'}, CreatedAt: ts(entry.createdAt)};
	const completed = {
		...record,
		CompletedAt: ts(entry.completedAt!),
		numTotalSteps: entry.steps.total,
		numCompletedSteps: entry.steps.completed,
		numCachedSteps: entry.steps.cached,
	};
	const items: Item[] = [
		{atMs: entry.createdAtMs, listen: {record}},
		...stamped(readReal('bx029-16-attach-running.stamped-rawjson.txt')).map(s => ({atMs: s.atMs, log: s.rest})),
		{atMs: entry.completedAtMs! + 1, listen: {type: 'COMPLETE', record: completed}},
	];
	const node = parseBuildxInspect(readReal('bx029-00-buildx-inspect-mybuilder.txt'))!.nodes[0]!;
	const {state} = await attachOver(items, {builder: 'mybuilder', nodes: [{name: node.name, nativePlatform: node.platforms[0]!}]});
	const rows = selectRows(state, state.lastEventAt);
	expect(rows.map(r => [r.target, r.platform, r.node, r.status, r.isEmulated, r.stepsDone, r.stepsTotal, r.stepsCached])).toEqual([
		['scenario', 'linux/amd64', 'mybuilder0', 'done', false, 11, 11, 0],
		['scenario', 'linux/arm64', 'mybuilder0', 'done', true, 11, 11, 10],
	]);
	// joined mid-way: BuildKit replayed what had happened before, so every vertex of the record is on the board
	expect(state.builds.byId['mybuilder/mybuilder0/lz567cpwncf9r0flqm002k31m']!.steps).toHaveLength(27);
	const summary = summarize(state).builds;
	expect(summary.map(s => s.buildkitRecord)).toEqual([0, 1].map(() => ({
		origin: 'listen', // no history inspect here: the stream's own figures
		ref: 'mybuilder/mybuilder0/lz567cpwncf9r0flqm002k31m',
		builder: 'mybuilder',
		node: 'mybuilder0',
		name: 'scenario',
		status: 'completed',
		start: '2026-12-01T18:41:58.097620488Z',
		end: '2026-12-01T18:42:13.02676289Z',
		durationMs: 14929,
		frontend: 'dockerfile.v0',
		NumTotalSteps: 27,
		NumCompletedSteps: 27,
		NumCachedSteps: 10,
	})));
});

test('a history stream that breaks is opened again, with one warning, and the build is still followed', async () => {
	const items: Item[] = [
		...stamped(readReal('modern28-attach-single.listen.stamped.jsonl')).map(s => ({atMs: s.atMs, listen: JSON.parse(s.rest) as WireHistoryEvent})),
		...stamped(readReal('modern28-attach-single.logs.stamped-rawjson.txt')).map(s => ({atMs: s.atMs, log: s.rest})),
	].sort((a, b) => a.atMs - b.atMs);
	const {events, state} = await attachOver(items, {dropsFirst: true, builder: 'default', nodes: [{name: 'default', nativePlatform: 'linux/amd64'}]});
	expect(events.filter(e => e.type === 'session/warned').map(e => (e as {message: string}).message)).toEqual([
		'lost the build history of node default (14 UNAVAILABLE: Connection dropped); reconnecting',
	]);
	expect(selectRows(state, state.lastEventAt).map(r => [r.status, r.stepsDone, r.stepsTotal])).toEqual([['done', 3, 3]]);
});
