// Events of the downloads slice (issue 5): large downloads inside a build, per platform: wheels pip or uv fetch in a
// RUN step, and layer pulls / pushes BuildKit reports with byte counts. The download tracker
// (sources/download-tracker.ts) emits them from the build's status stream; the recorder records them and reports
// fold them (`torch 2.5.1+cpu  120.0 MB in 9.3s  12.9 MB/s`).
//
// Times: `at` is the BuildKit timestamp of the log chunk or status that showed the fact when there is one (the
// build's own clock, so durations are what the builder saw), else the stream's clock.

/**
 * Which evidence gave the numbers, best first:
 * - `pip-raw`: `--progress-bar raw` lines (`Progress N of M`): exact bytes, live.
 * - `pip-live`: rich's live bar redrawn with `\r` (FORCE_COLOR / a TTY): rounded bytes, live.
 * - `pip-bar`: the one final bar line pip prints without a TTY: start and end from log timestamps.
 * - `pip-log`: only pip's `Downloading ...` line and the next line's timestamp (`--progress-bar off`, tiny files).
 * - `uv`: uv's `Downloading torch (731.1MiB)` / ` Downloaded torch` lines.
 * - `buildkit-status`: BuildKit's own current/total with timestamps (layer pulls and pushes).
 * - `network-estimate`: rx byte counters shared among the downloads running at that moment (shown with ≈).
 */
export type DownloadSource = 'pip-raw' | 'pip-live' | 'pip-bar' | 'pip-log' | 'uv' | 'buildkit-status' | 'network-estimate';

export type DownloadTool = 'pip' | 'uv' | 'buildkit';

/** `wheel` / `sdist` / `file` for package downloads; `layer-pull` / `layer-push` for image layers. */
export type DownloadKind = 'wheel' | 'sdist' | 'file' | 'layer-pull' | 'layer-push';

export type DownloadRef = {
	at: number;
	buildId: string;
	/** `linux/arm64`. A multi-platform build's shared vertex (an export push) uses `*`. */
	platform: string;
	/** Unique within the build (vertex digest + sequence), stable from started to finished/failed. */
	downloadId: string;
};

export type DownloadIdentity = {
	/** Distribution name as printed (`torch`, `typing_extensions`), or an image reference for layers. */
	package: string;
	/** `2.5.1+cpu`; absent when the tool does not say (uv prints only the name). */
	version?: string;
	/** File name with URL escapes decoded (`torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl`), or a layer digest. */
	file: string;
	kind: DownloadKind;
	tool: DownloadTool;
	/** Digest of the vertex (build step) that downloads. */
	vertex: string;
};

export type DownloadStartedEvent = DownloadRef &
	DownloadIdentity & {
		type: 'download/started';
		/** Where it comes from, credentials already redacted; absent when pip printed only the file name (PyPI). */
		url?: string;
		totalBytes?: number;
		/** The total was printed rounded (pip `120.0 MB`, uv `731.1MiB`): good to about 0.05 %, not to the byte. */
		isTotalRounded: boolean;
		/** A resumed download starts here (pip `Resuming download ... (40.0 MB/174.7 MB)`). */
		initialBytes?: number;
		source: DownloadSource;
	};

export type DownloadProgressedEvent = DownloadRef & {
	type: 'download/progressed';
	doneBytes: number;
	totalBytes?: number;
	/** The rate the source gave (rich's windowed estimate) or the tracker measured; absent when nothing gave one. */
	bytesPerSecond?: number;
	etaMs?: number;
	source: DownloadSource;
	isEstimate: boolean;
};

export type DownloadFinishedEvent = DownloadRef &
	DownloadIdentity & {
		type: 'download/finished';
		startedAt: number;
		/** Absent only when no source ever said a size (no Content-Length and no progress lines). */
		sizeBytes?: number;
		/** The size was printed rounded (see `isTotalRounded`). */
		isSizeRounded: boolean;
		durationMs: number;
		/** Average over the whole download: sizeBytes / durationMs (not the tool's last windowed rate). */
		bytesPerSecond?: number;
		source: DownloadSource;
		isEstimate: boolean;
	};

export type DownloadFailedEvent = DownloadRef &
	DownloadIdentity & {
		type: 'download/failed';
		startedAt: number;
		/** Last bytes known before it stopped, when a source said. */
		doneBytes?: number;
		totalBytes?: number;
		durationMs: number;
		/** `step failed: <vertex error>`, `cancelled`, `pip error: ...`. */
		reason: string;
		source: DownloadSource;
	};

/** The tool reused a cached file: no download happened (pip `Using cached ...`). */
export type DownloadCacheHitEvent = DownloadRef &
	DownloadIdentity & {
		type: 'download/cache-hit';
		url?: string;
		sizeBytes?: number;
		isSizeRounded: boolean;
		source: DownloadSource;
	};

export type DownloadEvent =
	| DownloadStartedEvent
	| DownloadProgressedEvent
	| DownloadFinishedEvent
	| DownloadFailedEvent
	| DownloadCacheHitEvent;
