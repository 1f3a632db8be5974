// This machine's CPU and memory from Linux's own counters: /proc/stat's aggregate "cpu" line and /proc/meminfo.
// Pure parsers of the texts; the host sampler reads the files (one read each, no process spawned).

/** CPU time so far over all CPUs, in the kernel's ticks: busy and total (busy + idle + iowait). */
export type CpuTimes = {busy: number; total: number};

/**
 * The aggregate line `cpu  user nice system idle iowait irq softirq steal guest guest_nice`. Guest time is already
 * inside user and nice, so it is not added twice; iowait counts as idle, as top and docker stats count it.
 */
export function parseCpuTimes(procStat: string): CpuTimes | undefined {
	const end = procStat.indexOf('\n');
	const line = end === -1 ? procStat : procStat.slice(0, end);
	if (!line.startsWith('cpu ')) return undefined;
	const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.slice(4).trim().split(/\s+/).map(Number);
	if (![user, nice, system, idle].every(v => Number.isFinite(v))) return undefined;
	const busy = user! + nice! + system! + irq + softirq + steal;
	return {busy, total: busy + idle! + iowait};
}

/** Percent of all CPUs busy between two readings; undefined when no time passed. */
export function cpuPercentBetween(before: CpuTimes, after: CpuTimes): number | undefined {
	const total = after.total - before.total;
	if (!(total > 0)) return undefined;
	return Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100));
}

/** MemTotal and MemAvailable (what applications could still get; page cache is not "used"), in bytes. */
export function parseMeminfo(meminfo: string): {totalBytes: number; availableBytes: number} | undefined {
	const kb = (name: string) => {
		const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(meminfo);
		return match ? Number(match[1]) * 1024 : undefined;
	};
	const totalBytes = kb('MemTotal');
	const availableBytes = kb('MemAvailable');
	if (totalBytes === undefined || availableBytes === undefined) return undefined;
	return {totalBytes, availableBytes};
}
