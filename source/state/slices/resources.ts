// The resources slice: the builder and what is measured per node, container stats with 60-sample rings for the
// sparklines, the Docker host, the build cache and the prunes. It also keeps the session's aggregates (peaks, sums
// for means, counter totals, cache and free disk first/last) that the one session summary (report/metrics.ts)
// reads for --json and the report alike. Pure and bounded: rings of `ringSize`, at most `prunesKept` prunes.
import {isContainerRestart, type CounterName} from '../../lib/session-measures.js';
import type {
	BuilderInfo,
	CacheMeasureReason,
	CacheUsage,
	HostSample,
	NodeTarget,
	PruneCommandId,
	ResourceEvent,
	StatsSample,
	StatsUnavailableReason,
} from '../../domain/resources-events.js';

/** 60 samples at 1 Hz: the sparklines' minute. */
export const ringSize = 60;
const prunesKept = 50;

export type NodeStatus = 'waiting' | 'ok' | 'unavailable' | 'not-measurable';

export type NodeResources = {
	node: string;
	container?: string;
	dockerHost?: string;
	status: NodeStatus;
	/** Why the node is not measurable, or what went wrong while it is unavailable. */
	message?: string;
	unavailableReason?: StatsUnavailableReason;
	unavailableSince?: number;
	latest?: StatsSample;
	latestAt?: number;
	cpuHistory: number[];
	memoryHistory: number[];
	netRxRateHistory: number[];
	netTxRateHistory: number[];
	blockReadRateHistory: number[];
	blockWriteRateHistory: number[];
	peakCpuPercent: number;
	peakMemoryBytes: number;
	peakNetRxBytesPerSecond: number;
	peakNetTxBytesPerSecond: number;
	peakBlockReadBytesPerSecond: number;
	peakBlockWriteBytesPerSecond: number;
	cpuPercentSum: number;
	memoryBytesSum: number;
	sampleCount: number;
	/** The latest limit a sample gave (docker stats shows 0 before it has one). */
	memoryLimitBytes?: number;
	/** Bytes received / sent / read / written during the session (counter deltas; a restart counts from zero). */
	netRxTotalBytes: number;
	netTxTotalBytes: number;
	blockReadTotalBytes: number;
	blockWriteTotalBytes: number;
	containerId?: string;
	/** Times the container came back with a new id or reset counters. */
	restarts: number;
	/** Times the stats became unavailable. */
	outages: number;
};

export type CacheSnapshot = {at: number; totalBytes: number; reclaimableBytes: number; recordCount?: number; reason?: CacheMeasureReason};

export type CacheState = {
	builder?: string;
	latest?: CacheUsage;
	latestAt?: number;
	latestReason?: CacheMeasureReason;
	latestDurationMs?: number;
	/** The session's first measurement: "before" in the summary. */
	first?: CacheSnapshot;
	error?: {at: number; message: string; reason: CacheMeasureReason};
	measureCount: number;
};

export type PruneRecord = {
	pruneId: string;
	/** 'unknown': its end was recorded but not its start (a damaged recording): kept, so the report still lists it. */
	commandId: PruneCommandId | 'unknown';
	builder: string;
	argv: string[];
	startedAt: number;
	estimateBytes?: number;
	status: 'running' | 'done' | 'failed';
	recordsRemoved: number;
	bytesRemoved: number;
	reclaimedBytes?: number;
	endedAt?: number;
	durationMs?: number;
	error?: string;
	exitCode?: number | null;
	cacheBefore?: CacheSnapshot;
	cacheAfter?: CacheSnapshot;
};

export type HostState = {
	latest?: HostSample;
	latestAt?: number;
	cpuHistory: number[];
	memoryHistory: number[];
	peakCpuPercent: number;
	peakMemoryUsedBytes: number;
	diskFreeFirst?: DiskFree;
	diskFreeLast?: DiskFree;
	diskFreeMinBytes?: number;
};

export type DiskFree = {at: number; bytes: number; path?: string};

