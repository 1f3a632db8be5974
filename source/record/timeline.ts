// Loads what `bxtop replay` plays and `bxtop report` reads: a bxtop recording, a raw buildx rawjson capture
// (`2> build.json`, or `docker buildx history logs --progress rawjson`), a BuildKit history record (its stored log
// and `history inspect`), or a `.dockerbuild` export of one; time then comes from BuildKit's own timestamps.
// Also keeps state checkpoints so any seek re-reduces at most `checkpointEvery` events.
import {open, readFile} from 'node:fs/promises';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import type {DomainEvent} from '../domain/events.js';
import {initialDomainState, reduce, type DomainState} from '../state/reducer.js';
import type {ResourceFact} from '../state/store.js';
import {createBuildStream} from '../sources/buildx-stream.js';
import {createDownloadTracker} from '../sources/download-tracker.js';
import {parseStepName} from '../lib/step-name.js';
import {readRecording, RecordingError, type Damage} from './reader.js';
import {recordingFormat, type RecordingHeader} from './format.js';
import type {HistoryRecordCapture} from './dockerbuild-file.js';
import {dockerbuildExtension} from '../lib/dockerbuild-record.js';
import {spreadStoredCapture} from '../lib/stored-status.js';
import type {BuildSpec} from '../domain/events.js';
import {recordFromInspect} from '../lib/buildkit-record.js';
import type {BuildkitRecord} from '../domain/buildkit-record.js';
import {isBuildxErrorLine} from '../lib/rawjson-stream.js';

export type Timeline = {
	kind: 'recording' | 'capture';
	file: string;
	header?: RecordingHeader;
	events: DomainEvent[];
	startMs: number;
	endMs: number;
	damage: Damage[];
	/** Times (ms) of step starts and build ends, sorted: targets of `[` and `]`. */
	marks: number[];
	/** Where each event sits on the replay clock: the running maximum of the events' times (never decreasing). */
	times: number[];
	checkpoints: Checkpoint[];
	final: DomainState;
	/** Resource facts the file holds none of (a `watch` recording, a raw capture): the board says so in replay. */
	lacks: ResourceFact[];
};


type Checkpoint = {index: number; state: DomainState};

export const checkpointEvery = 256;

/** A session's events as read from a file, before the replay clock and checkpoints are added. */
export type SessionEvents = Pick<Timeline, 'kind' | 'file' | 'header' | 'events' | 'damage' | 'startMs'>;

export async function loadTimeline(file: string, options: {platform?: string} = {}): Promise<Timeline> {
	return timelineOf(await readSessionEvents(file, options));
}

export function timelineOf(session: SessionEvents): Timeline {
	return finishTimeline(session);
}

/** Any file replay plays, as events: the one entry for `bxtop replay FILE` and `bxtop report FILE`. */
export async function readSessionEvents(file: string, options: {platform?: string} = {}): Promise<SessionEvents> {
	const kind = await sniffReplayable(file);
	if (kind === 'recording') {
		const {header, events, damage} = await readRecording(file);
		return {kind, file, header, events, damage, startMs: header.startedAt};
	}
	if (kind === 'dockerbuild') {
		// loaded when needed: protobufjs and node-tar cost every other command about 0.2 s of start-up
		const {readDockerbuild} = await import('./dockerbuild-file.js');
		return historyRecordSession(await readDockerbuild(file), {file, origin: 'dockerbuild'});
	}
	const raw = await readFile(file);
	const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
	const buildId = path.basename(file).replace(/\.(stderr\.)?(rawjson|json|txt)(\.gz)?$/, '');
	const spec = {buildId, target: buildId, tags: [], platforms: options.platform ? [options.platform] : [], argv: []};
	const events = captureToEvents(text, file, spec);
	return {kind, file, events, damage: [], startMs: events[0]?.at ?? 0};
}

/**
 * A BuildKit history record (from `history logs` + `history inspect` of a ref, or a `.dockerbuild`): its stored
 * log through the capture path, the build named and timed by the record itself (BuildKit's start and end, its
 * platforms), its own figures in a `build/record-updated` event as attach gives them.
 */
