// Folds one session's events into a SessionReport without keeping the events: the pure slice reducers run over
// the stream (builds, session and images state stay bounded), and a few accumulators collect what the report needs
// from download and resource events (peaks, sums, first and last snapshots).
import {imageKey, initialImagesState, reduceImages, type ImagesState} from '../state/slices/images.js';
import {cacheBeforeAfter, containerCounters, isContainerRestart, type CounterValues} from '../lib/session-measures.js';
import type {DomainEvent} from '../domain/events.js';
import type {ImageEvent} from '../domain/image-events.js';
import type {DownloadEvent} from '../domain/downloads-events.js';
import type {BuilderInfo, CacheUsage, ResourceEvent, StatsSample} from '../domain/resources-events.js';
import {initialBuildsState, reduceBuilds, type BuildRecord, type BuildsState, type StepRecord} from '../state/slices/builds.js';
import {initialSessionState, reduceSession, type SessionState} from '../state/slices/session.js';
import {initialDomainState, type DomainState} from '../state/reducer.js';
import {buildInterval, buildLabel, errorSummary, firstBuildStartMs, isCancellation, isTimedByBuildkit, platformElapsed, platformsOf, selectRows, stepsOf} from '../state/selectors.js';
import {openRecording, type Damage} from '../record/reader.js';
import {readSessionEvents, sniffReplayable, type SessionEvents} from '../record/timeline.js';
import {isRecordingName} from './recording-files.js';
import type {RecordingHeader} from '../record/format.js';
import {classifyStep, isBaseImageStep, isInstallStep, largeDownloadBytes, layerPulls, phasesOf, stepDurationMs, stepInterval} from './phases.js';
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

/** An event of the recording (the reader has already checked it and skipped types this bxtop does not know). */
export type ReportEvent = DomainEvent;

/** What the report needs besides the builds: kept small whatever the recording's length. */
export type Extras = {
	/** Per build: finished or failed downloads (capped), and tool cache hits per platform. */
	downloads: Map<string, DownloadSummary[]>;
	downloadPlatforms: Map<string, string[]>;
	cacheHits: Map<string, number>;
	hasDownloadEvents: boolean;
	images: ImagesState;
	builder?: {info: BuilderInfo; buildxVersion?: string};
	builderFailure?: string;
	stats: Map<string, StatsAccumulator>;
	statsUnavailable: Map<string, string>;
	cacheFirst?: {at: number; reason: string; usage: CacheUsage};
	cacheLast?: {at: number; reason: string; usage: CacheUsage};
	cacheFailure?: string;
	hostDiskFirst?: {at: number; freeBytes: number; path?: string};
	hostDiskLast?: {at: number; freeBytes: number; path?: string};
	hostDiskUnavailable?: string;
	hostSeen: boolean;
	prunes: Map<string, PruneSummary>;
};

type StatsAccumulator = {
	node: string;
	container?: string;
	source: string;
	samples: number;
	cpuSum: number;
	cpuPeak: number;
	memSum: number;
	memPeak: number;
	memLimit?: number;
	counters: Record<'netRxBytes' | 'netTxBytes' | 'blockReadBytes' | 'blockWriteBytes', {first: number; last: number; done: number}>;
	containerId?: string;
	restarts: number;
};

const downloadsKeptPerBuild = 2000;

export function emptyExtras(): Extras {
	return {
		downloads: new Map(),
		downloadPlatforms: new Map(),
		cacheHits: new Map(),
		hasDownloadEvents: false,
		images: initialImagesState,
		stats: new Map(),
		statsUnavailable: new Map(),
		hostSeen: false,
		prunes: new Map(),
	};
}

export type MetricsFold = {
	add: (event: ReportEvent) => void;
	builds: () => BuildsState;
	session: () => SessionState;
	extras: () => Extras;
	lastEventAt: () => number;
};

