import type {StatsSample} from '../domain/resources-events.js';
// docker stats' arithmetic over Engine API stats objects (GET /containers/{id}/stats), and the parse of the
// strings `docker stats --format json` prints. The formulas mirror the docker CLI (cli/command/container/
// stats_helpers.go) so bxtop shows the same numbers docker does for the same sample.
import {dockerBytesSize, dockerHumanSize3, parseSizePair} from './sizes.js';
import {stripAnsi} from './ansi.js';

type CpuStats = {
	cpu_usage?: {total_usage?: number; percpu_usage?: number[] | null};
	system_cpu_usage?: number;
	online_cpus?: number;
};

/** The fields bxtop reads from one Engine API stats object (the rest is ignored). */
export type EngineStats = {
	read?: string;
	preread?: string;
	id?: string;
	name?: string;
	pids_stats?: {current?: number};
	cpu_stats?: CpuStats;
	precpu_stats?: CpuStats;
	memory_stats?: {usage?: number; limit?: number; stats?: Record<string, number>};
	networks?: Record<string, {rx_bytes?: number; tx_bytes?: number}>;
	blkio_stats?: {io_service_bytes_recursive?: {op?: string; value?: number}[] | null};
};

/** delta container CPU / delta system CPU x online CPUs x 100; 0 when either delta is not positive. */
export function cpuPercent(stats: EngineStats): number {
	const cpu = stats.cpu_stats ?? {};
	const pre = stats.precpu_stats ?? {};
	const cpuDelta = (cpu.cpu_usage?.total_usage ?? 0) - (pre.cpu_usage?.total_usage ?? 0);
	const systemDelta = (cpu.system_cpu_usage ?? 0) - (pre.system_cpu_usage ?? 0);
	const cpus = onlineCpus(stats);
	if (systemDelta > 0 && cpuDelta > 0) return (cpuDelta / systemDelta) * cpus * 100;
	return 0;
}

export function onlineCpus(stats: EngineStats): number {
	const cpu = stats.cpu_stats ?? {};
	return cpu.online_cpus || cpu.cpu_usage?.percpu_usage?.length || 0;
}

/**
 * Whether the sample carries a previous CPU reading. The first object of a stats stream does not (its precpu is
 * zero), and its "percent" would be the container's lifetime average: bxtop skips it.
 */
export function hasPreviousCpu(stats: EngineStats): boolean {
	return (stats.precpu_stats?.system_cpu_usage ?? 0) > 0;
}

/** Memory as docker stats shows it: usage minus the page cache that can be dropped. */
export function memoryBytes(stats: EngineStats): number {
	const mem = stats.memory_stats ?? {};
	const usage = mem.usage ?? 0;
	const counters = mem.stats ?? {};
	const v1 = counters['total_inactive_file'];
	if (v1 !== undefined && v1 < usage) return usage - v1; // cgroup v1
	const v2 = counters['inactive_file'] ?? 0;
	if (v2 < usage) return usage - v2; // cgroup v2
	return usage;
}

export function networkTotals(stats: EngineStats): {rxBytes: number; txBytes: number} {
	let rxBytes = 0;
	let txBytes = 0;
	for (const net of Object.values(stats.networks ?? {})) {
		rxBytes += net.rx_bytes ?? 0;
		txBytes += net.tx_bytes ?? 0;
	}
	return {rxBytes, txBytes};
}

export function blockIoTotals(stats: EngineStats): {readBytes: number; writeBytes: number} {
	let readBytes = 0;
	let writeBytes = 0;
	for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
		const op = (entry.op ?? '').charAt(0).toLowerCase(); // "Read" on cgroup v1, "read" on v2
		if (op === 'r') readBytes += entry.value ?? 0;
		else if (op === 'w') writeBytes += entry.value ?? 0;
	}
	return {readBytes, writeBytes};
}

export type StatsFigures = {
	cpuPercent: number;
	onlineCpus: number;
	memoryBytes: number;
	memoryLimitBytes: number;
	memoryPercent: number;
	netRxBytes: number;
	netTxBytes: number;
	blockReadBytes: number;
	blockWriteBytes: number;
	pids: number;
	/** The sample's own time (Engine `read`), ms since the epoch; rates are computed between these. */
	readMs?: number;
	containerId?: string;
};

export function statsFigures(stats: EngineStats): StatsFigures {
	const memory = memoryBytes(stats);
	const limit = stats.memory_stats?.limit ?? 0;
	const net = networkTotals(stats);
	const block = blockIoTotals(stats);
	const figures: StatsFigures = {
		cpuPercent: cpuPercent(stats),
		onlineCpus: onlineCpus(stats),
		memoryBytes: memory,
		memoryLimitBytes: limit,
		memoryPercent: limit !== 0 ? (memory / limit) * 100 : 0,
		netRxBytes: net.rxBytes,
		netTxBytes: net.txBytes,
		blockReadBytes: block.readBytes,
		blockWriteBytes: block.writeBytes,
		pids: stats.pids_stats?.current ?? 0,
	};
	const readMs = stats.read ? Date.parse(stats.read) : Number.NaN;
	if (!Number.isNaN(readMs) && readMs > 0) figures.readMs = readMs;
	if (stats.id) figures.containerId = stats.id;
	return figures;
}

export type Rates = {
	netRxBytesPerSecond: number;
	netTxBytesPerSecond: number;
	blockReadBytesPerSecond: number;
	blockWriteBytesPerSecond: number;
};

