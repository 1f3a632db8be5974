// The session summary written by --json (live and replay): per build x platform its outcome, times and steps, cut
// from the one session summary the report and the closing lines read; downloads and resources from the selectors
// over the same slices.
import type {DomainState} from '../state/reducer.js';
import {selectCounts} from '../state/selectors.js';
import {selectDownloadSummaries, type DownloadSummaryJson} from '../state/download-selectors.js';
import {selectResourceSummary} from '../state/resource-selectors.js';
import type {BuildkitRecordSummary} from '../lib/buildkit-record.js';
import {summarizeBuilds} from './metrics.js';

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

/**
 * The --json document: the builds as the one session summary has them (metrics.ts), with the state's counts.
 * `wasQuitBeforeStart`: q (or a signal) came before the session started, so no build ran and none completed.
 */
export function summarize(state: DomainState, options: {wasQuitBeforeStart?: boolean} = {}): SessionSummary {
	const builds: BuildPlatformSummary[] = [];
	for (const build of summarizeBuilds(state)) {
		for (const p of build.perPlatform) {
			const summary: BuildPlatformSummary = {
				buildId: build.buildId,
				target: build.target,
				platform: p.platform,
				status: p.status,
				exitCode: build.exitCode ?? null,
				durationMs: p.durationMs,
				steps: p.steps,
			};
			if (p.startMs !== undefined) {
				summary.start = new Date(p.startMs).toISOString();
				summary.end = new Date(p.startMs + p.durationMs).toISOString();
			}
			if (p.failingStep) summary.failingStep = p.failingStep;
			if (p.errors.length > 0) summary.error = p.errors.join('\n');
			else if (build.failure) summary.error = build.failure;
			if (p.node) summary.node = p.node;
			if (build.buildkitRecord) summary.buildkitRecord = build.buildkitRecord;
			builds.push(summary);
		}
	}
	const counts = selectCounts(state);
	const result = options.wasQuitBeforeStart ? 'cancelled' : counts.running + counts.queued > 0 ? 'running' : counts.failed > 0 ? 'failed' : counts.cancelled > 0 ? 'cancelled' : 'completed';
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

/** Exit code of a finished session: 0 when every build succeeded, 130 when cancelled, 1 otherwise. */
export function exitCodeOf(summary: SessionSummary): number {
	// a build still running or queued at the end (a truncated recording) did not succeed either
	if (summary.counts.failed > 0 || summary.counts.running + summary.counts.queued > 0) return 1;
	// (a quit before the start is cancelled with no builds counted)
	if (summary.counts.cancelled > 0 || summary.result === 'cancelled') return 130;
	return 0;
}