export function createMetricsFold(): MetricsFold {
	let builds = initialBuildsState;
	let session = initialSessionState;
	let lastAt = 0;
	const extras = emptyExtras();
	return {
		add: event => {
			if (typeof event.at === 'number' && event.at > lastAt) lastAt = event.at;
			const type = event.type;
			const slash = type.indexOf('/');
			const namespace = slash > 0 ? type.slice(0, slash) : type;
			if (namespace === 'build') builds = reduceBuilds(builds, withoutLogs(event as Extract<DomainEvent, {type: `build/${string}`}>));
			else if (namespace === 'session') session = reduceSession(session, event as Extract<DomainEvent, {type: `session/${string}`}>);
			else if (namespace === 'download') addDownload(extras, event as DownloadEvent);
			else if (namespace === 'image') extras.images = reduceImages(extras.images, event as ImageEvent);
			else addResource(extras, event as ResourceEvent);
		},
		builds: () => builds,
		session: () => session,
		extras: () => extras,
		lastEventAt: () => lastAt,
	};
}

const key = (buildId: string, platform: string) => `${buildId}|${platform}`;

/**
 * Step log text is not part of the report (failures come from buildx's own error lines): drop it before the
 * reducer assembles lines, but keep each chunk's timestamp, which the build's first/last times count.
 */
function withoutLogs(event: Extract<DomainEvent, {type: `build/${string}`}>): Extract<DomainEvent, {type: `build/${string}`}> {
	if (event.type !== 'build/status-received' || !event.status.logs) return event;
	const logs = event.status.logs.map(l => (l.timestamp ? {vertex: l.vertex, text: '', timestamp: l.timestamp} : {vertex: l.vertex, text: ''}));
	return {...event, status: {...event.status, logs}};
}

function addDownload(extras: Extras, event: DownloadEvent): void {
	extras.hasDownloadEvents = true;
	if (event.type === 'download/cache-hit') {
		const k = key(event.buildId, event.platform);
		extras.cacheHits.set(k, (extras.cacheHits.get(k) ?? 0) + 1);
		return;
	}
	if (event.type !== 'download/finished' && event.type !== 'download/failed') return;
	if (event.kind === 'layer-push') return; // pushes are the push phase, measured from the export step
	const list = extras.downloads.get(event.buildId) ?? [];
	const platforms = extras.downloadPlatforms.get(event.buildId) ?? [];
	if (list.length >= downloadsKeptPerBuild) return;
	const summary: DownloadSummary = {
		package: event.package,
		file: event.file,
		kind: event.kind,
		isSizeRounded: false,
		durationMs: event.durationMs,
		startMs: event.startedAt,
		isEstimate: false,
	};
	if (event.version) summary.version = event.version;
	if (event.type === 'download/finished') {
		if (event.sizeBytes !== undefined) summary.sizeBytes = event.sizeBytes;
		summary.isSizeRounded = event.isSizeRounded;
		summary.isEstimate = event.isEstimate;
		if (event.bytesPerSecond !== undefined) summary.bytesPerSecond = event.bytesPerSecond;
	} else {
		if (event.doneBytes !== undefined) summary.sizeBytes = event.doneBytes;
		summary.failed = event.reason;
	}
	list.push(summary);
	platforms.push(event.platform);
	extras.downloads.set(event.buildId, list);
	extras.downloadPlatforms.set(event.buildId, platforms);
}

function addResource(extras: Extras, event: ResourceEvent): void {
	switch (event.type) {
		case 'builder/inspected':
			extras.builder = event.buildxVersion ? {info: event.builder, buildxVersion: event.buildxVersion} : {info: event.builder};
			for (const target of event.targets) if (target.notMeasurable) extras.statsUnavailable.set(target.node, target.notMeasurable);
			return;
		case 'builder/inspect-failed':
			extras.builderFailure = event.message;
			return;
		case 'stats/sampled':
			addStats(extras, event.sample);
			return;
		case 'stats/unavailable':
			extras.statsUnavailable.set(event.node, event.message || event.reason);
			return;
		case 'host/sampled': {
			extras.hostSeen = true;
			const host = event.host;
			if (host.diskFreeBytes === undefined) {
				if (host.diskUnavailable) extras.hostDiskUnavailable = host.diskUnavailable;
				return;
			}
			const snapshot = {at: event.at, freeBytes: host.diskFreeBytes, ...(host.diskPath ? {path: host.diskPath} : {})};
			if (!extras.hostDiskFirst) extras.hostDiskFirst = snapshot;
			extras.hostDiskLast = snapshot;
			return;
		}
		case 'cache/measured': {
			const snapshot = {at: event.at, reason: event.reason, usage: event.usage};
			if (!extras.cacheFirst) extras.cacheFirst = snapshot;
			extras.cacheLast = snapshot;
			return;
		}
		case 'cache/measure-failed':
			extras.cacheFailure = event.message;
			return;
		case 'prune/started': {
			const prune: PruneSummary = {at: event.at, commandId: event.commandId, argv: event.argv};
			extras.prunes.set(event.pruneId, prune);
			return;
		}
		case 'prune/finished': {
			const prune = extras.prunes.get(event.pruneId) ?? {at: event.at, commandId: 'unknown (its start was not recorded)', argv: []};
			extras.prunes.set(event.pruneId, {...prune, reclaimedBytes: event.reclaimedBytes, recordsRemoved: event.recordsRemoved, durationMs: event.durationMs});
			return;
		}
		case 'prune/failed': {
			const prune = extras.prunes.get(event.pruneId) ?? {at: event.at, commandId: 'unknown (its start was not recorded)', argv: []};
			extras.prunes.set(event.pruneId, {...prune, failed: event.message, durationMs: event.durationMs});
			return;
		}
		default:
			return;
	}
}

