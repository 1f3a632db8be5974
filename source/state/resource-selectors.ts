// Derived views of the resources slice for the panels, the plain reporter and the session summary. Pure functions
// of (state, now): a node row per BuildKit node, the host line, the cache view, warnings (low disk, a container that
// went away, a failed du or prune) and the summary's aggregates.
import type {DomainState} from './reducer.js';
import type {CacheRecord} from '../domain/resources-events.js';
import type {NodeResources, NodeStatus, PruneRecord, ResourcesState} from './slices/resources.js';
import {formatBytes, formatDuration} from '../lib/format.js';
import {cacheBeforeAfter} from '../lib/session-measures.js';
import {firstBuildStartMs} from './selectors.js';

/** A sample older than this is shown as stale (the stream stalled without an error). */
export const staleAfterMs = 5_000;
/** What a node row and the host say once the samplers were stopped on purpose (not a fault). */
export const samplingStoppedText = 'sampling stopped at end of builds';
export const defaultMinFreeBytes = 10e9;

export type ResourceRow = {
	node: string;
	container?: string;
	status: NodeStatus;
	/** What to say instead of numbers: not measurable, waiting, container gone, daemon away. */
	message?: string;
	isStale: boolean;
	/** Sampling was stopped at the end of the builds: the figures are the last sample's, old by design. */
	isSamplingStopped: boolean;
	cpuPercent?: number;
	memoryBytes?: number;
	memoryLimitBytes?: number;
	netRxBytesPerSecond?: number;
	netTxBytesPerSecond?: number;
	blockReadBytesPerSecond?: number;
	blockWriteBytesPerSecond?: number;
	cpuHistory: number[];
	memoryHistory: number[];
	netRxRateHistory: number[];
	blockWriteRateHistory: number[];
	peakCpuPercent: number;
	meanCpuPercent?: number;
	peakMemoryBytes: number;
	netRxTotalBytes: number;
	restarts: number;
};

export function selectResourceRows(state: DomainState, nowMs: number): ResourceRow[] {
	const resources = state.resources;
	return resources.nodeOrder.filter(name => isCurrentNode(resources, name)).map(name => rowOf(resources.nodes[name]!, nowMs, resources.samplingStoppedAt));
}

/** Nodes of the builder as inspected last, and any node heard from since (before any inspection: all of them). */
function isCurrentNode(resources: ResourcesState, name: string): boolean {
	if (resources.targets.length === 0 || resources.targets.some(t => t.node === name)) return true;
	const node = resources.nodes[name];
	const heard = Math.max(node?.latestAt ?? -Infinity, node?.unavailableSince ?? -Infinity);
	return resources.inspectedAt !== undefined && heard >= resources.inspectedAt;
}

function rowOf(node: NodeResources, nowMs: number, stoppedAt: number | undefined): ResourceRow {
	const row: ResourceRow = {
		node: node.node,
		status: node.status,
		isStale: stoppedAt === undefined && node.status === 'ok' && node.latestAt !== undefined && nowMs - node.latestAt > staleAfterMs,
		isSamplingStopped: stoppedAt !== undefined,
		cpuHistory: node.cpuHistory,
		memoryHistory: node.memoryHistory,
		netRxRateHistory: node.netRxRateHistory,
		blockWriteRateHistory: node.blockWriteRateHistory,
		peakCpuPercent: node.peakCpuPercent,
		peakMemoryBytes: node.peakMemoryBytes,
		netRxTotalBytes: node.netRxTotalBytes,
		restarts: node.restarts,
	};
	if (node.container) row.container = node.container;
	if (node.sampleCount > 0) row.meanCpuPercent = node.cpuPercentSum / node.sampleCount;
	const message = statusMessage(node, nowMs, stoppedAt);
	if (message) row.message = message;
	const s = node.latest;
	if (s && node.status === 'ok') {
		row.cpuPercent = s.cpuPercent;
		row.memoryBytes = s.memoryBytes;
		row.memoryLimitBytes = s.memoryLimitBytes;
		if (s.netRxBytesPerSecond !== undefined) row.netRxBytesPerSecond = s.netRxBytesPerSecond;
		if (s.netTxBytesPerSecond !== undefined) row.netTxBytesPerSecond = s.netTxBytesPerSecond;
		if (s.blockReadBytesPerSecond !== undefined) row.blockReadBytesPerSecond = s.blockReadBytesPerSecond;
		if (s.blockWriteBytesPerSecond !== undefined) row.blockWriteBytesPerSecond = s.blockWriteBytesPerSecond;
	}
	return row;
}

