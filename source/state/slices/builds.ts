// The builds slice: one record per child build, its vertexes merged by digest (BuildKit re-sends a vertex on every
// change), byte progress per status id, and bounded log tails. Pure: times come from the events themselves.
import type {BuildEvent, BuildSpec, SolveStatus, VertexLog, VertexWarning} from '../events.js';
import {parseStepName, type StepKind} from '../../lib/step-name.js';
import {timestampMs} from '../../lib/timestamp.js';

export type BuildStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export type ProgressRecord = {
	id: string;
	name?: string;
	current: number;
	total?: number;
	startedMs?: number;
	timestampMs?: number;
	completedMs?: number;
};

export type StepRecord = {
	digest: string;
	name: string;
	kind: StepKind;
	platform?: string;
	stage?: string;
	index?: number;
	count?: number;
	text: string;
	/** Start of the current (or last) run; BuildKit may start a vertex again after it completed. */
	startedMs?: number;
	completedMs?: number;
	/** Sum of the finished runs' durations. */
	accumulatedMs: number;
	isCached: boolean;
	error?: string;
	progress: Record<string, ProgressRecord>;
	/** Last complete log lines (ring of logTailLines) and the unterminated rest. */
	logTail: string[];
	logPartial: string;
	logLineCount: number;
	lastLogMs?: number;
};

export type BuildRecord = {
	spec: BuildSpec;
	status: BuildStatus;
	queuedAt: number;
	startedAt?: number;
	endedAt?: number;
	exitCode?: number | null;
	signal?: string | null;
	failure?: string;
	steps: Record<string, StepRecord>;
	stepOrder: string[];
	/** Plain text buildx printed between the JSON objects (the error summary of a failed build). Ring. */
	textLines: string[];
	warnings: VertexWarning[];
	parseErrors: number;
	lastParseError?: string;
	/** Earliest and latest BuildKit timestamps seen: the build's own clock. */
	firstTimestampMs?: number;
	lastTimestampMs?: number;
};

export type BuildsState = {order: string[]; byId: Record<string, BuildRecord>};

export const initialBuildsState: BuildsState = {order: [], byId: {}};

export const logTailLines = 40;
const textTailLines = 60;
const warningsKept = 20;
const maxLineChars = 400;

export function reduceBuilds(state: BuildsState, event: BuildEvent): BuildsState {
	switch (event.type) {
		case 'build/queued': {
			if (!isSpec(event.spec) || state.byId[event.spec.buildId]) return state; // a partial spec would break every view
			const record: BuildRecord = {
				spec: event.spec,
				status: 'queued',
				queuedAt: event.at,
				steps: {},
				stepOrder: [],
				textLines: [],
				warnings: [],
				parseErrors: 0,
			};
			return {order: [...state.order, event.spec.buildId], byId: {...state.byId, [event.spec.buildId]: record}};
		}
		case 'build/started':
			return update(state, event.buildId, b => ({...b, status: 'running', startedAt: b.startedAt ?? event.at}));
		case 'build/status-received':
			return update(state, event.buildId, b => applyStatuses(b, [event.status]));
		case 'build/text-received':
			return update(state, event.buildId, b => ({...b, textLines: pushRing(b.textLines, clip(event.line), textTailLines)}));
		case 'build/parse-failed':
			return update(state, event.buildId, b => ({
				...b,
				parseErrors: b.parseErrors + 1,
				lastParseError: `${event.message}: ${event.snippet.slice(0, 120)}`,
			}));
		case 'build/exited':
			return update(state, event.buildId, b => {
				const status: BuildStatus = event.isCancelled ? 'cancelled' : event.exitCode === 0 ? 'done' : 'failed';
				const next: BuildRecord = {...b, status, endedAt: event.at, exitCode: event.exitCode, signal: event.signal ?? null};
				if (event.failure) next.failure = event.failure;
				if (next.startedAt === undefined) next.startedAt = event.at;
				return next;
			});
		default:
			return assertNever(event);
	}
}

function isSpec(spec: BuildSpec | undefined): spec is BuildSpec {
	return (
		typeof spec === 'object' &&
		spec !== null &&
		typeof spec.buildId === 'string' &&
		typeof spec.target === 'string' &&
		Array.isArray(spec.platforms) &&
		spec.platforms.every(p => typeof p === 'string') &&
		Array.isArray(spec.tags)
	);
}

function assertNever(event: never): BuildsState {
	void event;
	throw new Error('unreachable');
}

function update(state: BuildsState, id: string, change: (b: BuildRecord) => BuildRecord): BuildsState {
	const build = state.byId[id];
	if (!build) return state; // an event for a build we never queued (odd input): ignore it
	return {order: state.order, byId: {...state.byId, [id]: change(build)}};
}

/**
 * Applies several statuses of one build at once: the build's maps and each touched step are copied once per run
 * (a frame's worth of events), not once per event. The result equals applying them one by one.
 */
