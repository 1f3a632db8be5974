// Classifies build steps into the phases the team's notes use (initial setup, large downloads, dependency
// installation, application, export, push) and measures each phase from BuildKit's own timestamps.
// A phase's duration is wall time: the union of its steps' intervals, since BuildKit runs stages in parallel.
import type {StepRecord} from '../state/slices/builds.js';
import type {DownloadSummary, PhaseId, PhaseSummary} from './types.js';
import {formatBytes, formatDuration} from '../lib/format.js';
import {isBaseImageStep} from '../lib/step-name.js';

export type Interval = [start: number, end: number];

export const phaseOrder: PhaseId[] = ['setup', 'downloads', 'dependencies', 'application', 'export', 'push'];

export const phaseLabels: Record<PhaseId, string> = {
	setup: 'Initial setup (definition, metadata, context, FROM)',
	downloads: 'Large downloads',
	dependencies: 'Dependency installation',
	application: 'Application steps',
	export: 'Export',
	push: 'Push',
};

/** Package managers and environment builders: a RUN step running one of these installs dependencies. */
const installers = [
	/\bpip3?(\.\d+)?\s+install\b/,
	/\bpython[\d.]*\s+-m\s+pip\s+install\b/,
	/\bpython[\d.]*\s+-m\s+venv\b/,
	/\bvirtualenv\b/,
	/\buv\s+(pip\s+install|sync|add|venv)\b/,
	/\bpoetry\s+(install|add)\b/,
	/\bpipenv\s+(install|sync)\b/,
	/\b(conda|mamba|micromamba)\s+(install|create|env\s+(create|update))\b/,
	/\bnpm\s+(ci|install|i)\b/,
	/\byarn(\s+install\b|\s*$|\s*(&&|;|\|))/,
	/\bpnpm\s+(install|i)\b/,
	/\bbun\s+install\b/,
	/\bapt(-get)?\s+(-\S+\s+)*(install|update)\b/,
	/\bapk\s+(-\S+\s+)*(add|update)\b/,
	/\b(yum|dnf|microdnf|zypper)\s+(-\S+\s+)*(install|in)\b/,
	/\bgem\s+install\b/,
	/\bbundle(\s+install\b|\s*$|\s*(&&|;))/,
	/\bgo\s+mod\s+download\b/,
	/\bcargo\s+fetch\b/,
	/\bcomposer\s+install\b/,
];

/** The command of a RUN instruction without its `--mount=...` / `--network=...` flags. */
export function commandOfRun(text: string): string | undefined {
	const match = /^RUN\s+((?:--\S+\s+)*)([\s\S]*)$/.exec(text.trim());
	return match ? match[2]!.trim() : undefined;
}

export function isInstallStep(step: Pick<StepRecord, 'kind' | 'text'>): boolean {
	if (step.kind !== 'step') return false;
	const command = commandOfRun(step.text);
	return command !== undefined && installers.some(pattern => pattern.test(command));
}

/** The phase of one vertex. Downloads are not a step phase: they come from download events inside steps. */
export function classifyStep(step: Pick<StepRecord, 'kind' | 'text' | 'name'>): Exclude<PhaseId, 'downloads'> {
	if (step.kind === 'internal') return 'setup';
	if (step.kind === 'step') {
		if (isBaseImageStep(step)) return 'setup';
		return isInstallStep(step) ? 'dependencies' : 'application';
	}
	const name = step.name.trim();
	if (/^(pushing|merging manifest list)\b/i.test(name)) return 'push';
	if (step.kind === 'export' || /^(exporting|writing image|naming to|sending tarball|copying to)\b/i.test(name)) return 'export';
	if (/^(resolve|importing cache|load|\[auth\])/i.test(name)) return 'setup';
	return 'application';
}

/** Length of the union of intervals. */
export function unionMs(intervals: readonly Interval[]): number {
	let total = 0;
	for (const [start, end] of merge(intervals)) total += end - start;
	return total;
}

export function merge(intervals: readonly Interval[]): Interval[] {
	const sorted = intervals.filter(([s, e]) => e >= s).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const out: Interval[] = [];
	for (const [start, end] of sorted) {
		const last = out[out.length - 1];
		if (last && start <= last[1]) last[1] = Math.max(last[1], end);
		else out.push([start, end]);
	}
	return out;
}

/** Parts of `intervals` not covered by `minus`. */
export function subtract(intervals: readonly Interval[], minus: readonly Interval[]): Interval[] {
	const cut = merge(minus);
	const out: Interval[] = [];
	for (const [start, end] of merge(intervals)) {
		let cursor = start;
		for (const [cs, ce] of cut) {
			if (ce <= cursor || cs >= end) continue;
			if (cs > cursor) out.push([cursor, cs]);
			cursor = Math.max(cursor, ce);
		}
		if (cursor < end) out.push([cursor, end]);
	}
	return out;
}

/** The step's last run as an interval; a step that never completed runs until `openEndMs` (the build's end). */
export function stepInterval(step: StepRecord, openEndMs: number): Interval | undefined {
	if (step.startedMs === undefined) return undefined;
	const end = step.completedMs ?? Math.max(step.startedMs, openEndMs);
	return [step.startedMs, end];
}

/** BuildKit's own duration of a step: its finished runs, plus the open run up to `openEndMs`. */
export function stepDurationMs(step: StepRecord, openEndMs: number): number {
	const open = step.startedMs !== undefined && step.completedMs === undefined ? Math.max(0, openEndMs - step.startedMs) : 0;
	return step.accumulatedMs + open;
}

