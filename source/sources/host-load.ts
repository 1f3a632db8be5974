// CPU load and memory of the machine bxtop runs on, without spawning a process per sample: Linux's /proc/stat and
// /proc/meminfo; elsewhere (macOS, where Docker Desktop users run bxtop) Node's os counters, which ask the kernel
// directly. On macOS these are the Mac's figures, not those of Docker Desktop's Linux VM where BuildKit runs: the
// host sample says so (isDaemonLocal is false there, and `machine` names the Mac).
import {readFile} from 'node:fs/promises';
import os from 'node:os';
import {cpuPercentBetween, parseCpuTimes, parseMeminfo, type CpuTimes} from '../lib/proc-host.js';

export type HostLoad = {cpuPercent?: number; memoryTotalBytes?: number; memoryUsedBytes?: number};

/** A meter: each reading gives the CPU busy since the previous one (the first only sets the baseline). */
export function createHostLoadMeter(platform: NodeJS.Platform = process.platform): {read: () => Promise<HostLoad>} {
	let previous: CpuTimes | undefined;
	const isLinux = platform === 'linux';
	return {
		read: async () => {
			const [cpu, memory] = await Promise.all([isLinux ? readProcCpu() : osCpuTimes(), isLinux ? readProcMemory() : osMemory()]);
			const load: HostLoad = {};
			if (cpu && previous) {
				const percent = cpuPercentBetween(previous, cpu);
				if (percent !== undefined) load.cpuPercent = percent;
			}
			if (cpu) previous = cpu;
			if (memory) {
				load.memoryTotalBytes = memory.totalBytes;
				load.memoryUsedBytes = memory.totalBytes - memory.availableBytes;
			}
			return load;
		},
	};
}

async function readProcCpu(): Promise<CpuTimes | undefined> {
	return readFile('/proc/stat', 'utf8').then(parseCpuTimes, () => undefined);
}

async function readProcMemory(): Promise<{totalBytes: number; availableBytes: number} | undefined> {
	return readFile('/proc/meminfo', 'utf8').then(parseMeminfo, () => undefined);
}

/** Summed over the CPUs os.cpus() reports (ms). */
function osCpuTimes(): CpuTimes | undefined {
	const cpus = os.cpus();
	if (cpus.length === 0) return undefined;
	let busy = 0;
	let total = 0;
	for (const {times} of cpus) {
		const used = times.user + times.nice + times.sys + times.irq;
		busy += used;
		total += used + times.idle;
	}
	return {busy, total};
}

/** On macOS libuv's free memory is the free pages only, so "used" there includes the file cache. */
function osMemory(): {totalBytes: number; availableBytes: number} {
	const totalBytes = os.totalmem();
	return {totalBytes, availableBytes: Math.min(totalBytes, os.freemem())};
}
