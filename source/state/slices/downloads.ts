// The downloads slice (issue 5): one record per tracked download (wheel, file, layer) keyed by build and download id,
// with live progress while it runs and size / duration / average rate once it is over. It also keeps a short ring
// of BuildKit container rx counters (`stats/sampled`), so a download no tool reports live can be estimated from the
// network (download-selectors.ts). Pure: times come from the events.
import type {DownloadEvent, DownloadIdentity, DownloadRef, DownloadSource} from '../../domain/downloads-events.js';
import type {ResourceEvent} from '../../domain/resources-events.js';
import type {BuildEvent} from '../../domain/events.js';

export type DownloadStatus = 'active' | 'done' | 'failed' | 'cached';

/** A download: who it is (the ref and identity its events carry) and how it went. */
export type DownloadRecord = Omit<DownloadRef, 'at'> & DownloadIdentity & {
	/** downloadKey(record): a download id is unique only within its build. */
	key: string;
	url?: string;
	status: DownloadStatus;
	startedAt: number;
	totalBytes?: number;
	isTotalRounded: boolean;
	/** Latest bytes a source reported (absent while no tool reports live: plain pip). */
	doneBytes?: number;
	/** Rate a source reported or the tracker measured with the latest progress. */
	bytesPerSecond?: number;
	etaMs?: number;
	progressAt?: number;
	source: DownloadSource;
	isEstimate: boolean;
	finishedAt?: number;
	durationMs?: number;
	sizeBytes?: number;
	/** Average over the whole download (finished only). */
	averageBytesPerSecond?: number;
	reason?: string;
	/** It was still running when its build exited: the build's end ended it (failed, or cancelled). */
	isEndedByBuild?: boolean;
};

export type RxSample = {at: number; rxBytes: number};

export type DownloadsState = {
	order: string[];
	byKey: Record<string, DownloadRecord>;
	/** BuildKit container rx counters per node (ring), for the network estimate. */
	rxByNode: Record<string, RxSample[]>;
	/** This machine's rx counter (ring): the estimate's fallback when no container counter moved. */
	hostRx: RxSample[];
	/** Whether any download event arrived: a session recorded without download tracking has none. */
	hasEvents: boolean;
	/** Tool cache hits per `buildId|platform`, counted whole (their records may be dropped). */
	cacheHits: Record<string, number>;
	/** Per build, finished downloads (done or failed, not pushes) dropped to keep `maxDownloadRecords`: the
	 * session summary says it lists fewer. Cache hits go first and are counted in `cacheHits` anyway. */
	droppedByBuild: Record<string, number>;
};

export const initialDownloadsState: DownloadsState = {order: [], byKey: {}, rxByNode: {}, hostRx: [], hasEvents: false, cacheHits: {}, droppedByBuild: {}};

/** Records kept; beyond this the oldest finished ones go (an active one is never dropped). */
export const maxDownloadRecords = 400;
/** rx samples kept per node: about 15 minutes at one a second. */
export const maxRxSamples = 900;

export type StatsSampledEvent = Extract<ResourceEvent, {type: 'stats/sampled' | 'host/sampled'}>;
export type BuildExitedEvent = Extract<BuildEvent, {type: 'build/exited'}>;

/** The key of a download in `byKey` and `order`. */
export function downloadKey(ref: Pick<DownloadRef, 'buildId' | 'downloadId'>): string {
	return `${ref.buildId}|${ref.downloadId}`;
}

/**
 * Download events, plus `stats/sampled` when the root reducer routes it here too (for the network estimate), and
 * `build/exited`: a download still running when its build exits ends with it.
 */
