// Derived views of the downloads slice: the line under a platform row (the download in progress, or a summary once
// none is), the per-download list for the --json summary, and the network-counter estimate for downloads no tool
// reports live (plain pip prints nothing between `Downloading` and its final bar). Pure functions of (state, now).
import type {DomainState} from './reducer.js';
import type {DownloadRecord, DownloadsState, RxSample} from './slices/downloads.js';
import type {DownloadKind, DownloadSource, DownloadTool} from '../domain/downloads-events.js';
import {platformsOf} from './selectors.js';

export type ActiveDownloadView = {
	kind: 'active';
	key: string;
	package: string;
	version?: string;
	downloadKind: DownloadKind;
	file: string;
	doneBytes?: number;
	totalBytes?: number;
	isTotalRounded: boolean;
	bytesPerSecond?: number;
	etaMs?: number;
	/** Bytes and rate come from the network counters, not from the tool: shown with ≈. */
	isEstimate: boolean;
	elapsedMs: number;
	source: DownloadSource;
	/** Other downloads running for the same row. */
	moreCount: number;
};

export type FinishedDownloadView = {
	key: string;
	package: string;
	version?: string;
	downloadKind: DownloadKind;
	file: string;
	status: 'done' | 'failed' | 'cached';
	sizeBytes?: number;
	doneBytes?: number;
	totalBytes?: number;
	durationMs?: number;
	averageBytesPerSecond?: number;
	reason?: string;
	/** doneBytes of a failed download comes from the network counters (no tool said): shown with ≈. */
	isEstimate?: boolean;
};

export type DownloadSummaryView = {
	kind: 'summary';
	/** The largest finished (or failed) download: the one worth a line. */
	main: FinishedDownloadView;
	/** Other finished downloads of the row, and their bytes. */
	otherCount: number;
	otherBytes: number;
	failedCount: number;
	cachedCount: number;
	cachedBytes: number;
};

export type DownloadLineView = ActiveDownloadView | DownloadSummaryView;

/** Whether a download belongs under this row: its platform, or `*` (shared vertex) under the build's first row. */
export function isDownloadOfRow(record: DownloadRecord, buildId: string, platform: string, buildPlatforms: string[]): boolean {
	if (record.buildId !== buildId) return false;
	if (record.platform === platform) return true;
	if (buildPlatforms.length <= 1) return true;
	return record.platform === '*' && buildPlatforms[0] === platform;
}

export function downloadsOfRow(state: DomainState, buildId: string, platform: string): DownloadRecord[] {
	const build = state.builds.byId[buildId];
	const platforms = build ? platformsOf(build) : [];
	const out: DownloadRecord[] = [];
	for (const key of state.downloads.order) {
		const record = state.downloads.byKey[key]!;
		if (isDownloadOfRow(record, buildId, platform, platforms)) out.push(record);
	}
	return out;
}

/** The line under a platform row: the biggest download in progress, else a summary of the finished ones. */
export function selectDownloadLine(state: DomainState, buildId: string, platform: string, nowMs: number): DownloadLineView | undefined {
	const records = downloadsOfRow(state, buildId, platform);
	if (records.length === 0) return undefined;
	const active = records.filter(r => r.status === 'active');
	if (active.length > 0) {
		const main = active.reduce((best, r) => (size(r) > size(best) ? r : best));
		const estimate = main.doneBytes === undefined ? estimateFor(state.downloads, main.key, nowMs) : undefined;
		return activeView(main, active.length - 1, nowMs, estimate);
	}
	const finished = records.filter(r => r.status === 'done' || r.status === 'failed');
	const cached = records.filter(r => r.status === 'cached');
	if (finished.length === 0 && cached.length === 0) return undefined;
	if (finished.length === 0) {
		// Only cache hits: say so with the biggest one.
		const main = cached.reduce((best, r) => (size(r) > size(best) ? r : best));
		return {
			kind: 'summary',
			main: finishedView(main),
			otherCount: 0,
			otherBytes: 0,
			failedCount: 0,
			cachedCount: cached.length,
			cachedBytes: cached.reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0),
		};
	}
	// A failure is what matters most; otherwise the biggest download.
	const failed = finished.filter(r => r.status === 'failed');
	const pool = failed.length > 0 ? failed : finished;
	const main = pool.reduce((best, r) => (size(r) > size(best) ? r : best));
	const others = finished.filter(r => r !== main);
	return {
		kind: 'summary',
		main: finishedView(main, state.downloads),
		otherCount: others.length,
		otherBytes: others.reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0),
		failedCount: failed.length,
		cachedCount: cached.length,
		cachedBytes: cached.reduce((sum, r) => sum + (r.sizeBytes ?? 0), 0),
	};
}