/** Push transfers inside an export vertex: its `pushing layers` / `pushing manifest for ...` statuses. */
export function pushIntervals(step: StepRecord, openEndMs: number): {intervals: Interval[]; refs: string[]} {
	const intervals: Interval[] = [];
	const refs: string[] = [];
	for (const p of step.progress.values()) {
		if (!/^pushing\b/.test(p.id) || p.startedMs === undefined) continue;
		intervals.push([p.startedMs, p.completedMs ?? Math.max(p.startedMs, openEndMs)]);
		const ref = /^pushing manifest for (\S+?)(@sha256:[a-f0-9]+)?$/.exec(p.id);
		if (ref && !refs.includes(ref[1]!)) refs.push(ref[1]!);
	}
	return {intervals, refs};
}

/** Base image layers a FROM step pulled, from its byte statuses (`sha256:...` with current == total). */
export function layerPulls(step: StepRecord): {count: number; bytes: number} {
	let count = 0;
	let bytes = 0;
	for (const p of step.progress.values()) {
		if (!/^sha256:[a-f0-9]+$/.test(p.id) || p.total === undefined || p.completedMs === undefined) continue;
		count++;
		bytes += p.current;
	}
	return {count, bytes};
}

/** Downloads of at least this size are "large" and listed one by one. */
export const largeDownloadBytes = 1_000_000;

/**
 * The phases of a set of steps (one platform's, or a whole build's) plus that platform's downloads.
 * `downloads` undefined means no download events exist for them: the downloads phase is then left out.
 */
export function phasesOf(steps: readonly StepRecord[], downloads: readonly DownloadSummary[] | undefined, openEndMs: number): PhaseSummary[] {
	const pieces: Record<PhaseId, {intervals: Interval[]; busyMs: number; count: number; cached: number; details: string[]}> = {
		setup: blank(),
		downloads: blank(),
		dependencies: blank(),
		application: blank(),
		export: blank(),
		push: blank(),
	};
	const pushed: Interval[] = [];
	const exportIntervals: Interval[] = [];
	let layerCount = 0;
	let layerBytes = 0;
	const refs: string[] = [];
	for (const step of steps) {
		const phase = classifyStep(step);
		const interval = stepInterval(step, openEndMs);
		if (phase === 'export') {
			const push = pushIntervals(step, openEndMs);
			pushed.push(...push.intervals);
			for (const ref of push.refs) if (!refs.includes(ref)) refs.push(ref);
			if (push.intervals.length > 0) pieces.push.count += push.intervals.length;
			if (interval) exportIntervals.push(interval);
			pieces.export.count++;
			continue;
		}
		const target = pieces[phase];
		target.count++;
		if (step.isCached) target.cached++;
		if (interval) target.intervals.push(interval);
		target.busyMs += stepDurationMs(step, openEndMs);
		if (isBaseImageStep(step)) {
			const pulls = layerPulls(step);
			layerCount += pulls.count;
			layerBytes += pulls.bytes;
		}
	}
	// Export time excludes the push transfers inside the export vertex: those are the push phase.
	pieces.export.intervals = subtract(exportIntervals, pushed);
	pieces.export.busyMs = unionMs(pieces.export.intervals);
	pieces.push.intervals.push(...pushed);
	pieces.push.busyMs += pushed.reduce((sum, [s, e]) => sum + (e - s), 0);
	if (refs.length > 0) pieces.push.details.push(`pushed ${refs.join(', ')}`);
	if (layerCount > 0) pieces.setup.details.push(`base image: ${layerCount} layer${layerCount === 1 ? '' : 's'} pulled, ${formatBytes(layerBytes)}`);

	if (downloads) {
		const small = {count: 0, bytes: 0};
		for (const d of downloads) {
			pieces.downloads.count++;
			pieces.downloads.intervals.push([d.startMs, d.startMs + d.durationMs]);
			pieces.downloads.busyMs += d.durationMs;
			if (d.sizeBytes === undefined || d.sizeBytes >= largeDownloadBytes || d.failed) pieces.downloads.details.push(describeDownload(d));
			else {
				small.count++;
				small.bytes += d.sizeBytes;
			}
		}
		if (small.count > 0) pieces.downloads.details.push(`${small.count} smaller file${small.count === 1 ? '' : 's'}, ${formatBytes(small.bytes)}`);
	}

	const phases: PhaseSummary[] = [];
	for (const phase of phaseOrder) {
		if (phase === 'downloads' && !downloads) continue;
		const p = pieces[phase];
		const merged = merge(p.intervals);
		const summary: PhaseSummary = {
			phase,
			durationMs: unionMs(merged),
			busyMs: p.busyMs,
			count: p.count,
			cachedCount: p.cached,
			details: p.details,
		};
		if (merged.length > 0) {
			summary.startMs = merged[0]![0];
			summary.endMs = merged[merged.length - 1]![1];
		}
		phases.push(summary);
	}
	return phases;
}

export function describeDownload(d: DownloadSummary): string {
	const name = d.version ? `${d.package} ${d.version}` : d.package;
	const size = d.sizeBytes === undefined ? 'size unknown' : `${d.isSizeRounded ? '~' : ''}${formatBytes(d.sizeBytes)}`;
	const rate = d.bytesPerSecond ? `, ${formatBytes(d.bytesPerSecond)}/s` : '';
	const failed = d.failed ? ` (failed: ${d.failed})` : '';
	return `${name}: ${size} in ${formatDuration(d.durationMs)}${rate}${d.isEstimate ? ' (estimated)' : ''}${failed}`;
}

function blank() {
	return {intervals: [] as Interval[], busyMs: 0, count: 0, cached: 0, details: [] as string[]};
}