function statusMessage(node: NodeResources, nowMs: number, stoppedAt: number | undefined): string | undefined {
	switch (node.status) {
		case 'not-measurable':
			return node.message;
		case 'waiting':
			if (stoppedAt !== undefined) return `no sample${node.container ? ` of ${node.container}` : ''} before the builds ended; ${samplingStoppedText}`;
			return node.container ? `waiting for stats of ${node.container}` : 'waiting for stats';
		case 'unavailable': {
			// once sampling stopped, the outage ends where sampling did, and nothing retries
			const until = stoppedAt ?? nowMs;
			const since = node.unavailableSince === undefined ? '' : ` for ${formatDuration(Math.max(0, until - node.unavailableSince))}`;
			const what =
				node.unavailableReason === 'container-missing'
					? `${node.container ?? 'container'} is gone`
					: node.unavailableReason === 'container-stopped'
						? `${node.container ?? 'container'} is stopped`
						: node.unavailableReason === 'daemon-unreachable'
							? 'Docker daemon unreachable'
							: 'stats unavailable';
			const next = stoppedAt === undefined ? 'retrying' : samplingStoppedText;
			return `${what}${since}; ${next}${node.message ? ` (${node.message})` : ''}`;
		}
		case 'ok':
			if (stoppedAt !== undefined) return samplingStoppedText;
			return node.latestAt !== undefined && nowMs - node.latestAt > staleAfterMs
				? `no sample for ${formatDuration(nowMs - node.latestAt)}`
				: undefined;
		default:
			return undefined;
	}
}

export type BuilderView = {
	name?: string;
	driver?: string;
	buildxVersion?: string;
	nodes: {name: string; endpoint: string; status: string; buildkitVersion?: string; platforms: string[]}[];
	/** Said once above the rows: the docker driver has no BuildKit container, ... */
	note?: string;
	error?: string;
};

export function selectBuilderView(state: DomainState): BuilderView {
	const r = state.resources;
	const view: BuilderView = {nodes: []};
	if (r.builder) {
		view.name = r.builder.name;
		view.driver = r.builder.driver;
		view.nodes = r.builder.nodes.map(n => {
			const node: BuilderView['nodes'][number] = {name: n.name, endpoint: n.endpoint, status: n.status, platforms: n.platforms};
			if (n.buildkitVersion) node.buildkitVersion = n.buildkitVersion;
			return node;
		});
		if (r.builder.driver === 'docker') view.note = 'docker driver: BuildKit runs inside dockerd, no BuildKit container; showing the Docker daemon host';
	}
	if (r.buildxVersion) view.buildxVersion = r.buildxVersion;
	if (r.builderError) view.error = r.builderError.message;
	return view;
}

export type HostView = {
	isKnown: boolean;
	/** Age of the latest sample (absent before the first). */
	ageMs?: number;
	/** The samplers were stopped at the end of the builds. */
	isSamplingStopped: boolean;
	isDaemonLocal: boolean;
	isMac: boolean;
	daemonHost?: string;
	cpuPercent?: number;
	load1?: number;
	cpus?: number;
	memoryUsedBytes?: number;
	memoryTotalBytes?: number;
	cpuHistory: number[];
	memoryHistory: number[];
	diskPath?: string;
	diskFreeBytes?: number;
	diskTotalBytes?: number;
	diskUnavailable?: string;
	minFreeBytes: number;
	isDiskLow: boolean;
};

