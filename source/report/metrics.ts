// The one session summary: a SessionReport derived from the app's DomainState. A recording is folded with the app's
// own reducer (state/reducer.ts: logs and rings are bounded, so a long session stays small), and the live session's
// end-of-session lines and --json read the same summary of the store's state: durations, restarts, cache
// before/after and step counts are defined once, by the selectors and slices the board uses.
import {imageKey} from '../state/slices/images.js';
import {cacheBeforeAfter} from '../lib/session-measures.js';
import type {DomainEvent} from '../domain/events.js';
import {type BuildRecord, type BuildsState, type StepRecord} from '../state/slices/builds.js';
import {maxDownloadRecords, type DownloadRecord} from '../state/slices/downloads.js';
import type {CacheSnapshot as StateCacheSnapshot} from '../state/slices/resources.js';
import {initialDomainState, reduce, type DomainState} from '../state/reducer.js';
import {buildInterval, buildLabel, countSteps, errorSummary, firstBuildStartMs, isCancellation, isTimedByBuildkit, platformElapsed, platformsOf, selectRows, stepExitCode, stepsOf, type Row} from '../state/selectors.js';
import {openRecording, type Damage} from '../record/reader.js';
import {readSessionEvents, sniffReplayable, type SessionEvents} from '../record/timeline.js';
import {isRecordingName} from './recording-files.js';
import type {RecordingHeader} from '../record/format.js';
import {isBaseImageStep} from '../lib/step-name.js';
import {classifyStep, isInstallStep, largeDownloadBytes, layerPulls, phasesOf, stepDurationMs, stepInterval} from './phases.js';
import {summarizeRecord} from '../lib/buildkit-record.js';
import {
	isMeasured,
	notMeasured,
	type BuildSummary,
	type Bottlenecks,
	type CacheSummary,
	type Disk,
	type DownloadSummary,
	type EmulationSlowdown,
	type Environment,
	type ImageSize,
	type Measured,
	type NodeInfo,
	type NodeResources,
	type NotMeasured,
	type PlatformSummary,
	type PruneSummary,
	type RepeatedDownload,
	type Resources,
	type SessionReport,
	type SlowStep,
	type StepTiming,
} from './types.js';

/** Events folded into the state the summary reads: the app's reducer, one event at a time. */
export type MetricsFold = {
	add: (event: DomainEvent) => void;
	state: () => DomainState;
};

export function createMetricsFold(): MetricsFold {
	let state = initialDomainState;
	return {
		add: event => {
			state = reduce(state, event);
		},
		state: () => state,
	};
}

/**
 * Reads one file into its report: a recording streaming; anything else replay reads (a raw rawjson capture, a
 * stored history log, a `.dockerbuild`) through replay's own loader. Throws RecordingError when it is none.
 */
export async function summarizeRecording(file: string): Promise<SessionReport> {
	// a file named as a recording is read as one (and told why it is not); any other name as replay reads it
	if (!isRecordingName(file) && (await sniffReplayable(file)) !== 'recording') return summarizeSession(await readSessionEvents(file));
	const contents = await openRecording(file);
	const fold = createMetricsFold();
	for await (const event of contents.events) fold.add(event);
	return sessionReport(fold.state(), {file, header: contents.header, damage: contents.damage()});
}

/** The report of a session already read as events (a capture, a history record). */
export function summarizeSession(session: SessionEvents): SessionReport {
	const fold = createMetricsFold();
	for (const event of session.events) fold.add(event);
	return sessionReport(fold.state(), {file: session.file, ...(session.header ? {header: session.header} : {}), damage: session.damage});
}

export type SessionMeta = {file: string; header?: RecordingHeader; damage: Damage[]};