export type ResourcesState = {
	builder?: BuilderInfo;
	buildxVersion?: string;
	targets: NodeTarget[];
	inspectedAt?: number;
	builderError?: {at: number; message: string};
	nodes: Record<string, NodeResources>;
	/** Every node seen this session, in order of appearance. */
	nodeOrder: string[];
	host: HostState;
	cache: CacheState;
	prunes: PruneRecord[];
	/** When the samplers were stopped at the end of the builds (their last samples then age by design). */
	samplingStoppedAt?: number;
};

export const initialHostState: HostState = {cpuHistory: [], memoryHistory: [], peakCpuPercent: 0, peakMemoryUsedBytes: 0};

export const initialResourcesState: ResourcesState = {
	targets: [],
	nodes: {},
	nodeOrder: [],
	host: initialHostState,
	cache: {measureCount: 0},
	prunes: [],
};

export function reduceResources(state: ResourcesState, event: ResourceEvent): ResourcesState {
	switch (event.type) {
		case 'builder/inspected':
			return inspected(state, event.builder, event.targets, event.buildxVersion, event.at);
		case 'builder/inspect-failed':
			return {...state, builderError: {at: event.at, message: event.message}};
		case 'stats/sampled':
			return sampled(state, event.sample, event.at);
		case 'stats/unavailable':
			return withNode(state, event.node, node => {
				if (node.status === 'not-measurable') return node;
				const isNewOutage = node.status !== 'unavailable';
				const next: NodeResources = {
					...node,
					status: 'unavailable',
					unavailableReason: event.reason,
					message: event.message,
					unavailableSince: isNewOutage ? event.at : (node.unavailableSince ?? event.at),
					outages: node.outages + (isNewOutage ? 1 : 0),
				};
				if (event.container) next.container = event.container;
				return next;
			});
		case 'host/sampled':
			return {...state, host: hostSampled(state.host, event.host, event.at)};
		case 'sampling/stopped':
			return state.samplingStoppedAt === undefined ? {...state, samplingStoppedAt: event.at} : state;
		case 'cache/measured':
			return cacheMeasured(state, event.builder, event.usage, event.reason, event.durationMs, event.at);
		case 'cache/measure-failed':
			return {
				...state,
				cache: {...state.cache, builder: event.builder, error: {at: event.at, message: event.message, reason: event.reason}},
			};
		case 'prune/started': {
			const record: PruneRecord = {
				pruneId: event.pruneId,
				commandId: event.commandId,
				builder: event.builder,
				argv: event.argv,
				startedAt: event.at,
				status: 'running',
				recordsRemoved: 0,
				bytesRemoved: 0,
			};
			if (event.estimateBytes !== undefined) record.estimateBytes = event.estimateBytes;
			const before = snapshot(state.cache);
			if (before) record.cacheBefore = before;
			return {...state, prunes: [...state.prunes, record].slice(-prunesKept)};
		}
		case 'prune/progressed':
			return withPrune(state, event.pruneId, undefined, p => ({...p, recordsRemoved: event.recordsRemoved, bytesRemoved: event.bytesRemoved}));
		case 'prune/finished':
			return withPrune(state, event.pruneId, event, p => ({
				...p,
				status: 'done',
				reclaimedBytes: event.reclaimedBytes,
				recordsRemoved: event.recordsRemoved,
				endedAt: event.at,
				durationMs: event.durationMs,
			}));
		case 'prune/failed':
			return withPrune(state, event.pruneId, event, p => {
				const next: PruneRecord = {...p, status: 'failed', error: event.message, endedAt: event.at, durationMs: event.durationMs};
				if (event.exitCode !== undefined) next.exitCode = event.exitCode;
				return next;
			});
		default: {
			const unknown: never = event;
			void unknown;
			return state; // a namespace no slice knows ends up here: ignore it
		}
	}
}

function emptyNode(node: string): NodeResources {
	return {
		node,
		status: 'waiting',
		cpuHistory: [],
		memoryHistory: [],
		netRxRateHistory: [],
		netTxRateHistory: [],
		blockReadRateHistory: [],
		blockWriteRateHistory: [],
		peakCpuPercent: 0,
		peakMemoryBytes: 0,
		peakNetRxBytesPerSecond: 0,
		peakNetTxBytesPerSecond: 0,
		peakBlockReadBytesPerSecond: 0,
		peakBlockWriteBytesPerSecond: 0,
		cpuPercentSum: 0,
		memoryBytesSum: 0,
		sampleCount: 0,
		netRxTotalBytes: 0,
		netTxTotalBytes: 0,
		blockReadTotalBytes: 0,
		blockWriteTotalBytes: 0,
		restarts: 0,
		outages: 0,
	};
}