export function selectHostView(state: DomainState, nowMs = state.lastEventAt): HostView {
	const host = state.resources.host;
	const s = host.latest;
	const view: HostView = {
		isKnown: s !== undefined,
		isSamplingStopped: state.resources.samplingStoppedAt !== undefined,
		isDaemonLocal: s?.isDaemonLocal ?? true,
		isMac: s?.isMac === true,
		cpuHistory: host.cpuHistory,
		memoryHistory: host.memoryHistory,
		minFreeBytes: s?.minFreeBytes ?? defaultMinFreeBytes,
		isDiskLow: s?.diskFreeBytes !== undefined && s.diskFreeBytes < s.minFreeBytes,
	};
	if (!s) return view;
	if (host.latestAt !== undefined) view.ageMs = Math.max(0, nowMs - host.latestAt);
	if (s.daemonHost) view.daemonHost = s.daemonHost;
	if (s.cpuPercent !== undefined) view.cpuPercent = s.cpuPercent;
	if (s.load1 !== undefined) view.load1 = s.load1;
	if (s.cpus !== undefined) view.cpus = s.cpus;
	if (s.memoryUsedBytes !== undefined) view.memoryUsedBytes = s.memoryUsedBytes;
	if (s.memoryTotalBytes !== undefined) view.memoryTotalBytes = s.memoryTotalBytes;
	if (s.diskPath !== undefined) view.diskPath = s.diskPath;
	if (s.diskFreeBytes !== undefined) view.diskFreeBytes = s.diskFreeBytes;
	if (s.diskTotalBytes !== undefined) view.diskTotalBytes = s.diskTotalBytes;
	if (s.diskUnavailable !== undefined) view.diskUnavailable = s.diskUnavailable;
	return view;
}

export type CacheView = {
	builder?: string;
	isMeasured: boolean;
	totalBytes?: number;
	reclaimableBytes?: number;
	sharedBytes?: number;
	privateBytes?: number;
	recordCount?: number;
	largest: CacheRecord[];
	measuredAt?: number;
	ageMs?: number;
	error?: string;
	lastPrune?: PruneRecord;
};

export function selectCacheView(state: DomainState, nowMs: number, largest = 5): CacheView {
	const cache = state.resources.cache;
	const view: CacheView = {isMeasured: cache.latest !== undefined, largest: cache.latest?.largest.slice(0, largest) ?? []};
	if (cache.builder) view.builder = cache.builder;
	if (cache.latest) {
		view.totalBytes = cache.latest.totalBytes;
		view.reclaimableBytes = cache.latest.reclaimableBytes;
		view.sharedBytes = cache.latest.sharedBytes;
		view.privateBytes = cache.latest.privateBytes;
		view.recordCount = cache.latest.recordCount;
	}
	if (cache.latestAt !== undefined) {
		view.measuredAt = cache.latestAt;
		view.ageMs = Math.max(0, nowMs - cache.latestAt);
	}
	if (cache.error) view.error = cache.error.message;
	const lastPrune = state.resources.prunes[state.resources.prunes.length - 1];
	if (lastPrune) view.lastPrune = lastPrune;
	return view;
}

export type ResourceWarning = {level: 'warning' | 'error'; text: string};

/** What the panel's and plain mode's warning lines say, most important first. */
export function selectResourceWarnings(state: DomainState, nowMs: number): ResourceWarning[] {
	const r = state.resources;
	const warnings: ResourceWarning[] = [];
	const host = r.host.latest;
	if (host?.diskFreeBytes !== undefined && host.diskFreeBytes < host.minFreeBytes) {
		warnings.push({
			level: 'warning',
			text: `low disk: ${formatBytes(host.diskFreeBytes)} free on ${host.diskPath ?? host.dockerRootDir ?? 'Docker data root'} (under ${formatBytes(host.minFreeBytes)})`,
		});
	}
	if (r.builderError) warnings.push({level: 'error', text: `builder: ${r.builderError.message}`});
	for (const name of r.nodeOrder) {
		if (!isCurrentNode(r, name)) continue;
		const node = r.nodes[name]!;
		if (node.status === 'unavailable') warnings.push({level: 'warning', text: `${name}: ${statusMessage(node, nowMs, r.samplingStoppedAt)}`});
	}
	if (r.cache.error) warnings.push({level: 'warning', text: `build cache: du failed: ${r.cache.error.message}`});
	const lastPrune = r.prunes[r.prunes.length - 1];
	if (lastPrune?.status === 'failed') warnings.push({level: 'error', text: `prune failed: ${lastPrune.error ?? 'unknown error'}`});
	return warnings;
}

export type NodeSummary = {
	node: string;
	container?: string;
	samples: number;
	peakCpuPercent: number;
	meanCpuPercent?: number;
	peakMemoryBytes: number;
	netRxBytes: number;
	netTxBytes: number;
	restarts: number;
	outages: number;
	notMeasurable?: string;
};

