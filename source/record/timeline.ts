// Loads what `bxtop replay` plays: a bxtop recording, or a raw buildx rawjson capture (`2> build.json`, or
// `docker buildx history logs --progress rawjson`), whose time then comes from BuildKit's own timestamps.
// Also keeps state checkpoints so any seek re-reduces at most `checkpointEvery` events.
import {open, readFile} from 'node:fs/promises';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import type {DomainEvent} from '../state/events.js';
import {initialDomainState, reduce, type DomainState} from '../state/reducer.js';
import type {ResourceFact} from '../state/store.js';
import {createBuildStream} from '../sources/buildx-stream.js';
import {createDownloadTracker} from '../sources/download-tracker.js';
import {parseStepName} from '../lib/step-name.js';
import {readRecording, RecordingError, type Damage} from './reader.js';
import {recordingFormat, type RecordingHeader} from './format.js';

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

export async function loadTimeline(file: string, options: {platform?: string} = {}): Promise<Timeline> {
	const kind = await sniff(file);
	if (kind === 'recording') {
		const {header, events, damage} = await readRecording(file);
		return finishTimeline({kind, file, header, events, damage, startMs: header.startedAt});
	}
	const events = await captureToEvents(file, options.platform);
	return finishTimeline({kind, file, events, damage: [], startMs: events[0]?.at ?? 0});
}

async function sniff(file: string): Promise<'recording' | 'capture'> {
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
		if (!file.endsWith('.gz')) throw new RecordingError(`${file}: gzip data: name it *.gz to replay it`);
		return 'recording'; // the reader validates the header (a gzipped capture is not supported)
	}
	const text = head.toString('utf8').trimStart();
	if (text.includes(`"format":"${recordingFormat}"`) || text.includes(`"format": "${recordingFormat}"`)) return 'recording';
	if (text.startsWith('{')) return 'capture';
	throw new RecordingError(`${file}: neither a bxtop recording nor a buildx rawjson capture`);
}

/** A raw capture through the same translator as a live build, stamped with BuildKit's timestamps. */
async function captureToEvents(file: string, platform?: string): Promise<DomainEvent[]> {
	const raw = await readFile(file);
	const text = file.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8');
	const buildId = path.basename(file).replace(/\.(stderr\.)?(rawjson|json|txt)(\.gz)?$/, '');
	const events: DomainEvent[] = [];
	const spec = {buildId, target: buildId, tags: [], platforms: platform ? [platform] : [], argv: []};
	const stream = createBuildStream({buildId, emit: e => events.push(e), listeners: [createDownloadTracker(spec)]});
	stream.push(text);
	stream.end();
	const stamped = events.filter(e => e.at > 0);
	if (stamped.length === 0) throw new RecordingError(`${file}: no BuildKit progress found in this capture`);
	const first = stamped[0]!.at;
	const last = stamped.reduce((max, e) => Math.max(max, e.at), first);
	// Text lines before the first timestamp get the first time; later ones already carry the latest seen.
	for (const e of events) if (e.at === 0) e.at = first;
	const isFailed = events.some(e => e.type === 'build/text-received' && /^ERROR\b/.test(e.line));
	return [
		{type: 'session/started', at: first, info: {command: ['replay', file], mode: 'replay'}},
		{type: 'build/queued', at: first, spec},
		{type: 'build/started', at: first, buildId},
		...events,
		{type: 'build/exited', at: last, buildId, exitCode: isFailed ? 1 : 0, isCancelled: false},
		{type: 'session/ended', at: last, reason: isFailed ? 'failed' : 'completed'},
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
				if (v && typeof v.name === 'string' && v.started && !v.completed && parseStepName(v.name).kind === 'step') {
					const ms = Date.parse(v.started);
					if (!Number.isNaN(ms)) marks.add(Math.max(partial.startMs, Math.min(ms, event.at)));
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
