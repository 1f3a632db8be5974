// Runs over time: the trends table of `bxtop report` and the "previous comparable run" (same target, same platform)
// that the end-of-session summary compares against.
import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import type {DomainState} from '../state/reducer.js';
import {formatBytes, formatDuration} from '../lib/format.js';
import {summarizeBuilds, summarizeRecording} from './metrics.js';
import {isMeasured, type BuildSummary, type CacheSummary, type SessionReport, type TrendRow} from './types.js';
import {isRecordingName} from './recording-files.js';
import {openRecording} from '../record/reader.js';

/** One platform of one build: what "comparable" compares. */
export type HistoryEntry = {
	startMs: number;
	file: string;
	buildId: string;
	target: string;
	label: string;
	platform: string;
	durationMs: number;
	status: string;
	cache: CacheSummary;
};

export function historyEntriesOf(session: Pick<SessionReport, 'file' | 'builds'>): HistoryEntry[] {
	const entries: HistoryEntry[] = [];
	for (const build of session.builds) {
		for (const p of build.perPlatform) {
			entries.push({
				startMs: build.startMs,
				file: session.file,
				buildId: build.buildId,
				target: build.target,
				label: build.label,
				platform: p.platform,
				durationMs: p.durationMs,
				status: p.status,
				cache: p.cache,
			});
		}
	}
	return entries;
}

/**
 * The latest earlier run of the same target (and variant) on the same platform that finished: failed or cancelled
 * runs stop early and would make any comparison look fast.
 */
export function previousComparable(entries: readonly HistoryEntry[], current: Pick<HistoryEntry, 'label' | 'platform' | 'startMs'>): HistoryEntry | undefined {
	let best: HistoryEntry | undefined;
	for (const entry of entries) {
		if (entry.label !== current.label || entry.platform !== current.platform || entry.startMs >= current.startMs) continue;
		if (entry.status !== 'done' && entry.status !== 'cached') continue;
		if (!best || entry.startMs > best.startMs) best = entry;
	}
	return best;
}

/** `-4m03s vs 2025-11-02` */
export function formatDelta(currentMs: number, previous: Pick<HistoryEntry, 'durationMs' | 'startMs'>): string {
	const delta = currentMs - previous.durationMs;
	const sign = delta > 0 ? '+' : delta === 0 ? '±' : '';
	return `${sign}${formatDuration(delta)} vs ${utcDate(previous.startMs)}`;
}

export function cacheText(cache: CacheSummary): string {
	if (cache.status === 'none') return 'no cacheable steps';
	return `${cache.status} cache ${cache.cachedSteps}/${cache.totalSteps} steps cached`;
}

/**
 * The end-of-session lines, one per build and platform:
 * `backend-cpu linux/arm64 7m12s (-4m03s vs 2025-11-02, warm cache 9/11 steps cached)`.
 * `history` holds earlier runs (loadHistory of the recordings directory, without this session's recording).
 */
export function sessionSummaryLines(state: DomainState, history: readonly HistoryEntry[]): string[] {
	const lines: string[] = [];
	for (const build of summarizeBuilds(state)) {
		for (const p of build.perPlatform) {
			const facts: string[] = [];
			const isFinished = p.status === 'done' || p.status === 'cached';
			if (isFinished) {
				const previous = previousComparable(history, {label: build.label, platform: p.platform, startMs: build.startMs});
				facts.push(previous ? formatDelta(p.durationMs, previous) : 'first recorded run');
			}
			facts.push(cacheText(p.cache));
			const what = isFinished ? formatDuration(p.durationMs) : `${p.status} after ${formatDuration(p.durationMs)}`;
			lines.push(`${build.label} ${p.platform} ${what} (${facts.join(', ')})`);
		}
	}
	return lines;
}

/** Trend rows of one session; deltas are filled in later over all sessions (withDeltas). */
export function trendRowsOf(session: SessionReport): TrendRow[] {
	const sessionNotes: string[] = [];
	for (const prune of isMeasured(session.disk) ? session.disk.prunes : []) {
		sessionNotes.push(
			prune.failed
				? `${prune.commandId} failed: ${prune.failed}`
				: `${prune.commandId} reclaimed ${prune.reclaimedBytes === undefined ? '?' : formatBytes(prune.reclaimedBytes)} during the session`,
		);
	}
	if (session.damage.length > 0) sessionNotes.push(`recording damaged at line ${session.damage[0]!.line}: ${session.damage[0]!.reason}`);
	return session.builds.map(build => {
		const notes = [...buildNotes(build), ...sessionNotes];
		return {
			startMs: build.startMs,
			file: session.file,
			buildId: build.buildId,
			label: build.label,
			target: build.target,
			platforms: build.platforms,
			durationMs: build.durationMs,
			status: build.status,
			cache: build.cache,
			notes,
		};
	});
}

function buildNotes(build: BuildSummary): string[] {
	const notes: string[] = [];
	if (build.status === 'failed') {
		const failing = build.steps.find(s => s.isFailed);
		notes.push(failing ? `failed at ${failing.name}` : `failed${build.errors[0] ? `: ${build.errors[0]}` : ''}`);
	} else if (build.status === 'cancelled') notes.push('cancelled');
	else if (build.status === 'running' || build.status === 'queued') notes.push('recording ended before the build did');
	return notes;
}

/** Sorts rows by start and sets each one's delta against the previous finished run of the same target and platforms. */
export function withDeltas(rows: TrendRow[]): TrendRow[] {
	const sorted = [...rows].sort((a, b) => a.startMs - b.startMs || a.label.localeCompare(b.label) || a.buildId.localeCompare(b.buildId));
	const last = new Map<string, TrendRow>();
	return sorted.map(row => {
		const k = `${row.label}|${[...row.platforms].sort().join(',')}`;
		const previous = last.get(k);
		const next: TrendRow = {...row};
		delete next.delta;
		// Only finished runs compare: a failed or cancelled run stops early and its time means nothing.
		if (previous && row.status === 'done') {
			next.delta = {durationMs: row.durationMs - previous.durationMs, previousStartMs: previous.startMs};
		}
		if (row.status === 'done') last.set(k, row);
		return next;
	});
}

/**
 * History from a recordings directory, for the end-of-session summary. Reads every recording once, streaming;
 * unreadable files are skipped (the report command is where they are reported).
 */
export async function loadHistory(dir: string, options: {exclude?: string; targets?: readonly string[]} = {}): Promise<HistoryEntry[]> {
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return [];
	}
	const exclude = options.exclude ? path.resolve(options.exclude) : undefined;
	const files = names.filter(isRecordingName).map(n => path.join(dir, n)).filter(f => path.resolve(f) !== exclude);
	const entries: HistoryEntry[] = [];
	for (const file of files) {
		try {
			if (!(await stat(file)).isFile()) continue;
			// only sessions that built one of these targets can be comparable: their header says so, read it first
			if (options.targets && !(await sharesTarget(file, options.targets))) continue;
			entries.push(...historyEntriesOf(await summarizeRecording(file)));
		} catch {
			// not a recording, or unreadable: no history from it
		}
	}
	return entries;
}

async function sharesTarget(file: string, targets: readonly string[]): Promise<boolean> {
	const recording = await openRecording(file);
	recording.close(); // only the header was needed
	return recording.header.targets.some(t => targets.includes(t));
}

export function utcDate(ms: number): string {
	return new Date(ms).toISOString().slice(0, 10);
}

export function utcDateTime(ms: number): string {
	return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function utcTime(ms: number): string {
	return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