export function reduceDownloads(state: DownloadsState, event: DownloadEvent | StatsSampledEvent | BuildExitedEvent): DownloadsState {
	switch (event.type) {
		case 'build/exited':
			return endedWithBuild(state, event);
		case 'download/started': {
			const record: DownloadRecord = {...recordFrom(event, downloadKey(event)), isTotalRounded: event.isTotalRounded};
			if (event.url !== undefined) record.url = event.url;
			if (event.totalBytes !== undefined) record.totalBytes = event.totalBytes;
			if (event.initialBytes !== undefined) record.doneBytes = event.initialBytes;
			return put(state, record);
		}
		case 'download/progressed': {
			const record = state.byKey[downloadKey(event)];
			if (!record || record.status !== 'active') return state;
			const next: DownloadRecord = {...record, doneBytes: event.doneBytes, progressAt: event.at, source: event.source, isEstimate: event.isEstimate};
			if (event.totalBytes !== undefined) next.totalBytes = event.totalBytes;
			if (event.bytesPerSecond !== undefined) next.bytesPerSecond = event.bytesPerSecond;
			else delete next.bytesPerSecond;
			if (event.etaMs !== undefined) next.etaMs = event.etaMs;
			else delete next.etaMs;
			return put(state, next);
		}
		case 'download/finished': {
			const key = downloadKey(event);
			const base = state.byKey[key] ?? recordFrom(event, key);
			const next: DownloadRecord = {
				...base,
				status: 'done',
				startedAt: event.startedAt,
				finishedAt: event.at,
				durationMs: event.durationMs,
				source: event.source,
				isEstimate: event.isEstimate,
			};
			if (event.sizeBytes !== undefined) {
				next.sizeBytes = event.sizeBytes;
				next.doneBytes = event.sizeBytes;
			}
			next.isTotalRounded = event.isSizeRounded;
			if (event.bytesPerSecond !== undefined) next.averageBytesPerSecond = event.bytesPerSecond;
			delete next.etaMs;
			return put(state, next);
		}
		case 'download/failed': {
			const key = downloadKey(event);
			const base = state.byKey[key] ?? recordFrom(event, key);
			const next: DownloadRecord = {...base, status: 'failed', finishedAt: event.at, durationMs: event.durationMs, reason: event.reason};
			if (event.doneBytes !== undefined) next.doneBytes = event.doneBytes;
			if (event.totalBytes !== undefined) next.totalBytes = event.totalBytes;
			delete next.etaMs;
			return put(state, next);
		}
		case 'download/cache-hit': {
			const key = downloadKey(event);
			const record: DownloadRecord = {...recordFrom(event, key), status: 'cached', finishedAt: event.at, durationMs: 0};
			if (event.url !== undefined) record.url = event.url;
			if (event.sizeBytes !== undefined) record.sizeBytes = event.sizeBytes;
			record.isTotalRounded = event.isSizeRounded;
			const hitKey = `${event.buildId}|${event.platform}`;
			return put({...state, cacheHits: {...state.cacheHits, [hitKey]: (state.cacheHits[hitKey] ?? 0) + 1}}, record);
		}
		case 'host/sampled': {
			const rxBytes = event.host.netRxBytes;
			const last = state.hostRx[state.hostRx.length - 1];
			if (rxBytes === undefined || (last && last.at >= event.at)) return state;
			const ring = state.hostRx.length >= maxRxSamples ? state.hostRx.slice(state.hostRx.length - maxRxSamples + 1) : state.hostRx.slice();
			ring.push({at: event.at, rxBytes});
			return {...state, hostRx: ring};
		}
		case 'stats/sampled': {
			const node = event.sample.node || event.sample.container;
			const ring = state.rxByNode[node] ?? [];
			const last = ring[ring.length - 1];
			if (last && last.at >= event.at) return state; // out of order or repeated: keep the ring monotonic
			const next = ring.length >= maxRxSamples ? ring.slice(ring.length - maxRxSamples + 1) : ring.slice();
			next.push({at: event.at, rxBytes: event.sample.netRxBytes});
			return {...state, rxByNode: {...state.rxByNode, [node]: next}};
		}
		default: {
			const unreachable: never = event;
			void unreachable;
			return state;
		}
	}
}

/**
 * The build exited while downloads of it were still active (the step never completed: the builder went away, the
 * build was cancelled): they end there as failed or cancelled, keeping the bytes that arrived. A build that
 * succeeded completed its steps, and the tracker ended their downloads then.
 */
function endedWithBuild(state: DownloadsState, event: BuildExitedEvent): DownloadsState {
	if (event.exitCode === 0 && !event.isCancelled) return state;
	let byKey: Record<string, DownloadRecord> | undefined;
	for (const key of state.order) {
		const record = state.byKey[key]!;
		if (record.buildId !== event.buildId || record.status !== 'active') continue;
		const endedAt = Math.max(event.at, record.progressAt ?? record.startedAt);
		const reason = event.isCancelled ? 'cancelled' : `build failed${event.exitCode !== null ? ` (exit code ${event.exitCode})` : event.signal ? ` (${event.signal})` : ''}`;
		const next: DownloadRecord = {...record, status: 'failed', finishedAt: endedAt, durationMs: endedAt - record.startedAt, reason, isEndedByBuild: true};
		delete next.etaMs;
		delete next.bytesPerSecond;
		byKey ??= {...state.byKey};
		byKey[key] = next;
	}
	return byKey ? {...state, byKey} : state;
}

type Identified = Extract<DownloadEvent, {package: string}>;

/** A record for an event whose start was never seen (a recording cut in the middle). */
function recordFrom(event: Identified, key: string): DownloadRecord {
	const record: DownloadRecord = {
		key,
		buildId: event.buildId,
		platform: event.platform,
		downloadId: event.downloadId,
		package: event.package,
		file: event.file,
		kind: event.kind,
		tool: event.tool,
		vertex: event.vertex,
		status: 'active',
		startedAt: 'startedAt' in event ? event.startedAt : event.at,
		isTotalRounded: true,
		source: event.source,
		isEstimate: false,
	};
	if (event.version !== undefined) record.version = event.version;
	return record;
}

function put(state: DownloadsState, record: DownloadRecord): DownloadsState {
	const isNew = !state.byKey[record.key];
	const byKey = {...state.byKey, [record.key]: record};
	let order = isNew ? [...state.order, record.key] : state.order;
	let droppedByBuild = state.droppedByBuild;
	if (order.length > maxDownloadRecords) {
		// the oldest cache hits first (counted whole in cacheHits), then the oldest finished; never an active one
		const drop = new Set<string>();
		for (const isCandidate of [(r: DownloadRecord) => r.status === 'cached', (r: DownloadRecord) => r.status !== 'active']) {
			for (const key of order) {
				if (order.length - drop.size <= maxDownloadRecords) break;
				if (isCandidate(byKey[key]!)) drop.add(key);
			}
		}
		order = order.filter(key => !drop.has(key));
		for (const key of drop) {
			const dropped = byKey[key]!;
			if ((dropped.status === 'done' || dropped.status === 'failed') && dropped.kind !== 'layer-push') {
				droppedByBuild = {...droppedByBuild, [dropped.buildId]: (droppedByBuild[dropped.buildId] ?? 0) + 1};
			}
			delete byKey[key];
		}
	}
	return {...state, order, byKey, hasEvents: true, droppedByBuild};
}