export type ResourceSummary = {
	builder?: {name: string; driver: string; nodes: number};
	nodes: NodeSummary[];
	cache: {
		before?: {totalBytes: number; reclaimableBytes: number};
		after?: {totalBytes: number; reclaimableBytes: number};
	};
	host: {
		diskPath?: string;
		freeBytesBefore?: number;
		freeBytesAfter?: number;
		freeBytesMin?: number;
		peakCpuPercent: number;
		peakMemoryUsedBytes: number;
	};
	prunes: {
		command: string;
		commandId: string;
		builder: string;
		status: PruneRecord['status'];
		reclaimedBytes?: number;
		estimateBytes?: number;
		error?: string;
		cacheBefore?: {totalBytes: number; reclaimableBytes: number};
		cacheAfter?: {totalBytes: number; reclaimableBytes: number};
	}[];
};

/** The resources part of the session summary (`--json`) and of the recording's report. */
export function selectResourceSummary(state: DomainState): ResourceSummary {
	const r = state.resources;
	const summary: ResourceSummary = {nodes: [], cache: {}, host: {peakCpuPercent: r.host.peakCpuPercent, peakMemoryUsedBytes: r.host.peakMemoryUsedBytes}, prunes: []};
	if (r.builder) summary.builder = {name: r.builder.name, driver: r.builder.driver, nodes: r.builder.nodes.length};
	for (const name of r.nodeOrder) {
		const n = r.nodes[name]!;
		const node: NodeSummary = {
			node: name,
			samples: n.sampleCount,
			peakCpuPercent: round2(n.peakCpuPercent),
			peakMemoryBytes: n.peakMemoryBytes,
			netRxBytes: n.netRxTotalBytes,
			netTxBytes: n.netTxTotalBytes,
			restarts: n.restarts,
			outages: n.outages,
		};
		if (n.container) node.container = n.container;
		if (n.sampleCount > 0) node.meanCpuPercent = round2(n.cpuPercentSum / n.sampleCount);
		if (n.status === 'not-measurable' && n.message) node.notMeasurable = n.message;
		summary.nodes.push(node);
	}
	const latest = r.cache.latest && r.cache.latestAt !== undefined ? {at: r.cache.latestAt, ...(r.cache.latestReason ? {reason: r.cache.latestReason} : {}), ...r.cache.latest} : undefined;
	const {before, after} = cacheBeforeAfter(r.cache.first, latest, firstBuildStartMs(state.builds));
	if (before) summary.cache.before = {totalBytes: before.totalBytes, reclaimableBytes: before.reclaimableBytes};
	if (after) summary.cache.after = {totalBytes: after.totalBytes, reclaimableBytes: after.reclaimableBytes};
	const host = r.host;
	const diskPath = host.latest?.diskPath;
	if (diskPath) summary.host.diskPath = diskPath;
	if (host.diskFreeFirst) summary.host.freeBytesBefore = host.diskFreeFirst.bytes;
	if (host.diskFreeLast) summary.host.freeBytesAfter = host.diskFreeLast.bytes;
	if (host.diskFreeMinBytes !== undefined) summary.host.freeBytesMin = host.diskFreeMinBytes;
	for (const p of r.prunes) {
		const item: ResourceSummary['prunes'][number] = {command: ['docker', ...p.argv].join(' '), commandId: p.commandId, builder: p.builder, status: p.status};
		if (p.reclaimedBytes !== undefined) item.reclaimedBytes = p.reclaimedBytes;
		if (p.estimateBytes !== undefined) item.estimateBytes = p.estimateBytes;
		if (p.error !== undefined) item.error = p.error;
		if (p.cacheBefore) item.cacheBefore = {totalBytes: p.cacheBefore.totalBytes, reclaimableBytes: p.cacheBefore.reclaimableBytes};
		if (p.cacheAfter) item.cacheAfter = {totalBytes: p.cacheAfter.totalBytes, reclaimableBytes: p.cacheAfter.reclaimableBytes};
		summary.prunes.push(item);
	}
	return summary;
}

function round2(value: number): number {
	return Math.round(value * 100) / 100;
}