/** The one summary of a session's state: the report's model, and what --json and the closing lines are cut from. */
export function sessionReport(state: DomainState, meta: SessionMeta): SessionReport {
	const session = state.session;
	const environment = environmentOf(state, meta.header);
	const downloads = downloadsByBuild(state);
	const summaries = buildSummaries(state, downloads);
	const startMs = session.startedAt ?? meta.header?.startedAt ?? Math.min(...summaries.map(b => b.startMs), state.lastEventAt);
	const report: SessionReport = {
		file: meta.file,
		startMs,
		endMs: session.endedAt ?? state.lastEventAt,
		damage: meta.damage,
		environment,
		builds: summaries,
		resources: resourcesOf(state),
		disk: diskOf(state),
		bottlenecks: bottlenecksOf(state, summaries, downloads, environment.nativePlatform),
		warnings: session.warnings.map(w => w.message),
	};
	for (const build of summaries) {
		const dropped = state.downloads.droppedByBuild[build.buildId] ?? 0;
		if (dropped > 0) report.warnings.push(`${build.label}: ${dropped} of its downloads not listed (the session keeps the latest ${maxDownloadRecords})`);
	}
	if (session.endReason) report.endReason = session.endReason;
	return report;
}

function environmentOf(state: DomainState, header: RecordingHeader | undefined): Environment {
	const info = state.session.info;
	const builds = state.builds;
	const builder = state.resources.builder;
	const nodeVersions = [...new Set((builder?.nodes ?? []).map(n => n.buildkitVersion).filter((v): v is string => !!v))];
	const missing = (what: string) => notMeasured(`${what} not in this recording`);
	const platforms: string[] = [];
	for (const id of builds.order) for (const p of builds.byId[id]!.spec.platforms) if (!platforms.includes(p)) platforms.push(p);
	const builderError = state.resources.builderError?.message;
	const env: Environment = {
		hostOs: info?.hostOs ?? header?.host.os ?? missing('host OS'),
		hostArch: info?.hostArch ?? header?.host.arch ?? missing('host architecture'),
		dockerVersion: info?.dockerVersion ?? header?.versions.docker ?? missing('docker version'),
		buildxVersion: info?.buildxVersion ?? header?.versions.buildx ?? state.resources.buildxVersion ?? missing('buildx version'),
		buildkitVersion: info?.buildkitVersion ?? header?.versions.buildkit ?? (nodeVersions.length > 0 ? nodeVersions.join(', ') : missing('BuildKit version')),
		builder: info?.builder ?? header?.builder ?? builder?.name ?? missing('builder name'),
		driver: info?.driver ?? header?.driver ?? builder?.driver ?? missing('builder driver'),
		nodes: builder
			? builder.nodes.map(n => {
					const node: NodeInfo = {name: n.name, endpoint: n.endpoint, status: n.status, platforms: n.platforms};
					if (n.buildkitVersion) node.buildkitVersion = n.buildkitVersion;
					return node;
				})
			: notMeasured(builderError ? `builder inspection failed: ${builderError}` : 'no builder inspection in this recording'),
		platforms,
		command: info?.command ?? header?.command ?? [],
		mode: info?.mode ?? header?.mode ?? 'build',
	};
	if (info?.nativePlatform) env.nativePlatform = info.nativePlatform;
	const version = info?.bxtopVersion ?? header?.bxtopVersion;
	if (version) env.bxtopVersion = version;
	return env;
}

/** Per build, its summary: the board's rows (selectRows) with the report's phases, downloads and image sizes. */
export function summarizeBuilds(state: DomainState): BuildSummary[] {
	return buildSummaries(state, downloadsByBuild(state));
}

function buildSummaries(state: DomainState, downloads: Map<string, BuildDownload[]>): BuildSummary[] {
	const rows = selectRows(state, state.lastEventAt);
	const native = state.session.info?.nativePlatform;
	const byBuildkit = isTimedByBuildkit(state.session);
	const builds = state.builds;
	return builds.order.map(id => summarizeBuild(state, builds.byId[id]!, rows.filter(r => r.buildId === id), downloads.get(id) ?? [], native, byBuildkit));
}

/** A finished or failed download of a build, as the report lists it (pushes are the push phase, from the export step). */
type BuildDownload = {summary: DownloadSummary; platform: string};