function addStats(extras: Extras, sample: StatsSample): void {
	let acc = extras.stats.get(sample.node);
	if (!acc) {
		acc = {
			node: sample.node,
			container: sample.container,
			source: sample.source,
			samples: 0,
			cpuSum: 0,
			cpuPeak: 0,
			memSum: 0,
			memPeak: 0,
			counters: {
				netRxBytes: {first: sample.netRxBytes, last: sample.netRxBytes, done: 0},
				netTxBytes: {first: sample.netTxBytes, last: sample.netTxBytes, done: 0},
				blockReadBytes: {first: sample.blockReadBytes, last: sample.blockReadBytes, done: 0},
				blockWriteBytes: {first: sample.blockWriteBytes, last: sample.blockWriteBytes, done: 0},
			},
			restarts: 0,
		};
		if (sample.containerId) acc.containerId = sample.containerId;
		extras.stats.set(sample.node, acc);
	}
	// A recreated container starts its counters again: close the old segment and count from the new one.
	const last = Object.fromEntries(containerCounters.map(name => [name, acc.counters[name].last])) as CounterValues;
	const restarted = isContainerRestart({...(acc.containerId !== undefined ? {containerId: acc.containerId} : {}), counters: last}, sample);
	if (restarted) {
		acc.restarts++;
		for (const name of containerCounters) {
			const c = acc.counters[name];
			c.done += c.last - c.first;
			c.first = 0;
		}
	}
	if (sample.containerId) acc.containerId = sample.containerId;
	for (const name of containerCounters) acc.counters[name].last = sample[name];
	acc.samples++;
	acc.cpuSum += sample.cpuPercent;
	acc.cpuPeak = Math.max(acc.cpuPeak, sample.cpuPercent);
	acc.memSum += sample.memoryBytes;
	acc.memPeak = Math.max(acc.memPeak, sample.memoryBytes);
	if (sample.memoryLimitBytes > 0) acc.memLimit = sample.memoryLimitBytes;
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
	return sessionReport(fold, {file, header: contents.header, damage: contents.damage()});
}

/** The report of a session already read as events (a capture, a history record). */
export function summarizeSession(session: SessionEvents): SessionReport {
	const fold = createMetricsFold();
	for (const event of session.events) fold.add(event);
	return sessionReport(fold, {file: session.file, ...(session.header ? {header: session.header} : {}), damage: session.damage});
}

export type SessionMeta = {file: string; header?: RecordingHeader; damage: Damage[]};

export function sessionReport(fold: MetricsFold, meta: SessionMeta): SessionReport {
	const builds = fold.builds();
	const session = fold.session();
	const extras = fold.extras();
	const environment = environmentOf(session, builds, extras, meta.header);
	const summaries = summarizeBuilds(builds, session, extras);
	const startMs = session.startedAt ?? meta.header?.startedAt ?? Math.min(...summaries.map(b => b.startMs), fold.lastEventAt());
	const report: SessionReport = {
		file: meta.file,
		startMs,
		endMs: session.endedAt ?? fold.lastEventAt(),
		damage: meta.damage,
		environment,
		builds: summaries,
		resources: resourcesOf(extras),
		disk: diskOf(extras, firstBuildStartMs(builds)),
		bottlenecks: bottlenecksOf(builds, summaries, extras, environment.nativePlatform),
		warnings: session.warnings.map(w => w.message),
	};
	if (session.endReason) report.endReason = session.endReason;
	return report;
}

