// Events of the resources slice (issue 4): the builder and its nodes, BuildKit container stats, the Docker host,
// the build cache (`buildx du`) and prunes. Plain JSON, recorded; sizes in bytes, rates in bytes per second.

export type BuilderNodeInfo = {
	name: string;
	/** As buildx prints it: a docker host URL (`unix:///var/run/docker.sock`), a docker context name (`node2`), ... */
	endpoint: string;
	/** `running`, `inactive`, `stopped`, `error`, ... as buildx prints it. */
	status: string;
	buildkitVersion?: string;
	/** Platforms as printed; a trailing `*` marks the node's preferred platforms. */
	platforms: string[];
	driverOptions?: string;
	buildkitFlags?: string;
	error?: string;
};

export type BuilderInfo = {
	name: string;
	/** docker, docker-container, kubernetes, remote, ... */
	driver: string;
	lastActivity?: string;
	nodes: BuilderNodeInfo[];
};

/** What bxtop will measure for one node, decided when the builder is inspected. */
export type NodeTarget = {
	node: string;
	/** `buildx_buildkit_<node>` for the docker-container driver. */
	container?: string;
	/** Docker host URL the container is read through (resolved from a context name when needed). */
	dockerHost?: string;
	/** Set when nothing can be measured for this node, and why (docker driver, kubernetes, remote, ...). */
	notMeasurable?: string;
};

export type StatsSample = {
	node: string;
	container: string;
	/** Full container id from the Engine API (changes when the container is recreated). */
	containerId?: string;
	/** docker stats' formula: delta container CPU / delta system CPU x online CPUs x 100. */
	cpuPercent: number;
	onlineCpus?: number;
	/** Usage minus inactive_file (cgroup v2) or total_inactive_file (v1), as docker stats shows it. */
	memoryBytes: number;
	memoryLimitBytes: number;
	/** Cumulative counters since the container started, summed over all interfaces / devices. */
	netRxBytes: number;
	netTxBytes: number;
	blockReadBytes: number;
	blockWriteBytes: number;
	/** Rates between this sample and the previous one of the same stream (absent on the first). */
	netRxBytesPerSecond?: number;
	netTxBytesPerSecond?: number;
	blockReadBytesPerSecond?: number;
	blockWriteBytesPerSecond?: number;
	pids?: number;
	/** engine-api: numbers from the stats stream; docker-stats: parsed from `docker stats` strings (rounded). */
	source: 'engine-api' | 'docker-stats';
};

export type StatsUnavailableReason = 'container-missing' | 'container-stopped' | 'daemon-unreachable' | 'error';

export type HostSample = {
	cpuPercent?: number;
	load1?: number;
	memoryUsedBytes?: number;
	memoryTotalBytes?: number;
	cpus?: number;
	/** Docker's data root (`docker info` DockerRootDir) and the free space of the filesystem holding it. */
	dockerRootDir?: string;
	diskPath?: string;
	diskFreeBytes?: number;
	diskTotalBytes?: number;
	/** Why there is no disk figure: remote daemon, path not readable, ... */
	diskUnavailable?: string;
	/** Whether the daemon runs on this machine (host figures describe it) or elsewhere. */
	isDaemonLocal: boolean;
	/** bxtop runs on a Mac: the host figures are the Mac's, not those of the Linux VM (Docker Desktop) running BuildKit. */
	isMac?: boolean;
	daemonHost?: string;
	/** Threshold under which free space is a warning (`--min-free`, default 10 GB). */
	minFreeBytes: number;
	/** Bytes received by this machine's interfaces so far (local daemon only): the download estimate's fallback. */
	netRxBytes?: number;
};

export type CacheRecord = {
	id: string;
	sizeBytes: number;
	isReclaimable: boolean;
	isShared: boolean;
	/** buildx du marks mutable records; the Engine API's records do not say. */
	isMutable?: boolean;
	description?: string;
	/** regular, source.local, exec.cachemount, ... (buildx du's verbose and json output, and the Engine API). */
	recordType?: string;
	/** buildx du's human "Last used" ("4 seconds ago"), or the Engine API's RFC 3339 time. */
	lastUsed?: string;
};

export type CacheUsage = {
	totalBytes: number;
	reclaimableBytes: number;
	sharedBytes: number;
	privateBytes: number;
	recordCount: number;
	/** The largest records, biggest first (bounded). */
	largest: CacheRecord[];
	/** Bytes per record type when the output says the type. */
	bytesByType?: Record<string, number>;
	/**
	 * Reclaimable bytes of records last used 24 h ago or more (or never): what `--filter until=24h` would free.
	 * From buildx du, an estimate from the rounded sizes and the human "Last used" strings; from the Engine API,
	 * exact sizes and times.
	 */
	reclaimableUnused24hBytes?: number;
	/**
	 * Reclaimable bytes not shared: what a prune can free. Shared records (the docker driver shares layers with the
	 * image store) stay until their images go, even with --all.
	 */
	reclaimablePrivateBytes?: number;
	/**
	 * `table`, `verbose` or `json` (buildx du): json sizes are rounded strings, so its totals are sums of rounded
	 * sizes; `engine`: the Engine API's `/system/df?type=build-cache` (the docker driver), exact sizes and times.
	 */
	format: 'table' | 'verbose' | 'json' | 'engine';
};

export type CacheMeasureReason = 'initial' | 'periodic' | 'build-ended' | 'prune-before' | 'prune-after' | 'manual';

export type PruneCommandId = 'prune-unused' | 'prune-all' | 'prune-keep' | 'prune-old';

export type ResourceEvent =
	| {type: 'builder/inspected'; at: number; builder: BuilderInfo; targets: NodeTarget[]; buildxVersion?: string}
	| {type: 'builder/inspect-failed'; at: number; builderName?: string; message: string}
	| {type: 'stats/sampled'; at: number; sample: StatsSample}
	| {
			type: 'stats/unavailable';
			at: number;
			node: string;
			container?: string;
			reason: StatsUnavailableReason;
			message: string;
	  }
	| {type: 'host/sampled'; at: number; host: HostSample}
	/**
	 * The stats and host samplers were stopped on purpose (the builds ended; a held board must not add idle samples
	 * to the session's figures): from here on the last samples are old by design, not because something failed.
	 */
	| {type: 'sampling/stopped'; at: number; reason: 'builds-ended'}
	| {type: 'cache/measured'; at: number; builder: string; reason: CacheMeasureReason; usage: CacheUsage; durationMs: number}
	| {type: 'cache/measure-failed'; at: number; builder: string; reason: CacheMeasureReason; message: string}
	| {
			type: 'prune/started';
			at: number;
			pruneId: string;
			commandId: PruneCommandId;
			builder: string;
			/** docker's arguments (after `docker`), exactly as run. */
			argv: string[];
			/** du's estimate at confirmation time: what this prune should free. */
			estimateBytes?: number;
	  }
	| {type: 'prune/progressed'; at: number; pruneId: string; recordsRemoved: number; bytesRemoved: number}
	| {
			type: 'prune/finished';
			at: number;
			pruneId: string;
			/** From the command's `Total:` line. */
			reclaimedBytes: number;
			recordsRemoved: number;
			durationMs: number;
	  }
	| {type: 'prune/failed'; at: number; pruneId: string; message: string; exitCode?: number | null; durationMs: number};
