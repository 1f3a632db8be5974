// The Docker host: CPU load and memory of this machine (host-load.ts: /proc on Linux, no process spawned), and the
// free space of the filesystem
// holding Docker's data root (`DockerRootDir` from the Engine API's /info, statfs'd here). A daemon elsewhere (tcp
// to another machine, ssh, Docker Desktop's VM) has its data root on another disk: the sample says so instead of
// measuring the wrong filesystem. One sample a second.
import {statfs} from 'node:fs/promises';
import os from 'node:os';
import {readFile} from 'node:fs/promises';
import {createHostLoadMeter, type HostLoad} from './host-load.js';
import {openProcFile, type ProcFile} from './proc-file.js';
import {receivedBytes} from '../lib/net-dev.js';
import {execa} from 'execa';
import type {Emit} from '../domain/events.js';
import type {HostSample} from '../domain/resources-events.js';
import {isLocalEndpoint, type DockerEndpoint} from '../lib/docker-endpoint.js';
import type {Clock} from '../domain/clock.js';
import {sleep} from './container-stats.js';
import {createEngineClient} from './engine-api.js';

export type DockerInfo = {dockerRootDir?: string; operatingSystem?: string; ncpu?: number; memTotalBytes?: number; serverVersion?: string; name?: string};

export type HostStatsOptions = {
	endpoint: DockerEndpoint;
	emit: Emit;
	signal: AbortSignal;
	clock: Clock;
	/** `--min-free` (bytes): free space under this is a warning. */
	minFreeBytes: number;
	intervalMs?: number;
	/** How often to ask the daemon again while /info fails (daemon not up yet, or gone). */
	infoRetryMs?: number;
};

export async function runHostStats(options: HostStatsOptions): Promise<void> {
	const {endpoint, emit, signal, clock} = options;
	const intervalMs = options.intervalMs ?? 1000;
	const infoRetryMs = options.infoRetryMs ?? 5000;
	let info: DockerInfo | undefined;
	let infoError: string | undefined;
	let lastInfoAttempt = -Infinity;
	// the /proc files stay open while the sampler runs
	const meter = createHostLoadMeter();
	const netDev = openProcFile('/proc/net/dev');
	try {
		meter.read(); // the first reading only sets the CPU baseline
		while (!signal.aborted) {
			if (!info && Date.now() - lastInfoAttempt >= infoRetryMs) {
				lastInfoAttempt = Date.now();
				try {
					info = await readDockerInfo(endpoint, signal);
					infoError = undefined;
				} catch (error) {
					infoError = (error as Error).message;
				}
			}
			if (signal.aborted) return;
			const host = await sampleHost(endpoint, info, infoError, options.minFreeBytes, meter.read(), netDev);
			if (signal.aborted) return;
			emit({type: 'host/sampled', at: clock.now(), host});
			await sleep(intervalMs, signal);
		}
	} finally {
		meter.close();
		netDev.close();
	}
}

/** How many CPUs this machine has: asked once (os.cpus() reads /proc/cpuinfo and every CPU's frequency). */
let cpuCount: number | undefined;

/**
 * One sample now, /info included: for a session whose builds ended before the sampler's first sample (a warm
 * cache builds in under a second), so the held board has figures to show.
 */
export async function sampleHostOnce(endpoint: DockerEndpoint, minFreeBytes: number, signal: AbortSignal): Promise<HostSample> {
	let info: DockerInfo | undefined;
	let infoError: string | undefined;
	try {
		info = await readDockerInfo(endpoint, signal);
	} catch (error) {
		infoError = (error as Error).message;
	}
	return sampleHost(endpoint, info, infoError, minFreeBytes);
}

/**
 * One sample; `load` is this machine's CPU and memory (a meter's reading), read fresh when not given; `netDev` the
 * sampler's open /proc/net/dev, read once when not given.
 */