function environmentOf(session: SessionState, builds: BuildsState, extras: Extras, header: RecordingHeader | undefined): Environment {
	const info = session.info;
	const builder = extras.builder?.info;
	const nodeVersions = [...new Set((builder?.nodes ?? []).map(n => n.buildkitVersion).filter((v): v is string => !!v))];
	const missing = (what: string) => notMeasured(`${what} not in this recording`);
	const platforms: string[] = [];
	for (const id of builds.order) for (const p of builds.byId[id]!.spec.platforms) if (!platforms.includes(p)) platforms.push(p);
	const env: Environment = {
		hostOs: info?.hostOs ?? header?.host.os ?? missing('host OS'),
		hostArch: info?.hostArch ?? header?.host.arch ?? missing('host architecture'),
		dockerVersion: info?.dockerVersion ?? header?.versions.docker ?? missing('docker version'),
		buildxVersion: info?.buildxVersion ?? header?.versions.buildx ?? extras.builder?.buildxVersion ?? missing('buildx version'),
		buildkitVersion: info?.buildkitVersion ?? header?.versions.buildkit ?? (nodeVersions.length > 0 ? nodeVersions.join(', ') : missing('BuildKit version')),
		builder: info?.builder ?? header?.builder ?? builder?.name ?? missing('builder name'),
		driver: info?.driver ?? header?.driver ?? builder?.driver ?? missing('builder driver'),
		nodes: builder
			? builder.nodes.map(n => {
					const node: NodeInfo = {name: n.name, endpoint: n.endpoint, status: n.status, platforms: n.platforms};
					if (n.buildkitVersion) node.buildkitVersion = n.buildkitVersion;
					return node;
				})
			: notMeasured(extras.builderFailure ? `builder inspection failed: ${extras.builderFailure}` : 'no builder inspection in this recording'),
		platforms,
		command: info?.command ?? header?.command ?? [],
		mode: info?.mode ?? header?.mode ?? 'build',
	};
	if (info?.nativePlatform) env.nativePlatform = info.nativePlatform;
	const version = info?.bxtopVersion ?? header?.bxtopVersion;
	if (version) env.bxtopVersion = version;
	return env;
}

/** Build summaries from the builds slice (live end-of-session summary) or a folded recording (with extras). */
export function summarizeBuilds(builds: BuildsState, session: SessionState, extras: Extras = emptyExtras()): BuildSummary[] {
	const domain: DomainState = {...initialDomainState, builds, session};
	const rows = selectRows(domain, 0);
	const native = session.info?.nativePlatform;
	const byBuildkit = isTimedByBuildkit(session);
	return builds.order.map(id => summarizeBuild(builds.byId[id]!, rows.filter(r => r.buildId === id), native, extras, byBuildkit));
}