/** Each build's finished or failed downloads, in one pass over the slice's records. */
function downloadsByBuild(state: DomainState): Map<string, BuildDownload[]> {
	const records: DownloadRecord[] = [];
	for (const key of state.downloads.order) {
		const record = state.downloads.byKey[key]!;
		if (record.kind === 'layer-push' || (record.status !== 'done' && record.status !== 'failed')) continue;
		records.push(record);
	}
	// in the order they ended, as the tools printed them
	records.sort((a, b) => (a.finishedAt ?? 0) - (b.finishedAt ?? 0));
	const byBuild = new Map<string, BuildDownload[]>();
	for (const record of records) {
		const list = byBuild.get(record.buildId) ?? [];
		list.push({summary: downloadSummaryOf(record), platform: record.platform});
		byBuild.set(record.buildId, list);
	}
	return byBuild;
}

function downloadSummaryOf(record: DownloadRecord): DownloadSummary {
	const summary: DownloadSummary = {
		package: record.package,
		file: record.file,
		kind: record.kind,
		isSizeRounded: record.status === 'done' ? record.isTotalRounded : false,
		durationMs: record.durationMs ?? 0,
		startMs: record.startedAt,
		isEstimate: record.status === 'done' ? record.isEstimate : false,
	};
	if (record.version) summary.version = record.version;
	if (record.status === 'done') {
		if (record.sizeBytes !== undefined) summary.sizeBytes = record.sizeBytes;
		if (record.averageBytesPerSecond !== undefined) summary.bytesPerSecond = record.averageBytesPerSecond;
	} else {
		if (record.doneBytes !== undefined) summary.sizeBytes = record.doneBytes;
		summary.failed = record.reason ?? 'failed';
	}
	return summary;
}

function summarizeBuild(state: DomainState, build: BuildRecord, rows: Row[], downloads: BuildDownload[], native: string | undefined, byBuildkit: boolean): BuildSummary {
	const spec = build.spec;
	// where the report's step timings end an open step: the build's last BuildKit timestamp
	const openEnd = build.lastTimestampMs ?? build.endedAt ?? build.startedAt ?? build.queuedAt;
	// durations as the board has them (state/selectors.ts) at the session's last event: a build still running
	// then (attach detached, a recording cut off) has run until that moment
	const now = state.lastEventAt;
	const {startMs, endMs} = buildInterval(build, now, byBuildkit);
	const allSteps = build.steps.filter(step => !step.isForeign); // another build's vertexes BuildKit sent along are not ours
	const hasDownloadEvents = state.downloads.hasEvents;
	const dropped = state.downloads.droppedByBuild[spec.buildId] ?? 0;

	// one platform or several as the board decides it: the spec's, else those the steps name (watch, raw captures)
	const isSingle = platformsOf(build).length <= 1;
	const perPlatform: PlatformSummary[] = rows.map(row => {
		const steps = stepsOf(build, row.platform);
		const platformStart = isSingle ? startMs : firstStepStart(steps);
		const mine = downloads.filter(d => isSingle || d.platform === row.platform || d.platform === '*').map(d => d.summary);
		const platformDownloads = downloadsFor(hasDownloadEvents, mine, steps, dropped);
		const summary: PlatformSummary = {
			platform: row.platform,
			status: row.status,
			// One definition everywhere (board, --json, trends, end-of-session comparison): a build of one platform
			// lasts from its process start to its exit; a platform of a multi-platform build, its steps' span.
			durationMs: isSingle ? endMs - startMs : platformElapsed(steps, build, now),
			...(platformStart !== undefined ? {startMs: platformStart} : {}),
			steps: {total: row.stepsTotal, done: row.stepsDone, cached: row.stepsCached},
			errors: row.errorLines,
			cache: cacheOf(steps, cacheHitsFor(state, spec.buildId, row.platform, isSingle)),
			phases: phasesOf(steps, isMeasured(platformDownloads) ? platformDownloads : undefined, openEnd),
			image: imageFor(state, build, row.platform),
			downloads: platformDownloads,
		};
		if (native !== undefined) summary.isEmulated = row.isEmulated;
		if (row.failingStep) {
			const code = stepExitCode(row.failingStep);
			summary.failingStep = {name: row.failingStep.name, error: row.failingStep.error ?? '', ...(code !== undefined ? {exitCode: code} : {})};
		}
		if (row.node) summary.node = row.node;
		return summary;
	});

	const allDownloads = downloadsFor(hasDownloadEvents, downloads.map(d => d.summary), allSteps, dropped);
	const buildHits = Object.entries(state.downloads.cacheHits).filter(([k]) => k.startsWith(`${spec.buildId}|`));
	const summary: BuildSummary = {
		buildId: spec.buildId,
		target: buildLabel(build),
		label: spec.variant ? `${buildLabel(build)} (${spec.variant})` : buildLabel(build),
		tags: spec.tags,
		platforms: spec.platforms,
		status: build.status,
		startMs,
		endMs,
		durationMs: endMs - startMs,
		cache: cacheOf(allSteps, buildHits.reduce((sum, [, n]) => sum + n, 0)),
		perPlatform,
		phases: phasesOf(allSteps, isMeasured(allDownloads) ? allDownloads : undefined, openEnd),
		steps: allSteps
			.map(step => timingOf(step, openEnd, spec.platforms.length === 1 ? spec.platforms[0] : undefined))
			.sort((a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity)),
		errors: build.status === 'failed' ? errorSummary(build) : [],
		imageTotal: imageTotalOf(perPlatform),
	};
	if (spec.variant) summary.variant = spec.variant;
	if (build.failure) summary.failure = build.failure;
	if (build.exitCode !== undefined) summary.exitCode = build.exitCode;
	if (build.record) summary.buildkitRecord = summarizeRecord(build.record);
	return summary;
}

