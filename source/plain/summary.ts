// The session summary written by --json (live and replay): per build x platform its outcome, times and steps.
import type {DomainState} from '../state/reducer.js';
import {buildInterval, isTimedByBuildkit, platformsOf, selectCounts, selectRows, stepExitCode, stepsOf} from '../state/selectors.js';
import type {BuildRecord} from '../state/slices/builds.js';
import {selectDownloadSummaries, type DownloadSummaryJson} from '../state/download-selectors.js';
import {selectResourceSummary} from '../state/resource-selectors.js';
import {summarizeRecord, type BuildkitRecordSummary} from '../lib/buildkit-record.js';

export type BuildPlatformSummary = {
	buildId: string;
	target: string;
	platform: string;
	status: string;
	exitCode: number | null;
	start?: string;
	end?: string;
	durationMs: number;
	steps: {total: number; done: number; cached: number};
	failingStep?: {name: string; exitCode?: number; error: string};
	error?: string;
	/** Attach: the node that built it. */
	node?: string;
	/** BuildKit's own record (attach, a history ref, a .dockerbuild), by `history inspect --format json`'s names. */
	buildkitRecord?: BuildkitRecordSummary;
};

export type SessionSummary = {
	bxtop: 'session-summary';
	version: 1;
	startedAt?: string;
	endedAt?: string;
	wallMs?: number;
	result: 'completed' | 'failed' | 'cancelled' | 'running';
	counts: ReturnType<typeof selectCounts>;
	builds: BuildPlatformSummary[];
	downloads: DownloadSummaryJson[];
	resources: ReturnType<typeof selectResourceSummary>;
	[section: string]: unknown;
};

export function summarize(state: DomainState): SessionSummary {
	const rows = selectRows(state, state.lastEventAt);
	const byBuildkit = isTimedByBuildkit(state.session);
	const builds = rows.map(row => {
		const build = state.builds.byId[row.buildId]!;
		// the same clock as durationMs: the process for a one-platform build, BuildKit's steps for a platform of
		// a multi-platform one
		const start = platformsOf(build).length > 1 ? firstStepStart(build, row.platform) : buildInterval(build, state.lastEventAt, byBuildkit).startMs;
		const summary: BuildPlatformSummary = {
			buildId: row.buildId,
			target: row.target,
			platform: row.platform,
			status: row.status,
			exitCode: build.exitCode ?? null,
			durationMs: row.elapsedMs,
			steps: {total: row.stepsTotal, done: row.stepsDone, cached: row.stepsCached},
		};
		if (start !== undefined) summary.start = new Date(start).toISOString();
		if (start !== undefined) summary.end = new Date(start + row.elapsedMs).toISOString();
		if (row.failingStep) {
			const code = stepExitCode(row.failingStep);
			summary.failingStep = {name: row.failingStep.name, error: row.failingStep.error ?? '', ...(code !== undefined ? {exitCode: code} : {})};
		}
		if (row.errorLines.length > 0) summary.error = row.errorLines.join('\n');
		else if (build.failure) summary.error = build.failure;
		if (row.node) summary.node = row.node;
		if (build.record) summary.buildkitRecord = summarizeRecord(build.record);
		return summary;
	});
	const counts = selectCounts(state);
	const result = counts.running + counts.queued > 0 ? 'running' : counts.failed > 0 ? 'failed' : counts.cancelled > 0 ? 'cancelled' : 'completed';
	const out: SessionSummary = {
		bxtop: 'session-summary',
		version: 1,
		result,
		counts,
		builds,
		downloads: selectDownloadSummaries(state),
		resources: selectResourceSummary(state),
	};
	const {startedAt, endedAt} = state.session;
	if (startedAt !== undefined) out.startedAt = new Date(startedAt).toISOString();
	if (endedAt !== undefined) out.endedAt = new Date(endedAt).toISOString();
	if (startedAt !== undefined && endedAt !== undefined) out.wallMs = endedAt - startedAt;
	return out;
}

function firstStepStart(build: BuildRecord, platform: string): number | undefined {
	let first: number | undefined;
	for (const step of stepsOf(build, platform)) if (step.startedMs !== undefined && (first === undefined || step.startedMs < first)) first = step.startedMs;
	return first;
}

/** Exit code of a finished session: 0 when every build succeeded, 130 when cancelled, 1 otherwise. */
export function exitCodeOf(summary: SessionSummary): number {
	// a build still running or queued at the end (a truncated recording) did not succeed either
	if (summary.counts.failed > 0 || summary.counts.running + summary.counts.queued > 0) return 1;
	if (summary.counts.cancelled > 0) return 130;
	return 0;
}
