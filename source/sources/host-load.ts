// CPU load and memory of the machine bxtop runs on, without spawning a process per sample: Linux's /proc/stat and
// /proc/meminfo; elsewhere (macOS, where Docker Desktop users run bxtop) Node's os counters, which ask the kernel
// directly. On macOS these are the Mac's figures, not those of Docker Desktop's Linux VM where BuildKit runs: the
// host sample says so (isDaemonLocal is false there, and `machine` names the Mac).
import os from 'node:os';
import {openProcFile} from './proc-file.js';
import {cpuPercentBetween, parseCpuTimes, parseMeminfo, type CpuTimes} from '../lib/proc-host.js';

export type HostLoad = {cpuPercent?: number; memoryTotalBytes?: number; memoryUsedBytes?: number};

export type HostLoadMeter = {read: () => HostLoad; close: () => void};

/**
 * A meter: each reading gives the CPU busy since the previous one (the first only sets the baseline). On Linux it
 * keeps /proc/stat and /proc/meminfo open until closed.
 */
export function createHostLoadMeter(platform: NodeJS.Platform = process.platform): HostLoadMeter {
	let previous: CpuTimes | undefined;
	const isLinux = platform === 'linux';
	const stat = isLinux ? openProcFile('/proc/stat') : undefined;
	const meminfo = isLinux ? openProcFile('/proc/meminfo') : undefined;
	return {
		close: () => {
			stat?.close();
			meminfo?.close();
		},
		read: () => {
			const cpu = stat ? parseOrUndefined(stat.read(), parseCpuTimes) : osCpuTimes();
			const memory = meminfo ? parseOrUndefined(meminfo.read(), parseMeminfo) : osMemory();
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

function parseOrUndefined<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
	return text === undefined ? undefined : parse(text);
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