function inspected(state: ResourcesState, builder: BuilderInfo, targets: NodeTarget[], version: string | undefined, at: number): ResourcesState {
	const nodes = {...state.nodes};
	const order = [...state.nodeOrder];
	for (const target of targets) {
		const existing = nodes[target.node] ?? emptyNode(target.node);
		const next: NodeResources = {...existing};
		if (target.container) next.container = target.container;
		else delete next.container;
		if (target.dockerHost) next.dockerHost = target.dockerHost;
		if (target.notMeasurable) {
			next.status = 'not-measurable';
			next.message = target.notMeasurable;
		} else if (existing.status === 'not-measurable') {
			next.status = 'waiting';
			delete next.message;
		}
		nodes[target.node] = next;
		if (!order.includes(target.node)) order.push(target.node);
	}
	const next: ResourcesState = {...state, builder, targets, inspectedAt: at, nodes, nodeOrder: order};
	if (version !== undefined) next.buildxVersion = version;
	delete next.builderError;
	return next;
}

function sampled(state: ResourcesState, sample: StatsSample, at: number): ResourcesState {
	return withNode(state, sample.node, node => {
		const previous = node.latest;
		const isRestart = isContainerRestart({...(node.containerId !== undefined ? {containerId: node.containerId} : {}), ...(previous ? {counters: previous} : {})}, sample);
		// a restarted container counts from zero again: all it shows is new
		const delta = (name: CounterName) => (previous === undefined ? 0 : isRestart ? sample[name] : sample[name] - previous[name]);
		const next: NodeResources = {
			...node,
			container: sample.container,
			status: node.status === 'not-measurable' ? 'not-measurable' : 'ok',
			latest: sample,
			latestAt: at,
			cpuHistory: push(node.cpuHistory, sample.cpuPercent),
			memoryHistory: push(node.memoryHistory, sample.memoryBytes),
			netRxRateHistory: push(node.netRxRateHistory, sample.netRxBytesPerSecond ?? 0),
			netTxRateHistory: push(node.netTxRateHistory, sample.netTxBytesPerSecond ?? 0),
			blockReadRateHistory: push(node.blockReadRateHistory, sample.blockReadBytesPerSecond ?? 0),
			blockWriteRateHistory: push(node.blockWriteRateHistory, sample.blockWriteBytesPerSecond ?? 0),
			peakCpuPercent: Math.max(node.peakCpuPercent, sample.cpuPercent),
			peakMemoryBytes: Math.max(node.peakMemoryBytes, sample.memoryBytes),
			peakNetRxBytesPerSecond: Math.max(node.peakNetRxBytesPerSecond, sample.netRxBytesPerSecond ?? 0),
			peakNetTxBytesPerSecond: Math.max(node.peakNetTxBytesPerSecond, sample.netTxBytesPerSecond ?? 0),
			peakBlockReadBytesPerSecond: Math.max(node.peakBlockReadBytesPerSecond, sample.blockReadBytesPerSecond ?? 0),
			peakBlockWriteBytesPerSecond: Math.max(node.peakBlockWriteBytesPerSecond, sample.blockWriteBytesPerSecond ?? 0),
			cpuPercentSum: node.cpuPercentSum + sample.cpuPercent,
			memoryBytesSum: node.memoryBytesSum + sample.memoryBytes,
			sampleCount: node.sampleCount + 1,
			netRxTotalBytes: node.netRxTotalBytes + delta('netRxBytes'),
			netTxTotalBytes: node.netTxTotalBytes + delta('netTxBytes'),
			blockReadTotalBytes: node.blockReadTotalBytes + delta('blockReadBytes'),
			blockWriteTotalBytes: node.blockWriteTotalBytes + delta('blockWriteBytes'),
			restarts: node.restarts + (isRestart ? 1 : 0),
		};
		if (sample.containerId !== undefined) next.containerId = sample.containerId;
		if (sample.memoryLimitBytes > 0) next.memoryLimitBytes = sample.memoryLimitBytes;
		if (next.status === 'ok') {
			delete next.message;
			delete next.unavailableReason;
			delete next.unavailableSince;
		}
		return next;
	});
}