function firstStepStart(steps: readonly StepRecord[]): number | undefined {
	let first: number | undefined;
	for (const step of steps) if (step.startedMs !== undefined && (first === undefined || step.startedMs < first)) first = step.startedMs;
	return first;
}

/** Downloads of some steps: the events, or why there are none to show. */
function downloadsFor(hasDownloadEvents: boolean, downloads: DownloadSummary[], steps: readonly StepRecord[], dropped = 0): Measured<DownloadSummary[]> {
	// none left of a build whose downloads the session dropped: not "nothing downloaded"
	if (downloads.length === 0 && dropped > 0) return notMeasured(`its ${dropped} downloads are not kept (the session keeps the latest ${maxDownloadRecords})`);
	if (hasDownloadEvents) return downloads;
	// Without download events, say nothing was downloaded only when no step that could download actually ran.
	return couldDownload(steps) ? notMeasured(noDownloadEvents) : [];
}

const noDownloadEvents = 'no download events in this recording (recorded without download tracking)';

/** A step ran that downloads: an uncached install step, or a base image pull of a large layer. */
function couldDownload(steps: readonly StepRecord[]): boolean {
	return steps.some(
		s => !s.isCached && s.startedMs !== undefined && (isInstallStep(s) || (isBaseImageStep(s) && layerPulls(s).bytes >= largeDownloadBytes)),
	);
}

function cacheHitsFor(state: DomainState, buildId: string, platform: string, isSingle: boolean): number {
	const hits = state.downloads.cacheHits;
	const own = `${buildId}|${platform}`;
	const shared = `${buildId}|*`;
	let count = (hits[own] ?? 0) + (hits[shared] ?? 0);
	if (isSingle) for (const [k, n] of Object.entries(hits)) if (k.startsWith(`${buildId}|`) && k !== own && k !== shared) count += n;
	return count;
}

/** The cache figures of some steps, from the board's one count (countSteps): cached of the steps that can be. */
export function cacheOf(steps: readonly StepRecord[], toolCacheHits = 0): CacheSummary {
	const {cacheable, cacheableCached} = countSteps(steps);
	const status = cacheable === 0 ? 'none' : cacheableCached === 0 ? 'cold' : cacheableCached === cacheable ? 'warm' : 'partial';
	return {status, cachedSteps: cacheableCached, totalSteps: cacheable, toolCacheHits};
}