export function historyRecordSession(capture: HistoryRecordCapture, source: {file: string; origin: 'history' | 'dockerbuild'; builder?: string}): SessionEvents {
	const {record} = capture;
	const buildkitRecord = recordFromInspect(record, {ref: record.ref, origin: source.origin, ...(source.builder ? {builder: source.builder} : {})});
	const target = record.name || record.ref; // buildx's name already ends with ` (target)` when one was given
	const spec: BuildSpec = {buildId: record.ref, target, tags: [], platforms: record.platforms, argv: []};
	const events = captureToEvents(capture.rawjson, source.file, spec, {
		record: buildkitRecord,
		isStored: !capture.isLive,
		...(record.startedAtMs !== undefined ? {startMs: record.startedAtMs} : {}),
		...(record.completedAtMs !== undefined ? {endMs: record.completedAtMs} : {}),
		outcome: record.status === 'completed' ? 'completed' : record.status === 'canceled' ? 'cancelled' : record.status === 'error' ? 'failed' : undefined,
		...(record.error ? {error: record.error} : {}),
		...(source.builder ? {builder: source.builder} : {}),
	});
	return {kind: 'capture', file: source.file, events, damage: [], startMs: events[0]?.at ?? 0};
}

/** What kind of file replay is given, from its first bytes (and a `.dockerbuild` name for gzip data). */
export async function sniffReplayable(file: string): Promise<'recording' | 'capture' | 'dockerbuild'> {
	let head: Buffer;
	try {
		const handle = await open(file, 'r');
		try {
			const buffer = Buffer.alloc(4096);
			const {bytesRead} = await handle.read(buffer, 0, buffer.length, 0);
			head = buffer.subarray(0, bytesRead);
		} finally {
			await handle.close();
		}
	} catch (error) {
		throw new RecordingError(`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}
	if (head.length === 0) throw new RecordingError(`${file}: empty file, not a bxtop recording`);
	if (head[0] === 0x1f && head[1] === 0x8b) {
		if (file.endsWith(dockerbuildExtension)) return 'dockerbuild';
		if (!file.endsWith('.gz')) throw new RecordingError(`${file}: gzip data: name it *.gz to replay it`);
		return 'recording'; // the reader validates the header (a gzipped capture is not supported)
	}
	const text = head.toString('utf8').trimStart();
	if (text.includes(`"format":"${recordingFormat}"`) || text.includes(`"format": "${recordingFormat}"`)) return 'recording';
	if (text.startsWith('{')) return 'capture';
	throw new RecordingError(`${file}: neither a bxtop recording nor a buildx rawjson capture`);
}

type CaptureOptions = {
	/** A stored log (history record): one status holding the whole build, spread out to replay as it ran. */
	isStored?: boolean;
	/** The build's start and end by its own record, when there is one (else the capture's first and last times). */
	startMs?: number;
	endMs?: number;
	/** The record's outcome; without one, a capture failed when buildx printed an ERROR line. */
	outcome?: 'completed' | 'failed' | 'cancelled' | undefined;
	error?: string;
	builder?: string;
	/** BuildKit's record of the build, emitted right after it is queued. */
	record?: BuildkitRecord;
};

/** A raw capture through the same translator as a live build, stamped with BuildKit's timestamps. */
function captureToEvents(rawText: string, file: string, spec: BuildSpec, options: CaptureOptions = {}): DomainEvent[] {
	const {buildId} = spec;
	// a stored log given as a file (`history logs` saved to disk) is recognised by its shape
	const text = spreadStoredCapture(rawText, options.isStored) ?? rawText;
	const events: DomainEvent[] = [];
	const stream = createBuildStream({buildId, emit: e => events.push(e), listeners: [createDownloadTracker(spec)]});
	stream.push(text);
	stream.end();
	const stamped = events.filter(e => e.at > 0);
	if (stamped.length === 0) throw new RecordingError(`${file}: no BuildKit progress found in this capture`);
	const firstSeen = stamped[0]!.at;
	const lastSeen = stamped.reduce((max, e) => Math.max(max, e.at), firstSeen);
	const first = Math.min(options.startMs ?? firstSeen, firstSeen);
	const last = Math.max(options.endMs ?? lastSeen, lastSeen);
	// Text lines before the first timestamp get the first time; later ones already carry the latest seen.
	for (const e of events) if (e.at === 0) e.at = first;
	const hasErrorLine = events.some(e => e.type === 'build/text-received' && isBuildxErrorLine(e.line));
	if (options.outcome === 'failed' && !hasErrorLine && options.error) events.push({type: 'build/text-received', at: last, buildId, line: `ERROR: ${options.error}`});
	const outcome = options.outcome ?? (hasErrorLine ? 'failed' : 'completed');
	// the file's name only: a report is shared, and a local absolute path is nobody else's business
	const shown = options.record?.origin === 'history' ? file : path.basename(file);
	const info = {command: ['replay', shown], mode: 'replay' as const, ...(options.builder ? {builder: options.builder} : {})};
	return [
		{type: 'session/started', at: first, info},
		{type: 'build/queued', at: first, spec},
		{type: 'build/started', at: first, buildId},
		...(options.record ? [{type: 'build/record-updated' as const, at: first, buildId, record: options.record}] : []),
		...events,
		{type: 'build/exited', at: last, buildId, exitCode: outcome === 'failed' ? 1 : outcome === 'cancelled' ? null : 0, isCancelled: outcome === 'cancelled'},
		{type: 'session/ended', at: last, reason: outcome},
	];
}

function finishTimeline(partial: Omit<Timeline, 'endMs' | 'marks' | 'checkpoints' | 'final' | 'times' | 'lacks'>): Timeline {
	const {events} = partial;
	// Events are in arrival order, but an event may carry an earlier time than the one before it (a download event
	// stamped with BuildKit's log time). Events stay exactly as recorded, so the replayed state equals the live one;
	// the replay clock positions them by the running maximum of their times.
	const times: number[] = new Array(events.length);
	let lastAt = partial.startMs;
	events.forEach((e, i) => {
		lastAt = Math.max(lastAt, e.at);
		times[i] = lastAt;
	});
	const checkpoints: Checkpoint[] = [{index: 0, state: initialDomainState}];
	const marks = new Set<number>();
	const holds = new Set<ResourceFact>();
	let state = initialDomainState;
	for (let i = 0; i < events.length; i++) {
		const event = events[i]!;
		state = reduce(state, event);
		const fact = resourceFactOf(event.type);
		if (fact) holds.add(fact);
		if ((i + 1) % checkpointEvery === 0) checkpoints.push({index: i + 1, state});
		if (event.type === 'build/exited') marks.add(event.at);
		if (event.type === 'build/status-received' && Array.isArray(event.status?.vertexes)) {
			for (const v of event.status.vertexes) {
				if (v.started !== undefined && v.completed === undefined && parseStepName(v.name).kind === 'step') {
					marks.add(Math.max(partial.startMs, Math.min(v.started, event.at)));
				}
			}
		}
	}
	return {
		...partial,
		endMs: Math.max(partial.startMs, lastAt),
		marks: spread([...marks].sort((a, b) => a - b), 50),
		times,
		checkpoints,
		final: state,
		lacks: (['builder', 'host', 'cache'] as const).filter(fact => !holds.has(fact)),
	};
}

function resourceFactOf(type: string): ResourceFact | undefined {
	if (type.startsWith('builder/')) return 'builder';
	if (type === 'host/sampled') return 'host';
	if (type.startsWith('cache/')) return 'cache';
	return undefined;
}

/** Marks closer than minGapMs to the previous one are the same moment to a person pressing ]: keep the first. */
function spread(sorted: number[], minGapMs: number): number[] {
	const kept: number[] = [];
	for (const mark of sorted) if (kept.length === 0 || mark - kept[kept.length - 1]! >= minGapMs) kept.push(mark);
	return kept;
}

/** How many events happened at or before `atMs` (binary search; events are in time order). */
export function eventCountAt(timeline: Timeline, atMs: number): number {
	let low = 0;
	let high = timeline.events.length;
	while (low < high) {
		const mid = (low + high) >>> 1;
		if (timeline.times[mid]! <= atMs) low = mid + 1;
		else high = mid;
	}
	return low;
}

/** The state after the first `count` events, from the nearest checkpoint: at most checkpointEvery reductions. */
export function stateAfter(timeline: Timeline, count: number): DomainState {
	if (count >= timeline.events.length) return timeline.final;
	const checkpoint = timeline.checkpoints[Math.floor(count / checkpointEvery)]!;
	let state = checkpoint.state;
	for (let i = checkpoint.index; i < count; i++) state = reduce(state, timeline.events[i]!);
	return state;
}