function activeView(record: DownloadRecord, moreCount: number, nowMs: number, estimate: Estimate | undefined): ActiveDownloadView {
	const view: ActiveDownloadView = {
		kind: 'active',
		key: record.key,
		package: record.package,
		downloadKind: record.kind,
		file: record.file,
		isTotalRounded: record.isTotalRounded,
		isEstimate: false,
		elapsedMs: Math.max(0, nowMs - record.startedAt),
		source: record.source,
		moreCount,
	};
	if (record.version !== undefined) view.version = record.version;
	if (record.totalBytes !== undefined) view.totalBytes = record.totalBytes;
	if (record.doneBytes !== undefined) {
		view.doneBytes = record.doneBytes;
		if (record.bytesPerSecond !== undefined) view.bytesPerSecond = record.bytesPerSecond;
		if (record.etaMs !== undefined) view.etaMs = record.etaMs;
		else if (record.bytesPerSecond && record.totalBytes !== undefined)
			view.etaMs = Math.round(((record.totalBytes - record.doneBytes) / record.bytesPerSecond) * 1000);
	} else if (estimate) {
		view.isEstimate = true;
		view.source = 'network-estimate';
		view.doneBytes = estimate.doneBytes;
		if (estimate.bytesPerSecond !== undefined) {
			view.bytesPerSecond = estimate.bytesPerSecond;
			if (record.totalBytes !== undefined && estimate.bytesPerSecond > 0)
				view.etaMs = Math.round(((record.totalBytes - estimate.doneBytes) / estimate.bytesPerSecond) * 1000);
		}
	}
	return view;
}

function finishedView(record: DownloadRecord, downloads?: DownloadsState): FinishedDownloadView {
	const view: FinishedDownloadView = {
		key: record.key,
		package: record.package,
		downloadKind: record.kind,
		file: record.file,
		status: record.status === 'failed' ? 'failed' : record.status === 'cached' ? 'cached' : 'done',
	};
	if (record.version !== undefined) view.version = record.version;
	if (record.sizeBytes !== undefined) view.sizeBytes = record.sizeBytes;
	if (record.doneBytes !== undefined) view.doneBytes = record.doneBytes;
	if (record.totalBytes !== undefined) view.totalBytes = record.totalBytes;
	if (record.durationMs !== undefined) view.durationMs = record.durationMs;
	if (record.averageBytesPerSecond !== undefined) view.averageBytesPerSecond = record.averageBytesPerSecond;
	if (record.reason !== undefined) view.reason = record.reason;
	// a failed download no tool reported live: what arrived, as the network counters saw it until it ended
	if (record.status === 'failed' && record.doneBytes === undefined && downloads && record.finishedAt !== undefined) {
		const estimate = estimateFor(downloads, record.key, record.finishedAt);
		if (estimate) {
			view.doneBytes = estimate.doneBytes;
			view.isEstimate = true;
		}
	}
	return view;
}

function size(record: DownloadRecord): number {
	return record.sizeBytes ?? record.totalBytes ?? record.doneBytes ?? 0;
}

// ---- --json summary ----

export type DownloadSummaryJson = {
	buildId: string;
	platform: string;
	package: string;
	version?: string;
	file: string;
	kind: DownloadKind;
	tool: DownloadTool;
	status: 'done' | 'failed' | 'cached' | 'active';
	sizeBytes?: number;
	isSizeRounded: boolean;
	startedAt: number;
	durationMs?: number;
	/** Average over the whole download. */
	bytesPerSecond?: number;
	/** Which evidence gave the numbers. */
	source: DownloadSource;
	isEstimate: boolean;
	reason?: string;
};

/** Every tracked download, in start order, as plain JSON for `--json` and reports. */
export function selectDownloadSummaries(state: DomainState): DownloadSummaryJson[] {
	return state.downloads.order.map(key => {
		const r = state.downloads.byKey[key]!;
		const item: DownloadSummaryJson = {
			buildId: r.buildId,
			platform: r.platform,
			package: r.package,
			file: r.file,
			kind: r.kind,
			tool: r.tool,
			status: r.status,
			isSizeRounded: r.isTotalRounded,
			startedAt: r.startedAt,
			source: r.source,
			isEstimate: r.isEstimate,
		};
		if (r.version !== undefined) item.version = r.version;
		const sizeBytes = r.sizeBytes ?? (r.status === 'failed' ? undefined : r.totalBytes);
		if (sizeBytes !== undefined) item.sizeBytes = sizeBytes;
		if (r.durationMs !== undefined) item.durationMs = r.durationMs;
		if (r.averageBytesPerSecond !== undefined) item.bytesPerSecond = r.averageBytesPerSecond;
		if (r.reason !== undefined) item.reason = r.reason;
		return item;
	});
}

// ---- network-counter estimate (source 4) ----

export type Estimate = {doneBytes: number; bytesPerSecond?: number};

export type EstimateDownload = {
	key: string;
	startedAt: number;
	/** When it stopped; absent while it runs. */
	endedAt?: number;
	totalBytes?: number;
};

