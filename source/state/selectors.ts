// Derived views of the domain state: the board's rows (one per build x platform) and the session counts.
// Pure functions of (state, now); components and the plain reporter share them.
import type {BuildRecord, BuildsState, BuildStatus, ProgressRecord, StepRecord} from './slices/builds.js';
import type {DomainState} from './reducer.js';
import type {SessionState} from './slices/session.js';
import {isBaseImageStep} from '../lib/step-name.js';

export type RowStatus = BuildStatus | 'cached';

export type ByteProgress = {currentBytes: number; totalBytes?: number; bytesPerSecond?: number; label: string};

export type Row = {
	key: string;
	buildId: string;
	target: string;
	platform: string;
	/** The builder node, for a build followed on a builder's history (attach). */
	node?: string;
	status: RowStatus;
	isEmulated: boolean;
	stepsDone: number;
	stepsTotal: number;
	stepsCached: number;
	internalDone: number;
	currentStep?: StepRecord;
	elapsedMs: number;
	bytes?: ByteProgress;
	failingStep?: StepRecord;
	exitCode?: number | null;
	errorLines: string[];
};

/**
 * The platforms of a build: those bxtop asked for, or (watching a build started elsewhere, replaying a raw
 * capture) those its step names carry.
 */
export function platformsOf(build: BuildRecord): string[] {
	if (build.spec.platforms.length > 0) return build.spec.platforms;
	const found = new Set<string>();
	for (const step of build.steps) if (step.platform && !step.isForeign) found.add(step.platform);
	return [...found];
}

/**
 * The steps of one platform of a build: steps named for it (or inheriting it), or every step when the build has one
 * platform; never another build's vertex that BuildKit sent along (isForeign).
 */
export function stepsOf(build: BuildRecord, platform: string): StepRecord[] {
	const isSingle = platformsOf(build).length <= 1;
	const out: StepRecord[] = [];
	for (const step of build.steps) if (!step.isForeign && (isSingle || step.platform === platform || step.platform === undefined)) out.push(step);
	return out;
}

/** Each board row's build, platform and the native platform it is judged against, in board order. */
function rowSlots(state: DomainState): {key: string; build: BuildRecord; platform: string; native: string | undefined}[] {
	const sessionNative = state.session.info?.nativePlatform;
	const slots: {key: string; build: BuildRecord; platform: string; native: string | undefined}[] = [];
	for (const id of state.builds.order) {
		const build = state.builds.byId[id]!;
		// a build followed on a multi-node builder is judged against its own node's native platform
		const native = build.spec.nativePlatform ?? sessionNative;
		const found = platformsOf(build);
		for (const platform of found.length > 0 ? found : [native ?? 'default']) slots.push({key: `${id}|${platform}`, build, platform, native});
	}
	return slots;
}

export function selectRows(state: DomainState, nowMs: number): Row[] {
	const byBuildkit = isTimedByBuildkit(state.session);
	return rowSlots(state).map(({build, platform, native}) => rowOf(build, platform, native, nowMs, byBuildkit));
}

/**
 * Whose clock says how long a build took. bxtop's own when it ran the child (`build`, `bake`: from spawn to exit);
 * BuildKit's when bxtop only read the stream (`watch`, a raw capture replayed): a finished capture is read in
 * milliseconds, so bxtop's reading time says nothing about the build.
 */
export function isTimedByBuildkit(session: SessionState): boolean {
	const mode = session.info?.mode;
	return mode === 'watch' || mode === 'replay';
}

/** A whole build's start and end (or now, while it runs), by the clock isTimedByBuildkit chooses. */
export function buildInterval(build: BuildRecord, nowMs: number, byBuildkit: boolean): {startMs: number; endMs: number} {
	if (byBuildkit && build.firstTimestampMs !== undefined) {
		const startMs = build.firstTimestampMs;
		const span = (build.lastTimestampMs ?? startMs) - startMs;
		if (build.status !== 'running') return {startMs, endMs: startMs + span};
		// still streaming: BuildKit's span so far, or the time watched when that is longer (a quiet step)
		const watched = build.startedAt === undefined ? 0 : Math.max(0, nowMs - build.startedAt);
		return {startMs, endMs: startMs + Math.max(span, watched)};
	}
	const startMs = build.startedAt ?? build.firstTimestampMs ?? build.queuedAt;
	const endMs = build.endedAt ?? Math.max(nowMs, build.lastTimestampMs ?? 0);
	return {startMs, endMs: Math.max(startMs, endMs)};
}

/**
 * selectRows with stable results, for the board: a row whose build record did not change (and whose elapsed time
 * does not follow the clock: the build is not running) is the same object as last frame, and the same rows give
 * the same array, so memoised row components skip the frame.
 */
