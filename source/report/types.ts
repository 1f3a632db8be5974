// The report's data: what `bxtop report` writes as JSON (schema/report.schema.json) and renders as Markdown.
// Every number is an exact value taken from recorded events; a figure that could not be measured is
// `{notMeasured: "<why>"}` instead, so nothing is ever left blank or guessed.
import type {Damage} from '../record/reader.js';
import type {BuildkitRecordSummary} from '../lib/buildkit-record.js';

export type NotMeasured = {notMeasured: string};
export type Measured<T> = T | NotMeasured;

export function isMeasured<T>(value: Measured<T>): value is T {
	return !(typeof value === 'object' && value !== null && 'notMeasured' in (value as object));
}

export function notMeasured(reason: string): NotMeasured {
	return {notMeasured: reason};
}

/** setup: load definition, metadata, context, FROM pulls. downloads: large downloads (from download events; they
 * happen inside setup and dependency steps). dependencies: RUN steps that install packages. application: every
 * other step. export: exporting layers, manifests, tarballs. push: pushing layers and manifests. */
export type PhaseId = 'setup' | 'downloads' | 'dependencies' | 'application' | 'export' | 'push';

export type PhaseSummary = {
	phase: PhaseId;
	/** Wall time during which at least one piece of this phase ran (the union of its intervals). */
	durationMs: number;
	/** Sum of the pieces' own durations; above durationMs when pieces ran in parallel. */
	busyMs: number;
	/** Steps (or downloads, or push transfers) counted. */
	count: number;
	cachedCount: number;
	/** Epoch ms (BuildKit's clock) of the first start and last end; absent when nothing ran. */
	startMs?: number;
	endMs?: number;
	/** Short facts: the large downloads, pushed references. */
	details: string[];
};

export type CacheStatus = 'cold' | 'warm' | 'partial' | 'none';

export type CacheSummary = {
	status: CacheStatus;
	/** Dockerfile steps BuildKit found in its cache, of those that could be (FROM steps are resolved every run). */
	cachedSteps: number;
	totalSteps: number;
	/** Files a tool took from its own cache (pip `Using cached`, from download events). */
	toolCacheHits: number;
};

export type StepTiming = {
	name: string;
	/** Absent for steps shared by every platform (load definition, export). */
	platform?: string;
	phase: PhaseId;
	startMs?: number;
	endMs?: number;
	/** BuildKit's own duration, summed over runs. */
	durationMs: number;
	isCached: boolean;
	isFailed: boolean;
	isCancelled: boolean;
};

export type ImageSize = {
	sizeBytes: number;
	isCompressed: boolean;
	source: string;
	layerCount?: number;
	digest?: string;
};

export type DownloadSummary = {
	package: string;
	version?: string;
	file: string;
	kind: string;
	/** Absent when no source said a size. */
	sizeBytes?: number;
	isSizeRounded: boolean;
	durationMs: number;
	bytesPerSecond?: number;
	startMs: number;
	isEstimate: boolean;
	failed?: string;
};

export type PlatformSummary = {
	platform: string;
	isEmulated?: boolean;
	status: string;
	/**
	 * The board's elapsed time: a build of one platform from its process start to its exit (BuildKit's span when
	 * no process was seen); a platform of a multi-platform build, its steps' span.
	 */
	durationMs: number;
	/** Start on the same clock as durationMs; absent for a platform of a multi-platform build none of whose steps started. */
	startMs?: number;
	/** The board's "k/N steps": every Dockerfile step, FROM included. */
	steps: {total: number; done: number; cached: number};
	failingStep?: {name: string; exitCode?: number; error: string};
	/** buildx's error lines when this platform failed. */
	errors: string[];
	/** Attach: the node that built it. */
	node?: string;
	cache: CacheSummary;
	phases: PhaseSummary[];
	image: Measured<ImageSize>;
	downloads: Measured<DownloadSummary[]>;
};