function summarizeBuild(build: BuildRecord, rows: ReturnType<typeof selectRows>, native: string | undefined, extras: Extras, byBuildkit: boolean): BuildSummary {
	const spec = build.spec;
	const openEnd = build.lastTimestampMs ?? build.endedAt ?? build.startedAt ?? build.queuedAt;
	// the board's definition (state/selectors.ts); a build cut off while running ends at its last event
	const {startMs, endMs} = buildInterval(build, build.endedAt ?? build.lastTimestampMs ?? build.startedAt ?? build.queuedAt, byBuildkit);
	const downloads = extras.downloads.get(spec.buildId) ?? [];
	const downloadPlatforms = extras.downloadPlatforms.get(spec.buildId) ?? [];
	const allSteps = build.steps.filter(step => !step.isForeign); // another build's vertexes BuildKit sent along are not ours

	// one platform or several as the board decides it: the spec's, else those the steps name (watch, raw captures)
	const isSingle = platformsOf(build).length <= 1;
	const perPlatform: PlatformSummary[] = rows.map(row => {
		const steps = stepsOf(build, row.platform);
		const mine = downloads.filter((_, i) => isSingle || downloadPlatforms[i] === row.platform || downloadPlatforms[i] === '*');
		const platformDownloads = downloadsFor(extras, mine, steps);
		const summary: PlatformSummary = {
			platform: row.platform,
			status: row.status,
			// One definition everywhere (board, --json, trends, end-of-session comparison): a build of one platform
			// lasts from its process start to its exit; a platform of a multi-platform build, its steps' span.
			durationMs: isSingle ? endMs - startMs : platformElapsed(steps, build, openEnd),
			cache: cacheOf(steps, cacheHitsFor(extras, spec.buildId, row.platform, isSingle)),
			phases: phasesOf(steps, isMeasured(platformDownloads) ? platformDownloads : undefined, openEnd),
			image: imageFor(extras, build, row.platform),
			downloads: platformDownloads,
		};
		if (native !== undefined) summary.isEmulated = row.isEmulated;
		return summary;
	});

	const allDownloads = downloadsFor(extras, downloads, allSteps);
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
		cache: cacheOf(allSteps, [...extras.cacheHits.entries()].filter(([k]) => k.startsWith(`${spec.buildId}|`)).reduce((s, [, n]) => s + n, 0)),
		perPlatform,
		phases: phasesOf(allSteps, isMeasured(allDownloads) ? allDownloads : undefined, openEnd),
		steps: allSteps
			.map(step => timingOf(step, openEnd, spec.platforms.length === 1 ? spec.platforms[0] : undefined))
			.sort((a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity)),
		errors: build.status === 'failed' ? errorSummary(build) : [],
		imageTotal: imageTotalOf(perPlatform),
	};
	if (spec.variant) summary.variant = spec.variant;
	if (build.exitCode !== undefined) summary.exitCode = build.exitCode;
	if (build.record) summary.buildkitRecord = summarizeRecord(build.record);
	return summary;
}

