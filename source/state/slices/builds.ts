// The builds slice: one record per child build, its vertexes merged by digest (BuildKit re-sends a vertex on every
// change), byte progress per status id, and bounded log tails. Pure: times come from the events themselves.
import type {BuildEvent, BuildSpec, SolveStatus, VertexLog, VertexWarning} from '../../domain/events.js';
import {parseStepName, type StepName} from '../../lib/step-name.js';
import type {BuildkitRecord} from '../../domain/buildkit-record.js';
import {stripAnsi} from '../../lib/ansi.js';

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

/** A step: what its name says (StepName: kind, platform, stage, k/N, text), and what BuildKit reported of it. */
export type StepRecord = StepName & {
	digest: string;
	name: string;
	/** Start of the current (or last) run; BuildKit may start a vertex again after it completed. */
	startedMs?: number;
	completedMs?: number;
	/** The vertex's input digests, as BuildKit sent them (the graph that tells platforms and foreign vertexes apart). */
	inputs: string[] | undefined;
	/**
	 * Another build's vertex in this build's stream: BuildKit merges identical work of concurrent builds and then
	 * sends the other build's vertex (its own digest; its name has that build's k/N) too. Such a step has inputs
	 * none of which chain to our vertexes; it is kept (its digest still routes updates) but not shown or counted.
	 */
	isForeign: boolean;
	/** Sum of the finished runs' durations. */
	accumulatedMs: number;
	isCached: boolean;
	error?: string;
	/** By status id. A Map: it is copied once per run that updates the step, and V8 copies a Map about four times
	 * faster than an object with the same keys. */
	progress: Map<string, ProgressRecord>;
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
	/** In the order BuildKit first sent them. An array (copied per frame with the touched steps replaced) rather than
	 * an object by digest: V8 copies a 30-key object in about 5 µs, an array in 10 ns. */
	steps: StepRecord[];
	/** Index into steps by digest. Only grows, and is copied when it does: never changed once published. */
	stepIndex: Map<string, number>;
	/** Plain text buildx printed between the JSON objects (the error summary of a failed build). Ring. */
	textLines: string[];
	warnings: VertexWarning[];
	parseErrors: number;
	lastParseError?: string;
	/** Earliest and latest BuildKit timestamps seen: the build's own clock. */
	firstTimestampMs?: number;
	lastTimestampMs?: number;
	/** BuildKit's record of the build, when it came from the builder's history (attach, history replay). */
	record?: BuildkitRecord;
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
				steps: [],
				stepIndex: new Map(),
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
			return update(state, event.buildId, b => ({...b, textLines: pushRing(b.textLines, capLength(event.line), textTailLines)}));
		case 'build/parse-failed':
			return update(state, event.buildId, b => ({
				...b,
				parseErrors: b.parseErrors + 1,
				lastParseError: `${event.message}: ${event.snippet.slice(0, 120)}`,
			}));
		case 'build/record-updated':
			if (typeof event.record !== 'object' || event.record === null || typeof event.record.ref !== 'string') return state;
			return update(state, event.buildId, b => ({...b, record: event.record}));
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
 * (a frame's worth of events), not once per event. The result equals applying them one by one. This is the one
 * optimisation of the reducer `npm run bench` shows to matter: it prints both side by side, and folding one status
 * at a time measured 0.17-0.27 of bare JSON.parse against 0.36-0.47 (2026-12-02; issue 10 allows 0.35).
 */
function applyStatuses(build: BuildRecord, statuses: readonly SolveStatus[]): BuildRecord {
	// The steps array and its index are copied on first need: the array when a step is replaced or added, the index
	// only when a step is added.
	let steps = build.steps;
	let stepIndex = build.stepIndex;
	let first = build.firstTimestampMs ?? Infinity;
	let last = build.lastTimestampMs ?? -Infinity;
	// Copies made in this run, so each is made once: the step record, then its progress map and its log ring.
	const mine = new Map<string, OwnedStep>();
	// Consecutive entries mostly name the same vertex: comparing with the last digest is cheaper than a lookup.
	let lastDigest = '';
	let lastOwned: OwnedStep | undefined;
	const own = (digest: string): OwnedStep | undefined => {
		if (digest === lastDigest) return lastOwned;
		let owned = mine.get(digest);
		if (owned === undefined) {
			const at = stepIndex.get(digest);
			if (at === undefined) return undefined;
			owned = {step: copyStep(steps[at]!), hasProgress: false, hasLogs: false};
			if (steps === build.steps) steps = steps.slice();
			steps[at] = owned.step;
			mine.set(digest, owned);
		}
		lastDigest = digest;
		lastOwned = owned;
		return owned;
	};
	let warnings = build.warnings;
	/** A step or a step's inputs arrived: platforms and foreign vertexes are worked out again after the run. */
	let isGraphChanged = false;
	/** Steps whose log ring this run copied and appended to. */
	const logSteps: StepRecord[] = [];

	for (const status of statuses) {
		const {vertexes, statuses: progress, logs} = status;
		if (vertexes !== undefined) {
			for (const v of vertexes) {
				let step = own(v.digest)?.step;
				if (step === undefined) {
					step = newStep(v.digest, v.name);
					isGraphChanged = true;
					if (steps === build.steps) steps = steps.slice();
					if (stepIndex === build.stepIndex) stepIndex = new Map(stepIndex);
					stepIndex.set(v.digest, steps.length);
					steps.push(step);
					mine.set(v.digest, {step, hasProgress: true, hasLogs: false});
				}
				const startedMs = v.started;
				if (startedMs !== undefined) {
					if (startedMs < first) first = startedMs;
					if (startedMs > last) last = startedMs;
					if (step.startedMs === undefined || startedMs > step.startedMs) {
						step.startedMs = startedMs;
						// running again until this run completes (set, not deleted: `delete` slows every later copy)
						step.completedMs = undefined;
					}
				}
				const completedMs = v.completed;
				if (completedMs !== undefined) {
					if (completedMs < first) first = completedMs;
					if (completedMs > last) last = completedMs;
					// a completion from before the current start belongs to an earlier run (a stale re-send)
					if (step.completedMs === undefined && (step.startedMs === undefined || completedMs >= step.startedMs)) {
						step.completedMs = completedMs;
						if (step.startedMs !== undefined) step.accumulatedMs += Math.max(0, completedMs - step.startedMs);
					}
				}
				if (v.cached) step.isCached = true;
				if (v.error) step.error = v.error;
				if (v.inputs !== undefined && v.inputs.length > 0 && step.inputs === undefined) {
					step.inputs = v.inputs;
					isGraphChanged = true;
				}
			}
		}

		if (progress !== undefined) {
			for (const s of progress) {
				const owned = own(s.vertex);
				if (owned === undefined) continue;
				const step = owned.step;
				if (!owned.hasProgress) {
					step.progress = new Map(step.progress);
					owned.hasProgress = true;
				}
				const timestampMs = s.timestamp;
				if (timestampMs !== undefined) {
					if (timestampMs < first) first = timestampMs;
					if (timestampMs > last) last = timestampMs;
				}
				const previous = step.progress.get(s.id);
				step.progress.set(s.id, {
					id: s.id,
					name: s.name ?? previous?.name,
					current: s.current ?? previous?.current ?? 0,
					total: s.total ?? previous?.total,
					startedMs: s.started ?? previous?.startedMs,
					timestampMs: timestampMs ?? previous?.timestampMs,
					completedMs: s.completed ?? previous?.completedMs,
				});
			}
		}

		if (logs !== undefined) {
			for (const log of logs) {
				const owned = own(log.vertex);
				if (owned === undefined) continue;
				if (!owned.hasLogs) {
					owned.step.logTail = owned.step.logTail.slice();
					owned.hasLogs = true;
					logSteps.push(owned.step);
				}
				const logMs = log.timestamp;
				if (logMs !== undefined) {
					if (logMs < first) first = logMs;
					if (logMs > last) last = logMs;
				}
				appendLog(owned.step, log, logMs);
			}
		}

		if (status.warnings !== undefined) for (const w of status.warnings) warnings = pushRing(warnings, w, warningsKept);
	}

	if (isGraphChanged) {
		for (const change of resolveGraph(steps, d => stepAt(steps, stepIndex.get(d)))) {
			const step = own(change.digest)!.step;
			step.platform = change.platform;
			step.isForeign = change.isForeign;
		}
	}
	// each log ring is cut back to its last lines once per run, not once per chunk (same result)
	for (const step of logSteps) if (step.logTail.length > logTailLines) step.logTail.splice(0, step.logTail.length - logTailLines);
	const next: BuildRecord = {...build, steps, stepIndex, warnings};
	if (first !== Infinity) next.firstTimestampMs = first;
	if (last !== -Infinity) next.lastTimestampMs = last;
	return next;
}

/**
 * What the vertex graph says that names do not, for the steps whose answer changed:
 * - platform: a step named without one (in a multi-platform build BuildKit names a stage's later steps `[2/3] RUN
 *   ...` on both platforms alike: Docker Engine 28's BuildKit after `FROM scratch`, BuildKit 0.32's `[stage-0 1/2]
 *   FROM ...`) takes the one platform of its inputs; inputs of several platforms leave it shared.
 * - foreign: a step is ours when it has no inputs or one of its inputs is ours; one that is not is a concurrent
 *   build's vertex BuildKit sent us after merging the work (its inputs are that build's, never sent to us). Over
 *   every real capture in test/fixtures/real/ no step of the build itself comes out foreign.
 *   (Recomputed after each run that added steps or inputs: an input sent after its step is then known.)
 */
function resolveGraph(steps: StepRecord[], stepOf: (digest: string) => StepRecord | undefined): {digest: string; platform: string | undefined; isForeign: boolean}[] {
	const ownMemo = new Map<string, boolean>();
	const isOwn = (digest: string, depth: number): boolean => {
		const known = ownMemo.get(digest);
		if (known !== undefined) return known;
		const step = stepOf(digest);
		// unknown digest (another build's), or a graph too deep to be real: not ours
		const own = step !== undefined && depth < 10_000 && (step.inputs === undefined || step.inputs.some(i => isOwn(i, depth + 1)));
		ownMemo.set(digest, own);
		return own;
	};
	const platformMemo = new Map<string, string | undefined>();
	const platformOf = (step: StepRecord, depth: number): string | undefined => {
		if (parseStepName(step.name).platform !== undefined || step.kind !== 'step' || step.inputs === undefined || depth > 10_000) {
			return parseStepName(step.name).platform;
		}
		if (platformMemo.has(step.digest)) return platformMemo.get(step.digest);
		let found: string | undefined;
		let isMixed = false;
		for (const input of step.inputs) {
			const from = stepOf(input);
			const platform = from ? platformOf(from, depth + 1) : undefined;
			if (platform === undefined) continue;
			if (found !== undefined && found !== platform) isMixed = true;
			found = platform;
		}
		const platform = isMixed ? undefined : found;
		platformMemo.set(step.digest, platform);
		return platform;
	};
	const changes: {digest: string; platform: string | undefined; isForeign: boolean}[] = [];
	for (const step of steps) {
		const isForeign = step.inputs !== undefined && !isOwn(step.digest, 0);
		const platform = isForeign ? step.platform : platformOf(step, 0);
		if (platform !== step.platform || isForeign !== step.isForeign) changes.push({digest: step.digest, platform, isForeign});
	}
	return changes;
}

function stepAt(steps: StepRecord[], at: number | undefined): StepRecord | undefined {
	return at === undefined ? undefined : steps[at];
}

/** A step copied in the current run, and whether its progress map and log ring are copies yet. */
type OwnedStep = {step: StepRecord; hasProgress: boolean; hasLogs: boolean};

/** Every field of T, optional ones too (their value may be undefined): a literal of this type cannot forget one. */
type EveryField<T> = {[K in keyof Required<T>]: T[K]};

/**
 * A copy of a step record written out field by field. V8's clone for `{...step}` left its fast path in the live
 * pipeline (about 0.5 ms per 6,000 statuses in `npm run bench`); a literal of one fixed shape does not.
 */
function copyStep(step: StepRecord): StepRecord {
	const copy: EveryField<StepRecord> = {
		digest: step.digest,
		name: step.name,
		kind: step.kind,
		platform: step.platform,
		stage: step.stage,
		index: step.index,
		count: step.count,
		text: step.text,
		inputs: step.inputs,
		isForeign: step.isForeign,
		startedMs: step.startedMs,
		completedMs: step.completedMs,
		accumulatedMs: step.accumulatedMs,
		isCached: step.isCached,
		error: step.error,
		progress: step.progress,
		logTail: step.logTail,
		logPartial: step.logPartial,
		logLineCount: step.logLineCount,
		lastLogMs: step.lastLogMs,
	};
	return copy;
}

/**
 * A step record with every field present from the start (undefined until known): all records share one shape, so
 * copying one (`{...step}`, once per frame per touched step) stays on V8's fast path. Never add or delete fields.
 */
function newStep(digest: string, name: string): StepRecord {
	const parsed = parseStepName(name);
	const step: EveryField<StepRecord> = {
		digest,
		name,
		kind: parsed.kind,
		platform: parsed.platform,
		stage: parsed.stage,
		index: parsed.index,
		count: parsed.count,
		text: parsed.text,
		inputs: undefined,
		isForeign: false,
		startedMs: undefined,
		completedMs: undefined,
		accumulatedMs: 0,
		isCached: false,
		error: undefined,
		progress: new Map(),
		logTail: [],
		logPartial: '',
		logLineCount: 0,
		lastLogMs: undefined,
	};
	return step;
}

/** Appends a log chunk to a step this run owns (mutates it): complete lines to the ring (trimmed by the run), the
 * rest as partial. */
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
	// the run trims the ring once at its end; this only bounds a run that brings a great many lines
	if (step.logTail.length > 4 * logTailLines) step.logTail.splice(0, step.logTail.length - logTailLines);
	if (start === text.length) step.logPartial = ''; // the chunk ended with its line (the usual case)
	else {
		const partial = start === 0 ? text : text.slice(start);
		// A progress bar redrawn with \r never ends its line: keep only what a terminal would still show.
		step.logPartial = capLength(partial.slice(partial.lastIndexOf('\r') + 1), maxLineChars * 4);
	}
	if (logMs !== undefined) step.lastLogMs = logMs;
}

/** Several status and text events of one build, as one (a frame's batch); same result as reducing them in turn. */
export function reduceBuildRun(state: BuildsState, buildId: string, statuses: readonly SolveStatus[], lines: readonly string[]): BuildsState {
	return update(state, buildId, b => {
		const next = statuses.length > 0 ? applyStatuses(b, statuses) : {...b};
		if (lines.length > 0) {
			const ring = next.textLines.slice();
			for (const line of lines) ring.push(capLength(line));
			if (ring.length > textTailLines) ring.splice(0, ring.length - textTailLines);
			next.textLines = ring;
		}
		return next;
	});
}

/** What a terminal would show for a line: text after the last carriage return, without ANSI sequences. */
export function visibleLine(line: string): string {
	if (!line.includes('\r') && !line.includes('\x1b')) return capLength(line, maxLineChars); // most lines: nothing to strip
	const cr = line.lastIndexOf('\r', line.length - 2);
	const visible = cr === -1 ? line : line.slice(cr + 1);
	return capLength(stripAnsi(visible).replace(/\r$/, ''), maxLineChars);
}

function capLength(text: string, max = maxLineChars): string {
	return text.length > max ? text.slice(0, max) : text;
}

function pushRing<T>(ring: T[], item: T, max: number): T[] {
	const next = ring.length >= max ? ring.slice(ring.length - max + 1) : ring.slice();
	next.push(item);
	return next;
}