/** `onlyPlatform`: a single-platform build's steps do not name their platform; they all belong to it. */
function timingOf(step: StepRecord, openEnd: number, onlyPlatform: string | undefined): StepTiming {
	const interval = stepInterval(step, openEnd);
	const timing: StepTiming = {
		name: step.name,
		phase: classifyStep(step),
		durationMs: stepDurationMs(step, openEnd),
		isCached: step.isCached,
		isFailed: !!step.error && !isCancellation(step.error),
		isCancelled: !!step.error && isCancellation(step.error),
	};
	const platform = step.platform ?? onlyPlatform;
	if (platform) timing.platform = platform;
	if (interval) {
		timing.startMs = interval[0];
		timing.endMs = interval[1];
	}
	return timing;
}

function imageFor(state: DomainState, build: BuildRecord, platform: string): Measured<ImageSize> {
	const found = state.images.byPlatform[imageKey(build.spec.buildId, platform)];
	if (found && 'reason' in found) return notMeasured(found.reason);
	if (found) return found;
	const buildReason = state.images.buildReasons[build.spec.buildId];
	if (buildReason) return notMeasured(buildReason);
	if (build.status === 'failed' || build.status === 'cancelled') return notMeasured(`the build ${build.status === 'failed' ? 'failed' : 'was cancelled'}: no image`);
	return notMeasured('no image measurement in this recording');
}

function imageTotalOf(platforms: PlatformSummary[]): BuildSummary['imageTotal'] {
	const sizes = platforms.map(p => p.image);
	const reasons = [...new Set(sizes.filter(s => !isMeasured(s)).map(s => (s as NotMeasured).notMeasured))];
	if (reasons.length > 0) {
		const isEvery = reasons.length === 1 && sizes.every(s => !isMeasured(s));
		return notMeasured(isEvery ? reasons[0]! : `not every platform measured: ${reasons.join('; ')}`);
	}
	const measured = sizes.filter(isMeasured);
	if (measured.length === 0) return notMeasured('no platform');
	if (measured.some(s => s.isCompressed !== measured[0]!.isCompressed)) return notMeasured('platforms measured in different ways (compressed and unpacked)');
	return {sizeBytes: measured.reduce((sum, s) => sum + s.sizeBytes, 0), isCompressed: measured[0]!.isCompressed};
}

function resourcesOf(state: DomainState): Measured<Resources> {
	const r = state.resources;
	const nodes: NodeResources[] = [];
	const unavailable: {node: string; reason: string}[] = [];
	for (const name of r.nodeOrder) {
		const n = r.nodes[name]!;
		if (n.sampleCount === 0 || !n.latest) {
			const reason = n.message || n.unavailableReason;
			if ((n.status === 'unavailable' || n.status === 'not-measurable') && reason) unavailable.push({node: name, reason});
			continue;
		}
		const node: NodeResources = {
			node: name,
			samples: n.sampleCount,
			source: n.latest.source,
			cpuPercent: {peak: n.peakCpuPercent, mean: n.cpuPercentSum / n.sampleCount},
			memoryBytes: {peak: n.peakMemoryBytes, mean: n.memoryBytesSum / n.sampleCount},
			netRxBytes: n.netRxTotalBytes,
			netTxBytes: n.netTxTotalBytes,
			blockReadBytes: n.blockReadTotalBytes,
			blockWriteBytes: n.blockWriteTotalBytes,
			notes: [],
		};
		if (n.container) node.container = n.container;
		if (n.memoryLimitBytes !== undefined) node.memoryLimitBytes = n.memoryLimitBytes;
		if (n.restarts > 0) node.notes.push(`container restarted ${n.restarts} time${n.restarts === 1 ? '' : 's'}: counters summed across restarts`);
		const options = r.builder?.nodes.find(b => b.name === name)?.driverOptions ?? '';
		if (node.netRxBytes === 0 && /network="?host/.test(options)) {
			node.notes.push('the node uses host networking: its container counters do not see build traffic');
		}
		nodes.push(node);
	}
	if (nodes.length === 0 && unavailable.length === 0) return notMeasured('no container stats in this recording');
	return {nodes, unavailable};
}