/** Downloads of some steps: the events, or why there are none to show. */
function downloadsFor(extras: Extras, downloads: DownloadSummary[], steps: readonly StepRecord[]): Measured<DownloadSummary[]> {
	if (extras.hasDownloadEvents) return downloads;
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

function cacheHitsFor(extras: Extras, buildId: string, platform: string, isSingle: boolean): number {
	let hits = extras.cacheHits.get(key(buildId, platform)) ?? 0;
	hits += extras.cacheHits.get(key(buildId, '*')) ?? 0;
	if (isSingle) for (const [k, n] of extras.cacheHits) if (k.startsWith(`${buildId}|`) && k !== key(buildId, platform) && k !== key(buildId, '*')) hits += n;
	return hits;
}

export function cacheOf(steps: readonly StepRecord[], toolCacheHits = 0): CacheSummary {
	let total = 0;
	let cached = 0;
	for (const step of steps) {
		if (step.kind !== 'step' || isBaseImageStep(step)) continue;
		total++;
		if (step.isCached) cached++;
	}
	const status = total === 0 ? 'none' : cached === 0 ? 'cold' : cached === total ? 'warm' : 'partial';
	return {status, cachedSteps: cached, totalSteps: total, toolCacheHits};
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

function imageFor(extras: Extras, build: BuildRecord, platform: string): Measured<ImageSize> {
	const found = extras.images.byPlatform[imageKey(build.spec.buildId, platform)];
	if (found && 'reason' in found) return notMeasured(found.reason);
	if (found) return found;
	const buildReason = extras.images.buildReasons[build.spec.buildId];
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

function resourcesOf(extras: Extras): Measured<Resources> {
	const nodes: NodeResources[] = [];
	for (const acc of extras.stats.values()) {
		const counter = (name: (typeof containerCounters)[number]) => acc.counters[name].done + acc.counters[name].last - acc.counters[name].first;
		const node: NodeResources = {
			node: acc.node,
			samples: acc.samples,
			source: acc.source,
			cpuPercent: {peak: acc.cpuPeak, mean: acc.cpuSum / acc.samples},
			memoryBytes: {peak: acc.memPeak, mean: acc.memSum / acc.samples},
			netRxBytes: counter('netRxBytes'),
			netTxBytes: counter('netTxBytes'),
			blockReadBytes: counter('blockReadBytes'),
			blockWriteBytes: counter('blockWriteBytes'),
			notes: [],
		};
		if (acc.container) node.container = acc.container;
		if (acc.memLimit !== undefined) node.memoryLimitBytes = acc.memLimit;
		if (acc.restarts > 0) node.notes.push(`container restarted ${acc.restarts} time${acc.restarts === 1 ? '' : 's'}: counters summed across restarts`);
		const options = extras.builder?.info.nodes.find(n => n.name === acc.node)?.driverOptions ?? '';
		if (node.netRxBytes === 0 && /network="?host/.test(options)) {
			node.notes.push('the node uses host networking: its container counters do not see build traffic');
		}
		nodes.push(node);
	}
	const unavailable = [...extras.statsUnavailable.entries()].filter(([node]) => !extras.stats.has(node)).map(([node, reason]) => ({node, reason}));
	if (nodes.length === 0 && unavailable.length === 0) return notMeasured('no container stats in this recording');
	return {nodes, unavailable};
}

/**
 * Cache before = the first `du` taken before the first build started; after = the last one taken after that.
 * A session with a single `du` has only one of the two.
 */
function diskOf(extras: Extras, firstBuildMs: number | undefined): Measured<Disk> {
	const prunes = [...extras.prunes.values()].sort((a, b) => a.at - b.at);
	const hostMissing = extras.hostDiskUnavailable ?? (extras.hostSeen ? 'host samples carry no disk figure' : 'no host samples in this recording');
	if (!extras.cacheFirst && !extras.hostDiskFirst && prunes.length === 0 && !extras.cacheFailure && !extras.hostSeen) {
		return notMeasured('no build-cache, host-disk or prune events in this recording');
	}
	const cacheMissing = extras.cacheFailure ? `buildx du failed: ${extras.cacheFailure}` : 'no buildx du in this recording';
	const snapshot = (s: NonNullable<Extras['cacheFirst']>) => ({
		at: s.at,
		reason: s.reason,
		totalBytes: s.usage.totalBytes,
		reclaimableBytes: s.usage.reclaimableBytes,
		recordCount: s.usage.recordCount,
	});
	const first = extras.cacheFirst;
	const last = extras.cacheLast;
	const {before, after} = cacheBeforeAfter(first, last, firstBuildMs);
	return {
		cacheBefore: before ? snapshot(before) : notMeasured(first ? 'no buildx du before the first build' : cacheMissing),
		cacheAfter: after ? snapshot(after) : notMeasured(last ? 'no buildx du after the first build started' : cacheMissing),
		hostFreeBefore: extras.hostDiskFirst ?? notMeasured(hostMissing),
		hostFreeAfter:
			extras.hostDiskLast && extras.hostDiskLast !== extras.hostDiskFirst ? extras.hostDiskLast : notMeasured(extras.hostDiskLast ? 'host disk sampled once' : hostMissing),
		prunes,
	};
}

function bottlenecksOf(builds: BuildsState, summaries: BuildSummary[], extras: Extras, native: string | undefined): Bottlenecks {
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
		emulation: emulationOf(builds, native),
		repeatedDownloads: repeatedDownloadsOf(builds, extras),
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

function repeatedDownloadsOf(builds: BuildsState, extras: Extras): Measured<RepeatedDownload[]> {
	if (!extras.hasDownloadEvents) {
		const any = builds.order.some(id => couldDownload(builds.byId[id]!.steps));
		return any ? notMeasured(noDownloadEvents) : [];
	}
	const groups = new Map<string, RepeatedDownload>();
	for (const id of builds.order) {
		const downloads = extras.downloads.get(id) ?? [];
		const platforms = extras.downloadPlatforms.get(id) ?? [];
		downloads.forEach((d, i) => {
			if (d.failed || (d.kind !== 'wheel' && d.kind !== 'sdist' && d.kind !== 'file')) return;
			const k = `${d.package}@${d.version ?? ''}`;
			const group = groups.get(k) ?? {package: d.package, count: 0, platforms: [], totalBytes: 0, totalMs: 0};
			if (d.version) group.version = d.version;
			group.count++;
			group.totalBytes += d.sizeBytes ?? 0;
			group.totalMs += d.durationMs;
			const platform = platforms[i] ?? '*';
			if (!group.platforms.includes(platform)) group.platforms.push(platform);
			groups.set(k, group);
		});
	}
	return [...groups.values()].filter(g => g.count > 1).sort((a, b) => b.totalBytes - a.totalBytes || a.package.localeCompare(b.package));
}