export function createRowsSelector(): (state: DomainState, nowMs: number) => Row[] {
	let cache = new Map<string, {build: BuildRecord; native: string | undefined; nowMs: number; row: Row}>();
	let last: Row[] = [];
	return (state, nowMs) => {
		const byBuildkit = isTimedByBuildkit(state.session);
		const next = new Map<string, {build: BuildRecord; native: string | undefined; nowMs: number; row: Row}>();
		const rows: Row[] = [];
		for (const {key, build, platform, native} of rowSlots(state)) {
			const followsClock = build.status === 'running' || build.status === 'queued';
			const hit = cache.get(key);
			const isSame = hit !== undefined && hit.build === build && hit.native === native && (hit.nowMs === nowMs || !followsClock);
			const row = isSame ? hit.row : rowOf(build, platform, native, nowMs, byBuildkit);
			next.set(key, {build, native, nowMs, row});
			rows.push(row);
		}
		cache = next;
		if (rows.length === last.length && rows.every((row, i) => row === last[i])) return last;
		last = rows;
		return rows;
	};
}

export type StepCounts = {
	/** Dockerfile steps (BuildKit's `[stage k/N]`, FROM included): the board's and --json's "k/N steps". */
	total: number;
	done: number;
	cached: number;
	/** Internal vertexes done (load definition, metadata, export). */
	internalDone: number;
	/** The steps a cache can serve: every Dockerfile step but FROM, which BuildKit resolves on every run. */
	cacheable: number;
	cacheableCached: number;
};

/**
 * The one count of a set of steps. Progress counts every Dockerfile step; cold / warm / partial is judged on the
 * cacheable ones, so a warm build reads "8/8 steps, 7 cached" on the board and "warm, 7 of 7" in the report.
 */
export function countSteps(steps: readonly StepRecord[]): StepCounts {
	const counts: StepCounts = {total: 0, done: 0, cached: 0, internalDone: 0, cacheable: 0, cacheableCached: 0};
	for (const step of steps) {
		const isDone = step.completedMs !== undefined && !step.error;
		if (step.kind !== 'step') {
			if (isDone) counts.internalDone++;
			continue;
		}
		counts.total++;
		if (isDone) counts.done++;
		if (step.isCached) counts.cached++;
		if (isBaseImageStep(step)) continue;
		counts.cacheable++;
		if (step.isCached) counts.cacheableCached++;
	}
	return counts;
}

function rowOf(build: BuildRecord, platform: string, native: string | undefined, nowMs: number, byBuildkit: boolean): Row {
	const steps = stepsOf(build, platform);
	const counts = countSteps(steps);
	let stepsDone = counts.done;
	const stepsTotal = counts.total;
	const stepsCached = counts.cached;
	const internalDone = counts.internalDone;
	let current: StepRecord | undefined;
	let failing: StepRecord | undefined;
	let cancelledHere = false;
	for (const step of steps) {
		if (step.error) {
			if (isCancellation(step.error)) cancelledHere = true;
			else if (!failing) failing = step;
		}
		if (step.startedMs !== undefined && step.completedMs === undefined) {
			if (!current || (current.startedMs ?? 0) <= step.startedMs) current = step;
		}
	}

	// A successful build completed every step of its graph, even those whose progress BuildKit sent only to another
	// client solving the same vertex at the same moment (two concurrent builds sharing a step).
	if (build.status === 'done') stepsDone = stepsTotal;
	const status = rowStatus(build, failing, cancelledHere, stepsTotal, stepsCached);
	const elapsedMs = platformsOf(build).length > 1 ? platformElapsed(steps, build, nowMs) : buildElapsed(build, nowMs, byBuildkit);
	const row: Row = {
		key: `${build.spec.buildId}|${platform}`,
		buildId: build.spec.buildId,
		target: buildLabel(build),
		platform,
		status,
		isEmulated: native !== undefined && !samePlatform(platform, native),
		stepsDone,
		stepsTotal,
		stepsCached,
		internalDone,
		elapsedMs,
		errorLines: status === 'failed' ? errorSummary(build) : [],
	};
	if (build.spec.node) row.node = build.spec.node;
	if (current) row.currentStep = current;
	if (failing) row.failingStep = failing;
	if (build.exitCode !== undefined) row.exitCode = build.exitCode;
	const bytes = activeBytes(steps);
	if (bytes) row.bytes = bytes;
	return row;
}

/** What rows and lines call a build: BuildKit's record name (attach), as `docker buildx history ls` shows it,
 * else its target. */
export function buildLabel(build: BuildRecord): string {
	return build.record?.name || build.spec.target;
}

/** Where a build BuildKit recorded came from: its ref, node, frontend and target, as its record says. */
export function buildOrigin(build: BuildRecord): string | undefined {
	const record = build.record;
	if (!record) return undefined;
	const parts = [record.ref];
	if (record.node) parts.push(`node ${record.node}`);
	if (record.frontend) parts.push(record.frontend);
	if (record.target) parts.push(`target ${record.target}`);
	return parts.join(' · ');
}