/**
 * Cache before and after as the board and --json define them (cacheBeforeAfter); free disk first and last.
 * A session with a single `du` has only one of the two.
 */
function diskOf(state: DomainState): Measured<Disk> {
	const {cache, host} = state.resources;
	const prunes = state.resources.prunes.map(pruneSummaryOf).sort((a, b) => a.at - b.at);
	const hostSeen = host.latestAt !== undefined;
	const hostMissing = host.latest?.diskUnavailable ?? (hostSeen ? 'host samples carry no disk figure' : 'no host samples in this recording');
	if (!cache.first && !host.diskFreeFirst && prunes.length === 0 && !cache.error && !hostSeen) {
		return notMeasured('no build-cache, host-disk or prune events in this recording');
	}
	const cacheMissing = cache.error ? `buildx du failed: ${cache.error.message}` : 'no buildx du in this recording';
	const latest: StateCacheSnapshot | undefined =
		cache.latest && cache.latestAt !== undefined
			? {at: cache.latestAt, totalBytes: cache.latest.totalBytes, reclaimableBytes: cache.latest.reclaimableBytes, recordCount: cache.latest.recordCount, ...(cache.latestReason ? {reason: cache.latestReason} : {})}
			: undefined;
	const snapshot = (s: NonNullable<typeof latest>) => ({at: s.at, reason: s.reason ?? '', totalBytes: s.totalBytes, reclaimableBytes: s.reclaimableBytes, recordCount: s.recordCount ?? 0});
	const {before, after} = cacheBeforeAfter(cache.first, latest, firstBuildStartMs(state.builds));
	const free = (f: NonNullable<typeof host.diskFreeFirst>) => ({at: f.at, freeBytes: f.bytes, ...(f.path ? {path: f.path} : {})});
	return {
		cacheBefore: before ? snapshot(before) : notMeasured(cache.first ? 'no buildx du before the first build' : cacheMissing),
		cacheAfter: after ? snapshot(after) : notMeasured(latest ? 'no buildx du after the first build started' : cacheMissing),
		hostFreeBefore: host.diskFreeFirst ? free(host.diskFreeFirst) : notMeasured(hostMissing),
		hostFreeAfter:
			host.diskFreeLast && host.diskFreeLast !== host.diskFreeFirst ? free(host.diskFreeLast) : notMeasured(host.diskFreeLast ? 'host disk sampled once' : hostMissing),
		prunes,
	};
}

function pruneSummaryOf(p: DomainState['resources']['prunes'][number]): PruneSummary {
	const summary: PruneSummary = {at: p.startedAt, commandId: p.commandId === 'unknown' ? 'unknown (its start was not recorded)' : p.commandId, argv: p.argv};
	if (p.status === 'done') {
		if (p.reclaimedBytes !== undefined) summary.reclaimedBytes = p.reclaimedBytes;
		summary.recordsRemoved = p.recordsRemoved;
	}
	if (p.durationMs !== undefined) summary.durationMs = p.durationMs;
	if (p.status === 'failed') summary.failed = p.error ?? 'failed';
	return summary;
}

function bottlenecksOf(state: DomainState, summaries: BuildSummary[], downloads: Map<string, BuildDownload[]>, native: string | undefined): Bottlenecks {
	const slowest: SlowStep[] = [];
	for (const summary of summaries) {
		for (const step of summary.steps) {
			if (step.isCached || step.durationMs <= 0) continue;
			const slow: SlowStep = {buildId: summary.buildId, label: summary.label, name: step.name, durationMs: step.durationMs};
			if (step.platform) slow.platform = step.platform;
			slowest.push(slow);
		}
	}
	slowest.sort((a, b) => b.durationMs - a.durationMs || a.name.localeCompare(b.name));
	return {
		slowestSteps: slowest.slice(0, 5),
		emulation: emulationOf(state.builds, native),
		repeatedDownloads: repeatedDownloadsOf(state, downloads),
	};
}