/**
 * Splits the rx bytes counted between samples among the downloads running at that moment, in equal parts (each
 * interval is cut where a download starts or ends; bytes counted while none runs belong to none). A download's
 * estimate is the sum of its parts (capped at its total) and the rate is its part of the last interval. Counters
 * that go down (container restarted) start a new baseline. Every download running shares the link, also those a
 * tool reports live, so pass them all and use the estimate only for those without live bytes.
 */
export function estimateFromRx(samples: readonly RxSample[], downloads: readonly EstimateDownload[]): Map<string, Estimate> {
	const done = new Map<string, number>();
	const rate = new Map<string, number>();
	for (const d of downloads) done.set(d.key, 0);
	for (let i = 1; i < samples.length; i++) {
		const a = samples[i - 1]!;
		const b = samples[i]!;
		const span = b.at - a.at;
		const delta = b.rxBytes - a.rxBytes;
		if (span <= 0 || delta < 0) continue;
		const bytesPerMs = delta / span;
		const cuts = new Set<number>([a.at, b.at]);
		for (const d of downloads) {
			if (d.startedAt > a.at && d.startedAt < b.at) cuts.add(d.startedAt);
			if (d.endedAt !== undefined && d.endedAt > a.at && d.endedAt < b.at) cuts.add(d.endedAt);
		}
		const points = [...cuts].sort((x, y) => x - y);
		const isLast = i === samples.length - 1;
		for (let j = 1; j < points.length; j++) {
			const from = points[j - 1]!;
			const to = points[j]!;
			const running = downloads.filter(d => d.startedAt <= from && (d.endedAt === undefined || d.endedAt >= to));
			if (running.length === 0) continue;
			const share = (bytesPerMs * (to - from)) / running.length;
			for (const d of running) {
				done.set(d.key, done.get(d.key)! + share);
				if (isLast && j === points.length - 1) rate.set(d.key, (bytesPerMs * 1000) / running.length);
			}
		}
	}
	const out = new Map<string, Estimate>();
	for (const d of downloads) {
		let bytes = Math.round(done.get(d.key)!);
		if (d.totalBytes !== undefined) bytes = Math.min(bytes, d.totalBytes);
		const estimate: Estimate = {doneBytes: bytes};
		const r = rate.get(d.key);
		if (r !== undefined && d.endedAt === undefined) estimate.bytesPerSecond = Math.round(r);
		out.set(d.key, estimate);
	}
	return out;
}

/**
 * The estimate for one download from the slice's rx rings (summed over nodes: a download's node is not known).
 * Undefined when no counter moved while it ran: with host networking BuildKit's container counts nothing, and
 * then bxtop shows no rate rather than an invented one.
 */
export function estimateFor(state: DownloadsState, key: string, nowMs: number): Estimate | undefined {
	const target = state.byKey[key];
	if (!target) return undefined;
	const downloads: EstimateDownload[] = [];
	for (const k of state.order) {
		const r = state.byKey[k]!;
		if (r.status === 'cached') continue;
		const ended = r.status === 'active' ? undefined : r.finishedAt;
		if (ended !== undefined && ended < target.startedAt) continue;
		const d: EstimateDownload = {key: r.key, startedAt: r.startedAt};
		if (ended !== undefined) d.endedAt = ended;
		if (r.totalBytes !== undefined) d.totalBytes = r.totalBytes;
		downloads.push(d);
	}
	const fromRing = (ring: readonly RxSample[]): Estimate | undefined => {
		const from = ring.findIndex(s => s.at >= target.startedAt);
		if (from === -1) return undefined;
		const samples = ring.slice(Math.max(0, from - 1)).filter(s => s.at <= Math.max(nowMs, target.startedAt));
		const estimate = estimateFromRx(samples, downloads).get(key);
		return estimate && estimate.doneBytes > 0 ? estimate : undefined;
	};
	let total: Estimate | undefined;
	for (const ring of Object.values(state.rxByNode)) {
		const estimate = fromRing(ring);
		if (!estimate) continue;
		total = total
			? {doneBytes: total.doneBytes + estimate.doneBytes, ...sumRate(total.bytesPerSecond, estimate.bytesPerSecond)}
			: estimate;
	}
	// No BuildKit container counter moved (docker driver, host networking): this machine's own counter, which the
	// container's traffic would also have crossed, so it is used only instead of the container rings, never added.
	total ??= fromRing(state.hostRx);
	if (total && target.totalBytes !== undefined) total.doneBytes = Math.min(total.doneBytes, target.totalBytes);
	return total;
}

function sumRate(a: number | undefined, b: number | undefined): {bytesPerSecond?: number} {
	if (a === undefined && b === undefined) return {};
	return {bytesPerSecond: (a ?? 0) + (b ?? 0)};
}