export type BuildSummary = {
	buildId: string;
	target: string;
	variant?: string;
	/** `target (variant)`: what tables call the build. */
	label: string;
	tags: string[];
	platforms: string[];
	status: string;
	exitCode?: number | null;
	/** Process start and end (host clock) when known, else BuildKit's first and last timestamps. */
	startMs: number;
	endMs: number;
	durationMs: number;
	cache: CacheSummary;
	perPlatform: PlatformSummary[];
	/** Phases over all platforms together. */
	phases: PhaseSummary[];
	steps: StepTiming[];
	errors: string[];
	/** Why the build process failed outside BuildKit (it could not start, it was killed). */
	failure?: string;
	/** Sum of the platforms' image sizes when every platform was measured the same way. */
	imageTotal: Measured<{sizeBytes: number; isCompressed: boolean}>;
	/** A build read from BuildKit's history (or attached): the record's own figures, as the --json summary has them. */
	buildkitRecord?: BuildkitRecordSummary;
};

export type NodeInfo = {name: string; endpoint?: string; status?: string; buildkitVersion?: string; platforms: string[]};

export type Environment = {
	hostOs: Measured<string>;
	hostArch: Measured<string>;
	nativePlatform?: string;
	dockerVersion: Measured<string>;
	buildxVersion: Measured<string>;
	buildkitVersion: Measured<string>;
	builder: Measured<string>;
	driver: Measured<string>;
	nodes: Measured<NodeInfo[]>;
	platforms: string[];
	command: string[];
	mode: string;
	bxtopVersion?: string;
};

export type Stat = {peak: number; mean: number};

export type NodeResources = {
	node: string;
	container?: string;
	samples: number;
	source: string;
	cpuPercent: Stat;
	memoryBytes: Stat;
	memoryLimitBytes?: number;
	/** Received and sent over the session: the counters' increase (summed across container restarts). */
	netRxBytes: number;
	netTxBytes: number;
	blockReadBytes: number;
	blockWriteBytes: number;
	notes: string[];
};

export type Resources = {nodes: NodeResources[]; unavailable: {node: string; reason: string}[]};

export type CacheSnapshot = {at: number; reason: string; totalBytes: number; reclaimableBytes: number; recordCount: number};

export type PruneSummary = {
	at: number;
	commandId: string;
	argv: string[];
	reclaimedBytes?: number;
	recordsRemoved?: number;
	durationMs?: number;
	failed?: string;
};

export type Disk = {
	cacheBefore: Measured<CacheSnapshot>;
	cacheAfter: Measured<CacheSnapshot>;
	hostFreeBefore: Measured<{at: number; freeBytes: number; path?: string}>;
	hostFreeAfter: Measured<{at: number; freeBytes: number; path?: string}>;
	prunes: PruneSummary[];
};

export type SlowStep = {buildId: string; label: string; platform?: string; name: string; durationMs: number};

export type EmulationSlowdown = {
	label: string;
	reference: string;
	platform: string;
	isEmulated: boolean;
	steps: number;
	referenceMs: number;
	platformMs: number;
	ratio: number;
	/** The step with the largest absolute difference. */
	worstStep?: {name: string; referenceMs: number; platformMs: number};
};

export type RepeatedDownload = {package: string; version?: string; count: number; platforms: string[]; totalBytes: number; totalMs: number};

export type Bottlenecks = {
	slowestSteps: SlowStep[];
	emulation: EmulationSlowdown[];
	repeatedDownloads: Measured<RepeatedDownload[]>;
};

export type SessionReport = {
	file: string;
	startMs: number;
	endMs: number;
	endReason?: string;
	damage: Damage[];
	environment: Environment;
	builds: BuildSummary[];
	resources: Measured<Resources>;
	disk: Measured<Disk>;
	bottlenecks: Bottlenecks;
	warnings: string[];
};

export type TrendRow = {
	startMs: number;
	file: string;
	buildId: string;
	label: string;
	target: string;
	platforms: string[];
	durationMs: number;
	status: string;
	cache: CacheSummary;
	/** Against the previous run of the same target on the same platforms. */
	delta?: {durationMs: number; previousStartMs: number};
	notes: string[];
};

export type Report = {
	schemaVersion: 1;
	generatedBy: string;
	/** Recordings read (damaged ones included) and those that could not be read at all. */
	recordingsRead: number;
	unreadable: {file: string; error: string}[];
	/** Full detail: with one recording, that one; with several, the latest session. */
	sessions: SessionReport[];
	/** With several recordings: per target, its first cold build and its latest warm one, in full. */
	targets?: TargetRuns[];
	trends: TrendRow[];
};

export type TargetRun = {file: string; build: BuildSummary};

export type TargetRuns = {
	label: string;
	platforms: string[];
	firstCold: Measured<TargetRun>;
	latestWarm: Measured<TargetRun>;
};