/**
 * Same steps, different platforms: the emulated platform's time against the native one's (or linux/amd64's when
 * the native platform is unknown). Steps are matched by stage, index and instruction; cached steps and base image
 * pulls are left out (they measure the cache and the network, not the CPU).
 */
function emulationOf(builds: BuildsState, native: string | undefined): EmulationSlowdown[] {
	const byLabel = new Map<string, Map<string, Map<string, {name: string; ms: number}>>>();
	for (const id of builds.order) {
		const build = builds.byId[id]!;
		const label = build.spec.variant ? `${buildLabel(build)} (${build.spec.variant})` : buildLabel(build);
		const platforms = byLabel.get(label) ?? new Map<string, Map<string, {name: string; ms: number}>>();
		byLabel.set(label, platforms);
		for (const platform of build.spec.platforms) {
			const steps = platforms.get(platform) ?? new Map<string, {name: string; ms: number}>();
			platforms.set(platform, steps);
			for (const step of stepsOf(build, platform)) {
				if (step.kind !== 'step' || step.isCached || isBaseImageStep(step) || step.completedMs === undefined || step.error) continue;
				steps.set(`${step.stage ?? ''}|${step.index ?? ''}|${step.text}`, {name: step.text, ms: step.accumulatedMs});
			}
		}
	}
	const out: EmulationSlowdown[] = [];
	for (const [label, platforms] of byLabel) {
		if (platforms.size < 2) continue;
		const names = [...platforms.keys()];
		const reference = native && platforms.has(native) ? native : names.includes('linux/amd64') ? 'linux/amd64' : names[0]!;
		const ref = platforms.get(reference)!;
		for (const [platform, steps] of platforms) {
			if (platform === reference) continue;
			let count = 0;
			let referenceMs = 0;
			let platformMs = 0;
			let worst: EmulationSlowdown['worstStep'];
			for (const [k, step] of steps) {
				const other = ref.get(k);
				if (!other) continue;
				count++;
				referenceMs += other.ms;
				platformMs += step.ms;
				if (!worst || step.ms - other.ms > worst.platformMs - worst.referenceMs) worst = {name: step.name, referenceMs: other.ms, platformMs: step.ms};
			}
			if (count === 0 || referenceMs === 0) continue;
			const slowdown: EmulationSlowdown = {
				label,
				reference,
				platform,
				isEmulated: native !== undefined && platform !== native,
				steps: count,
				referenceMs,
				platformMs,
				ratio: platformMs / referenceMs,
			};
			if (worst) slowdown.worstStep = worst;
			out.push(slowdown);
		}
	}
	return out;
}

function repeatedDownloadsOf(state: DomainState, downloads: Map<string, BuildDownload[]>): Measured<RepeatedDownload[]> {
	const builds = state.builds;
	if (!state.downloads.hasEvents) {
		const any = builds.order.some(id => couldDownload(builds.byId[id]!.steps));
		return any ? notMeasured(noDownloadEvents) : [];
	}
	const groups = new Map<string, RepeatedDownload>();
	for (const id of builds.order) {
		for (const {summary: d, platform} of downloads.get(id) ?? []) {
			if (d.failed || (d.kind !== 'wheel' && d.kind !== 'sdist' && d.kind !== 'file')) continue;
			const k = `${d.package}@${d.version ?? ''}`;
			const group = groups.get(k) ?? {package: d.package, count: 0, platforms: [], totalBytes: 0, totalMs: 0};
			if (d.version) group.version = d.version;
			group.count++;
			group.totalBytes += d.sizeBytes ?? 0;
			group.totalMs += d.durationMs;
			if (!group.platforms.includes(platform)) group.platforms.push(platform);
			groups.set(k, group);
		}
	}
	return [...groups.values()].filter(g => g.count > 1).sort((a, b) => b.totalBytes - a.totalBytes || a.package.localeCompare(b.package));
}