function hostSampled(host: HostState, sample: HostSample, at: number): HostState {
	const next: HostState = {
		...host,
		latest: sample,
		latestAt: at,
		cpuHistory: sample.cpuPercent === undefined ? host.cpuHistory : push(host.cpuHistory, sample.cpuPercent),
		memoryHistory: sample.memoryUsedBytes === undefined ? host.memoryHistory : push(host.memoryHistory, sample.memoryUsedBytes),
		peakCpuPercent: Math.max(host.peakCpuPercent, sample.cpuPercent ?? 0),
		peakMemoryUsedBytes: Math.max(host.peakMemoryUsedBytes, sample.memoryUsedBytes ?? 0),
	};
	if (sample.diskFreeBytes !== undefined) {
		const free: DiskFree = {at, bytes: sample.diskFreeBytes, ...(sample.diskPath ? {path: sample.diskPath} : {})};
		if (!host.diskFreeFirst) next.diskFreeFirst = free;
		next.diskFreeLast = free;
		next.diskFreeMinBytes = Math.min(host.diskFreeMinBytes ?? sample.diskFreeBytes, sample.diskFreeBytes);
	}
	return next;
}

function cacheMeasured(
	state: ResourcesState,
	builder: string,
	usage: CacheUsage,
	reason: CacheMeasureReason,
	durationMs: number,
	at: number,
): ResourcesState {
	const cache: CacheState = {
		...state.cache,
		builder,
		latest: usage,
		latestAt: at,
		latestReason: reason,
		latestDurationMs: durationMs,
		measureCount: state.cache.measureCount + 1,
	};
	if (!cache.first) cache.first = {at, totalBytes: usage.totalBytes, reclaimableBytes: usage.reclaimableBytes, recordCount: usage.recordCount, reason};
	delete cache.error;
	// The first measurement after a prune ended is that prune's "after".
	let prunes = state.prunes;
	const last = prunes[prunes.length - 1];
	if (last && last.status !== 'running' && !last.cacheAfter && last.endedAt !== undefined && at >= last.endedAt) {
		prunes = [...prunes.slice(0, -1), {...last, cacheAfter: {at, totalBytes: usage.totalBytes, reclaimableBytes: usage.reclaimableBytes}}];
	}
	return {...state, cache, prunes};
}

function snapshot(cache: CacheState): CacheSnapshot | undefined {
	if (!cache.latest || cache.latestAt === undefined) return undefined;
	return {at: cache.latestAt, totalBytes: cache.latest.totalBytes, reclaimableBytes: cache.latest.reclaimableBytes};
}

function withNode(state: ResourcesState, name: string, change: (node: NodeResources) => NodeResources): ResourcesState {
	const existing = state.nodes[name];
	const node = change(existing ?? emptyNode(name));
	const nodeOrder = existing ? state.nodeOrder : [...state.nodeOrder, name];
	return {...state, nodes: {...state.nodes, [name]: node}, nodeOrder};
}

/** `ended`: a prune's end; when its start is not in the state, the prune is kept all the same, of unknown command. */
function withPrune(state: ResourcesState, pruneId: string, ended: {at: number; durationMs: number} | undefined, change: (p: PruneRecord) => PruneRecord): ResourcesState {
	const index = state.prunes.findIndex(p => p.pruneId === pruneId);
	if (index === -1) {
		if (!ended) return state;
		const unknown: PruneRecord = {pruneId, commandId: 'unknown', builder: '', argv: [], startedAt: ended.at - ended.durationMs, status: 'running', recordsRemoved: 0, bytesRemoved: 0};
		return {...state, prunes: [...state.prunes, change(unknown)].slice(-prunesKept)};
	}
	const prunes = state.prunes.slice();
	prunes[index] = change(prunes[index]!);
	return {...state, prunes};
}

function push(ring: number[], value: number): number[] {
	const next = ring.length >= ringSize ? ring.slice(ring.length - ringSize + 1) : ring.slice();
	next.push(Number.isFinite(value) ? value : 0);
	return next;
}