function applyStatuses(build: BuildRecord, statuses: readonly SolveStatus[]): BuildRecord {
	const steps = {...build.steps};
	let stepOrder = build.stepOrder;
	let first = build.firstTimestampMs;
	let last = build.lastTimestampMs;
	// Copies made in this run, so each is made once: the step record, its progress map, its log ring.
	const owned = new Set<string>();
	const ownedProgress = new Set<string>();
	const ownedLogs = new Set<string>();
	const seen = (ms: number | undefined) => {
		if (ms === undefined) return;
		if (first === undefined || ms < first) first = ms;
		if (last === undefined || ms > last) last = ms;
	};
	const own = (digest: string): StepRecord | undefined => {
		const step = steps[digest];
		if (!step || owned.has(digest)) return step;
		const copy: StepRecord = {...step};
		steps[digest] = copy;
		owned.add(digest);
		return copy;
	};
	const ownProgress = (digest: string): StepRecord | undefined => {
		const step = own(digest);
		if (step && !ownedProgress.has(digest)) {
			step.progress = {...step.progress};
			ownedProgress.add(digest);
		}
		return step;
	};
	const ownLogs = (digest: string): StepRecord | undefined => {
		const step = own(digest);
		if (step && !ownedLogs.has(digest)) {
			step.logTail = step.logTail.slice();
			ownedLogs.add(digest);
		}
		return step;
	};
	let warnings = build.warnings;

	for (const status of statuses) {
		for (const v of status.vertexes ?? []) {
			let step = own(v.digest);
			if (!step) {
				step = {
					digest: v.digest,
					name: v.name,
					...parseStepName(v.name),
					accumulatedMs: 0,
					isCached: false,
					progress: {},
					logTail: [],
					logPartial: '',
					logLineCount: 0,
				};
				steps[v.digest] = step;
				owned.add(v.digest);
				ownedProgress.add(v.digest);
				ownedLogs.add(v.digest);
				if (stepOrder === build.stepOrder) stepOrder = stepOrder.slice();
				stepOrder.push(v.digest);
			}
			const startedMs = ms(v.started);
			const completedMs = ms(v.completed);
			seen(startedMs);
			seen(completedMs);
			if (startedMs !== undefined && (step.startedMs === undefined || startedMs > step.startedMs)) {
				step.startedMs = startedMs;
				// running again until this run completes (set, not deleted: `delete` slows every later copy of the record)
				step.completedMs = undefined;
			}
			if (completedMs !== undefined && step.completedMs === undefined) {
				step.completedMs = completedMs;
				if (step.startedMs !== undefined) step.accumulatedMs += Math.max(0, completedMs - step.startedMs);
			}
			if (v.cached) step.isCached = true;
			if (v.error) step.error = v.error;
		}

		for (const s of status.statuses ?? []) {
			const owner = ownProgress(s.vertex);
			if (!owner) continue;
			const timestampMs = ms(s.timestamp);
			seen(timestampMs);
			const previous = owner.progress[s.id];
			const record: ProgressRecord = {id: s.id, current: s.current ?? previous?.current ?? 0};
			const name = s.name ?? previous?.name;
			if (name !== undefined) record.name = name;
			const total = s.total ?? previous?.total;
			if (total !== undefined) record.total = total;
			const startedMs = ms(s.started) ?? previous?.startedMs;
			if (startedMs !== undefined) record.startedMs = startedMs;
			const ts = timestampMs ?? previous?.timestampMs;
			if (ts !== undefined) record.timestampMs = ts;
			const completedMs = ms(s.completed) ?? previous?.completedMs;
			if (completedMs !== undefined) record.completedMs = completedMs;
			owner.progress[s.id] = record;
		}

		for (const log of status.logs ?? []) {
			const owner = ownLogs(log.vertex);
			if (!owner) continue;
			const logMs = ms(log.timestamp);
			seen(logMs);
			appendLog(owner, log, logMs);
		}

		for (const w of status.warnings ?? []) warnings = pushRing(warnings, w, warningsKept);
	}

	const next: BuildRecord = {...build, steps, stepOrder, warnings};
	if (first !== undefined) next.firstTimestampMs = first;
	if (last !== undefined) next.lastTimestampMs = last;
	return next;
}

/** Appends a log chunk to a step this run owns (mutates it): complete lines to the ring, the rest as partial. */
function appendLog(step: StepRecord, log: VertexLog, logMs: number | undefined): void {
	const text = step.logPartial + log.text;
	let start = 0;
	let nl = text.indexOf('\n');
	while (nl !== -1) {
		step.logTail.push(visibleLine(text.slice(start, nl)));
		step.logLineCount++;
		start = nl + 1;
		nl = text.indexOf('\n', start);
	}
	if (step.logTail.length > logTailLines) step.logTail.splice(0, step.logTail.length - logTailLines);
	const partial = start === 0 ? text : text.slice(start);
	// A progress bar redrawn with \r never ends its line: keep only what a terminal would still show.
	step.logPartial = clip(partial.slice(partial.lastIndexOf('\r') + 1), maxLineChars * 4);
	if (logMs !== undefined) step.lastLogMs = logMs;
}

/** Several status events of one build, as one (a frame's batch); same result as reducing them in turn. */
export function reduceStatusRun(state: BuildsState, buildId: string, statuses: readonly SolveStatus[]): BuildsState {
	return update(state, buildId, b => applyStatuses(b, statuses));
}

const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07/g;

/** What a terminal would show for a line: text after the last carriage return, without ANSI sequences. */
export function visibleLine(line: string): string {
	if (!line.includes('\r') && !line.includes('\x1b')) return clip(line, maxLineChars); // most lines: nothing to strip
	const cr = line.lastIndexOf('\r', line.length - 2);
	const visible = cr === -1 ? line : line.slice(cr + 1);
	return clip(visible.replace(ansi, '').replace(/\r$/, ''), maxLineChars);
}

function clip(text: string, max = maxLineChars): string {
	return text.length > max ? text.slice(0, max) : text;
}

function pushRing<T>(ring: T[], item: T, max: number): T[] {
	const next = ring.length >= max ? ring.slice(ring.length - max + 1) : ring.slice();
	next.push(item);
	return next;
}

const ms = timestampMs;