/** Rates between two samples of the same container; undefined when time did not advance or a counter reset. */
export function ratesBetween(previous: StatsFigures, current: StatsFigures, fallbackSeconds?: number): Rates | undefined {
	const seconds =
		previous.readMs !== undefined && current.readMs !== undefined ? (current.readMs - previous.readMs) / 1000 : fallbackSeconds;
	if (seconds === undefined || !(seconds > 0)) return undefined;
	const rate = (a: number, b: number) => (b >= a ? (b - a) / seconds : undefined);
	const values = [
		rate(previous.netRxBytes, current.netRxBytes),
		rate(previous.netTxBytes, current.netTxBytes),
		rate(previous.blockReadBytes, current.blockReadBytes),
		rate(previous.blockWriteBytes, current.blockWriteBytes),
	];
	if (values.some(v => v === undefined)) return undefined; // counters went back: the container restarted
	const [rx, tx, rd, wr] = values as number[];
	return {netRxBytesPerSecond: rx!, netTxBytesPerSecond: tx!, blockReadBytesPerSecond: rd!, blockWriteBytesPerSecond: wr!};
}

/** The columns `docker stats --format json` would print for these figures. */
export type DockerStatsStrings = {CPUPerc: string; MemUsage: string; MemPerc: string; NetIO: string; BlockIO: string; PIDs: string};

export function formatLikeDockerStats(figures: StatsFigures): DockerStatsStrings {
	return {
		CPUPerc: `${figures.cpuPercent.toFixed(2)}%`,
		MemUsage: `${dockerBytesSize(figures.memoryBytes)} / ${dockerBytesSize(figures.memoryLimitBytes)}`,
		MemPerc: `${figures.memoryPercent.toFixed(2)}%`,
		NetIO: `${dockerHumanSize3(figures.netRxBytes)} / ${dockerHumanSize3(figures.netTxBytes)}`,
		BlockIO: `${dockerHumanSize3(figures.blockReadBytes)} / ${dockerHumanSize3(figures.blockWriteBytes)}`,
		PIDs: String(figures.pids),
	};
}

/** One line of `docker stats --format json` (or `{{json .}}`), its strings turned into numbers. */
export type DockerStatsRow = Omit<StatsFigures, 'onlineCpus' | 'readMs' | 'containerId'> & {
	container: string;
	name: string;
	id: string;
};

/**
 * Parses one JSON line. Returns undefined for anything else: the streaming form redraws with ANSI clear-screen
 * sequences and a capture can carry stray NUL bytes (the real multinode capture does); both are stripped first.
 * A container that is not running prints "--" columns: those become 0.
 */
export function parseDockerStatsLine(line: string): DockerStatsRow | undefined {
	const text = stripAnsi(line).replace(/[\x00-\x08\x0e-\x1f]/g, '').trim();
	if (!text.startsWith('{')) return undefined;
	let raw: Record<string, unknown>;
	try {
		raw = JSON.parse(text) as Record<string, unknown>;
	} catch {
		return undefined;
	}
	const str = (key: string) => (typeof raw[key] === 'string' ? (raw[key] as string) : '');
	const percent = (key: string) => {
		const value = Number.parseFloat(str(key).replace('%', ''));
		return Number.isFinite(value) ? value : 0;
	};
	const [memoryBytes, memoryLimitBytes] = parseSizePair(str('MemUsage')) ?? [0, 0];
	const [netRxBytes, netTxBytes] = parseSizePair(str('NetIO')) ?? [0, 0];
	const [blockReadBytes, blockWriteBytes] = parseSizePair(str('BlockIO')) ?? [0, 0];
	const pids = Number.parseInt(str('PIDs'), 10);
	return {
		container: str('Container'),
		name: str('Name'),
		id: str('ID'),
		cpuPercent: percent('CPUPerc'),
		memoryBytes,
		memoryLimitBytes,
		memoryPercent: percent('MemPerc'),
		netRxBytes,
		netTxBytes,
		blockReadBytes,
		blockWriteBytes,
		pids: Number.isFinite(pids) ? pids : 0,
	};
}

/** A `docker stats` row as the stats/sampled sample of one node (the container name is the row's). */
export function sampleFromDockerStatsRow(node: string, row: DockerStatsRow): StatsSample {
	return {
		node,
		container: row.name,
		cpuPercent: row.cpuPercent,
		memoryBytes: row.memoryBytes,
		memoryLimitBytes: row.memoryLimitBytes,
		netRxBytes: row.netRxBytes,
		netTxBytes: row.netTxBytes,
		blockReadBytes: row.blockReadBytes,
		blockWriteBytes: row.blockWriteBytes,
		pids: row.pids,
		source: 'docker-stats',
	};
}

/** Engine API figures as the stats/sampled sample of one node, with rates against the previous figures if given. */
export function sampleFromFigures(node: string, container: string, figures: StatsFigures, previous?: StatsFigures): StatsSample {
	const sample: StatsSample = {
		node,
		container,
		cpuPercent: figures.cpuPercent,
		onlineCpus: figures.onlineCpus,
		memoryBytes: figures.memoryBytes,
		memoryLimitBytes: figures.memoryLimitBytes,
		netRxBytes: figures.netRxBytes,
		netTxBytes: figures.netTxBytes,
		blockReadBytes: figures.blockReadBytes,
		blockWriteBytes: figures.blockWriteBytes,
		pids: figures.pids,
		source: 'engine-api',
	};
	if (figures.containerId) sample.containerId = figures.containerId;
	const rates = previous ? ratesBetween(previous, figures) : undefined;
	if (rates) Object.assign(sample, rates);
	return sample;
}