export async function sampleHost(
	endpoint: DockerEndpoint,
	info: DockerInfo | undefined,
	infoError: string | undefined,
	minFreeBytes: number,
	load?: HostLoad,
	netDev?: ProcFile,
): Promise<HostSample> {
	const isLocal = isLocalEndpoint(endpoint) && !/docker desktop/i.test(info?.operatingSystem ?? '');
	cpuCount ??= os.cpus().length;
	const host: HostSample = {isDaemonLocal: isLocal, daemonHost: endpoint.host, minFreeBytes, cpus: cpuCount, load1: round2(os.loadavg()[0]!)};
	if (process.platform === 'darwin') host.isMac = true;
	const {cpuPercent, memoryTotalBytes, memoryUsedBytes} = load ?? readLoadOnce();
	if (cpuPercent !== undefined) host.cpuPercent = round2(cpuPercent);
	if (memoryTotalBytes !== undefined && memoryUsedBytes !== undefined) {
		host.memoryTotalBytes = memoryTotalBytes;
		host.memoryUsedBytes = memoryUsedBytes; // what applications hold; page cache is not "used"
	}
	if (info?.dockerRootDir) host.dockerRootDir = info.dockerRootDir;
	if (isLocal) {
		const text = netDev ? netDev.read() : await readFile('/proc/net/dev', 'utf8').catch(() => undefined);
		const rx = text === undefined ? undefined : receivedBytes(text);
		if (rx !== undefined) host.netRxBytes = rx;
	}
	if (!isLocal) {
		host.diskUnavailable = `Docker daemon at ${endpoint.host} is not on this machine: its disk is not measurable here`;
		return host;
	}
	if (!info?.dockerRootDir) {
		host.diskUnavailable = infoError ? `docker info failed: ${infoError}` : 'Docker data root not known yet';
		return host;
	}
	try {
		const fs = await statfs(info.dockerRootDir);
		host.diskPath = info.dockerRootDir;
		host.diskFreeBytes = fs.bavail * fs.bsize;
		host.diskTotalBytes = fs.blocks * fs.bsize;
	} catch (error) {
		host.diskUnavailable = `cannot statfs ${info.dockerRootDir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`;
	}
	return host;
}

/** Memory (and no CPU figure: that needs two readings) from a meter opened and closed for it. */
function readLoadOnce(): HostLoad {
	const meter = createHostLoadMeter();
	try {
		return meter.read();
	} finally {
		meter.close();
	}
}

/** The Engine API's /info, or `docker info` for endpoints node:http cannot reach. */
export async function readDockerInfo(endpoint: DockerEndpoint, signal: AbortSignal): Promise<DockerInfo> {
	const client = createEngineClient(endpoint);
	let raw: Record<string, unknown>;
	if ('unsupported' in client) {
		const target = endpoint.contextName && endpoint.contextName !== 'default' ? ['--context', endpoint.contextName] : ['--host', endpoint.host];
		const result = await execa('docker', [...target, 'info', '--format', '{{json .}}'], {cancelSignal: signal, timeout: 15_000});
		raw = JSON.parse(result.stdout) as Record<string, unknown>;
	} else {
		const response = await client.get('/info', {signal, timeoutMs: 10_000});
		if (response.status !== 200) throw new Error(`GET /info: HTTP ${response.status}`);
		raw = JSON.parse(response.body) as Record<string, unknown>;
	}
	const info: DockerInfo = {};
	if (typeof raw['DockerRootDir'] === 'string') info.dockerRootDir = raw['DockerRootDir'];
	if (typeof raw['OperatingSystem'] === 'string') info.operatingSystem = raw['OperatingSystem'];
	if (typeof raw['NCPU'] === 'number') info.ncpu = raw['NCPU'];
	if (typeof raw['MemTotal'] === 'number') info.memTotalBytes = raw['MemTotal'];
	if (typeof raw['ServerVersion'] === 'string') info.serverVersion = raw['ServerVersion'];
	if (typeof raw['Name'] === 'string') info.name = raw['Name'];
	return info;
}

function round2(value: number): number {
	return Math.round(value * 100) / 100;
}
