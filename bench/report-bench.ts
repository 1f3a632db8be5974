// Benchmark: `bxtop report` over 1,000 recordings. Generates copies of one real recording in a temporary
// directory (each shifted by an hour so the trends table has 1,000 distinct runs), then times buildReport +
// rendering, and prints the figures. Not a test: the 5 s target is read off the output.
//
//   npm run build && npx tsc -p tsconfig.bench.json && node .bench-build/bench/report-bench.js [RECORDING] [--copies N]
//
// RECORDING defaults to the newest recording in ./recordings; without one, a recording is assembled from the real
// capture test/fixtures/real/01-cold-multiplatform-oci.* through bxtop's live parsing path (rawjson stream, download
// tracker, docker-stats and du parsers).
import {mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, utimesSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {gzipSync} from 'node:zlib';
import {performance} from 'node:perf_hooks';
import type {BuildSpec, DomainEvent} from '../source/domain/events.js';
import {createBuildStream} from '../source/sources/buildx-stream.js';
import {createDownloadTracker} from '../source/sources/download-tracker.js';
import {captureStatsEvents} from './capture-stats.js';
import {parseDu} from '../source/lib/du-table.js';
import {encodeEvent, recordingFormat, recordingVersion, type RecordingHeader} from '../source/record/format.js';
import {readRecording} from '../source/record/reader.js';
import {latestRecording} from '../source/report/recording-files.js';
import {buildReport} from '../source/report/run-report.js';
import {renderMarkdown} from '../source/report/markdown.js';
import {renderJson} from '../source/report/json.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const realDir = path.join(root, 'test/fixtures/real');

function real(name: string): string {
	return readFileSync(path.join(realDir, name), 'utf8');
}

/** One session from the real cold multi-platform capture, as the live session would have recorded it. */
function assembleFromCapture(): {header: RecordingHeader; events: DomainEvent[]} {
	const capture = '01-cold-multiplatform-oci';
	const spec: BuildSpec = {buildId: 'scenario', target: 'scenario', tags: [], platforms: ['linux/amd64', 'linux/arm64'], argv: []};
	const built: DomainEvent[] = [];
	const stream = createBuildStream({buildId: spec.buildId, emit: e => built.push(e), listeners: [createDownloadTracker(spec)]});
	stream.push(real(`${capture}.stderr.rawjson`));
	stream.end();
	const first = Math.min(...built.map(e => e.at).filter(at => at > 0));
	const last = Math.max(...built.map(e => e.at));
	const events: DomainEvent[] = [
		{type: 'build/queued', at: first, spec},
		{type: 'build/started', at: first, buildId: spec.buildId},
		...built.map(e => (e.at < first ? {...e, at: first} : e)),
		{type: 'build/exited', at: last, buildId: spec.buildId, exitCode: 0, isCancelled: false},
	];
	events.push(...captureStatsEvents(real(`${capture}.docker-stats.jsonl`), real(`${capture}.sample-times.tsv`), 'mybuilder0'));
	events.push({type: 'cache/measured', at: last, builder: 'mybuilder', reason: 'build-ended', usage: parseDu(real('01-after-cold.buildx-du.txt'), 'table'), durationMs: 0});
	events.sort((a, b) => a.at - b.at);
	events.unshift({type: 'session/started', at: first, info: {command: ['bxtop', 'build', '.'], mode: 'build', builder: 'mybuilder', driver: 'docker-container', nativePlatform: 'linux/amd64'}});
	events.push({type: 'session/ended', at: last, reason: 'completed'});
	const header: RecordingHeader = {
		format: recordingFormat,
		version: recordingVersion,
		bxtopVersion: 'bench',
		startedAt: first,
		startedAtIso: new Date(first).toISOString(),
		host: {os: 'linux', arch: 'x64'},
		versions: {},
		command: ['bxtop', 'build', '.'],
		mode: 'build',
		targets: ['scenario'],
	};
	return {header, events};
}

function shifted(recording: {header: RecordingHeader; events: DomainEvent[]}, offsetMs: number): string {
	// the events as read are this version's (a version-1 file's times are ms by now): the copy says so
	const header = {...recording.header, version: recordingVersion, startedAt: recording.header.startedAt + offsetMs};
	header.startedAtIso = new Date(header.startedAt).toISOString();
	let text = JSON.stringify(header) + '\n';
	for (const event of recording.events) text += encodeEvent(header, shift(event, offsetMs));
	return text;
}

/** Moves an event in time: `at`, and BuildKit's timestamps (epoch ms) inside build statuses. */
function shift(event: DomainEvent, offsetMs: number): DomainEvent {
	const moved = {...event, at: event.at + offsetMs} as DomainEvent;
	if (moved.type === 'build/status-received') {
		const shifted = (ms: number | undefined) => (ms === undefined ? ms : ms + offsetMs);
		const status = moved.status;
		moved.status = {
			...status,
			...(status.vertexes ? {vertexes: status.vertexes.map(v => ({...v, ...(v.started !== undefined ? {started: shifted(v.started)} : {}), ...(v.completed !== undefined ? {completed: shifted(v.completed)} : {})}))} : {}),
			...(status.statuses
				? {
						statuses: status.statuses.map(s => ({
							...s,
							...(s.started !== undefined ? {started: shifted(s.started)} : {}),
							...(s.completed !== undefined ? {completed: shifted(s.completed)} : {}),
							...(s.timestamp !== undefined ? {timestamp: shifted(s.timestamp)} : {}),
						})),
					}
				: {}),
			...(status.logs ? {logs: status.logs.map(l => ({...l, ...(l.timestamp !== undefined ? {timestamp: shifted(l.timestamp)} : {})}))} : {}),
		};
	}
	if (moved.type === 'download/finished' || moved.type === 'download/failed') moved.startedAt += offsetMs;
	return moved;
}

async function main(): Promise<void> {
	const args = process.argv.slice(2);
	const copiesIndex = args.indexOf('--copies');
	const copies = copiesIndex >= 0 ? Number(args[copiesIndex + 1]) : 1000;
	const given = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--copies');
	const source = given ?? (await latestRecording(path.resolve('recordings')).catch(() => undefined));
	let recording: {header: RecordingHeader; events: DomainEvent[]};
	let origin: string;
	if (source) {
		const read = await readRecording(source);
		recording = {header: read.header, events: read.events};
		origin = source;
	} else {
		if (!existsSync(realDir)) throw new Error(`no recording given, none in ./recordings, and no captures at ${realDir}`);
		recording = assembleFromCapture();
		origin = 'assembled from test/fixtures/real/01-cold-multiplatform-oci (real capture, live parsing path)';
	}
	const gzip = args.includes('--gzip');
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-report-bench-'));
	try {
		const files: string[] = [];
		let bytes = 0;
		for (let i = 0; i < copies; i++) {
			const text = shifted(recording, i * 3_600_000);
			const file = path.join(dir, `session-${String(i).padStart(4, '0')}.bxrec${gzip ? '.gz' : ''}`);
			writeFileSync(file, gzip ? gzipSync(text) : text);
			const when = new Date(recording.header.startedAt + i * 3_600_000);
			utimesSync(file, when, when);
			bytes += statSync(file).size;
			files.push(file);
		}
		const before = process.memoryUsage();
		const t0 = performance.now();
		const report = await buildReport(files, {cwd: dir});
		const t1 = performance.now();
		const markdown = renderMarkdown(report);
		const t2 = performance.now();
		const json = renderJson(report);
		const t3 = performance.now();
		const after = process.memoryUsage();
		const events = recording.events.length * copies;
		const lines = [
			`recording:        ${origin}`,
			`copies:           ${copies} (${gzip ? 'gzip' : 'plain'}), ${(bytes / 1e6).toFixed(1)} MB, ${events.toLocaleString('en-US')} events`,
			`read + fold:      ${(t1 - t0).toFixed(0)} ms (${((t1 - t0) / copies).toFixed(2)} ms per recording, ${Math.round(events / ((t1 - t0) / 1000)).toLocaleString('en-US')} events/s)`,
			`markdown:         ${(t2 - t1).toFixed(0)} ms, ${(markdown.length / 1e3).toFixed(0)} kB, ${report.trends.length} trend rows, ${report.sessions.length} detailed sessions`,
			`json:             ${(t3 - t2).toFixed(0)} ms, ${(json.length / 1e3).toFixed(0)} kB`,
			`total:            ${(t3 - t0).toFixed(0)} ms (target: under 5000 ms)`,
			`heap used:        ${(before.heapUsed / 1e6).toFixed(0)} MB before, ${(after.heapUsed / 1e6).toFixed(0)} MB after; rss ${(after.rss / 1e6).toFixed(0)} MB`,
			`unreadable:       ${report.unreadable.length}`,
		];
		process.stdout.write(`${lines.join('\n')}\n`);
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

/** Settles when the report bench has printed: `npm run bench` waits for it before its next section. */
export const done = main().catch(error => {
	process.stderr.write(`report-bench: ${(error as Error).message}\n`);
	process.exitCode = 1;
});