/** A whole build's wall time: from the child's start to its exit (or now), or BuildKit's span (buildInterval). */
function buildElapsed(build: BuildRecord, nowMs: number, byBuildkit: boolean): number {
	if (build.status === 'queued') return 0;
	const {startMs, endMs} = buildInterval(build, nowMs, byBuildkit);
	return Math.max(0, endMs - startMs);
}

/**
 * A platform of a multi-platform build, in BuildKit's times: from its first step's start to its last step's end. A
 * step still open runs to now while the build runs, and to the build's last BuildKit timestamp once it has ended
 * (the other platform's failure cancelled it there).
 */
export function platformElapsed(steps: readonly StepRecord[], build: BuildRecord, nowMs: number): number {
	const isActive = build.status === 'running' || build.status === 'queued';
	const openEnd = isActive ? nowMs : (build.lastTimestampMs ?? build.endedAt ?? nowMs);
	let first: number | undefined;
	let last: number | undefined;
	for (const step of steps) {
		if (step.startedMs === undefined) continue;
		if (first === undefined || step.startedMs < first) first = step.startedMs;
		const end = step.completedMs ?? Math.max(step.startedMs, openEnd);
		if (last === undefined || end > last) last = end;
	}
	return first === undefined || last === undefined ? 0 : Math.max(0, last - first);
}

function rowStatus(build: BuildRecord, failing: StepRecord | undefined, cancelledHere: boolean, total: number, cached: number): RowStatus {
	if (build.status === 'failed') {
		// In a multi-platform build the other platforms' steps die with "context canceled": not their fault.
		if (platformsOf(build).length > 1 && !failing && cancelledHere) return 'cancelled';
		return 'failed';
	}
	if (build.status === 'done' && total > 0 && cached === total) return 'cached';
	return build.status;
}

export function isCancellation(error: string): boolean {
	return /context canceled/.test(error);
}

function samePlatform(a: string, b: string): boolean {
	const arch = (p: string) => p.split('/').slice(0, 2).join('/');
	return arch(a) === arch(b);
}

/** Byte progress of the statuses still running in these steps (layer pulls, exports, pushes, transfers). */
function activeBytes(steps: StepRecord[]): ByteProgress | undefined {
	let current = 0;
	let total = 0;
	let hasTotal = false;
	let rate = 0;
	let label = '';
	let count = 0;
	for (const step of steps) {
		if (step.completedMs !== undefined) continue;
		for (const p of step.progress.values()) {
			if (p.completedMs !== undefined) continue;
			count++;
			current += p.current;
			if (p.total) {
				total += p.total;
				hasTotal = true;
			}
			rate += rateOf(p) ?? 0;
			label = p.name ?? p.id;
		}
	}
	if (count === 0 || current === 0) return undefined;
	const progress: ByteProgress = {currentBytes: current, label: count > 1 ? `${count} transfers` : label};
	if (hasTotal) progress.totalBytes = total;
	if (rate > 0) progress.bytesPerSecond = rate;
	return progress;
}

/** Rate from the status's own timestamps: bytes so far over time since it started. */
export function rateOf(p: ProgressRecord): number | undefined {
	if (p.startedMs === undefined || p.timestampMs === undefined) return undefined;
	const seconds = (p.timestampMs - p.startedMs) / 1000;
	return seconds > 0.2 ? p.current / seconds : undefined;
}

/** The lines that explain a failure: buildx's own `ERROR:` summary, else the process failure. */
export function errorSummary(build: BuildRecord): string[] {
	const lines = build.textLines.filter(l => /^(ERROR|error)\b/.test(l));
	if (lines.length > 0) return lines.slice(-3);
	if (build.failure) return [build.failure];
	return build.textLines.slice(-3);
}

/** Exit code inside BuildKit's error text: `... did not complete successfully: exit code: 1`. */
export function stepExitCode(step: StepRecord): number | undefined {
	const match = /exit code: (\d+)/.exec(step.error ?? '');
	return match ? Number(match[1]) : undefined;
}

export type SessionCounts = {running: number; done: number; failed: number; cancelled: number; queued: number; total: number};

export function selectCounts(state: DomainState): SessionCounts {
	const counts: SessionCounts = {running: 0, done: 0, failed: 0, cancelled: 0, queued: 0, total: 0};
	for (const id of state.builds.order) {
		const build = state.builds.byId[id]!;
		counts.total++;
		counts[build.status === 'done' ? 'done' : build.status]++;
	}
	return counts;
}

/** The last log lines of a step, including the line still being written. */
export function logLines(step: StepRecord, max: number): string[] {
	const lines = step.logPartial ? [...step.logTail, step.logPartial] : step.logTail;
	return lines.slice(-max);
}

/** When the session's first build started (its child process, or BuildKit's record when attached): the line between
 * "before" and "after" for the build cache. */
export function firstBuildStartMs(builds: BuildsState): number | undefined {
	let first: number | undefined;
	for (const id of builds.order) {
		const startedAt = builds.byId[id]!.startedAt;
		if (startedAt !== undefined && (first === undefined || startedAt < first)) first = startedAt;
	}
	return first;
}
