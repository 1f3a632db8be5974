import {readFileSync} from 'node:fs';
import os from 'node:os';
import {expect, test} from 'vitest';
import {cpuPercentBetween, parseCpuTimes, parseMeminfo} from '../../source/lib/proc-host.js';

test('parseCpuTimes: busy is user+nice+system+irq+softirq+steal, idle and iowait count as idle (synthetic /proc/stat)', () => {
	const text = 'cpu  100 5 50 800 40 3 2 1 7 0\ncpu0 50 2 25 400 20 1 1 0 3 0\nintr 12345\n';
	expect(parseCpuTimes(text)).toEqual({busy: 161, total: 1001});
	expect(parseCpuTimes('cpu0 1 2 3 4\n')).toBeUndefined();
	expect(parseCpuTimes('')).toBeUndefined();
	// an old kernel's four fields
	expect(parseCpuTimes('cpu  10 0 10 80\n')).toEqual({busy: 20, total: 100});
});

test('cpuPercentBetween: the busy share of the time between two readings, none when no time passed', () => {
	expect(cpuPercentBetween({busy: 100, total: 1000}, {busy: 150, total: 1200})).toBe(25);
	expect(cpuPercentBetween({busy: 100, total: 1000}, {busy: 100, total: 1000})).toBeUndefined();
});

test('parseMeminfo: MemTotal and MemAvailable in bytes (synthetic), undefined without them', () => {
	const text = 'MemTotal:       24576000 kB\nMemFree:         1000000 kB\nMemAvailable:   20000000 kB\nBuffers:  1 kB\n';
	expect(parseMeminfo(text)).toEqual({totalBytes: 24576000 * 1024, availableBytes: 20000000 * 1024});
	expect(parseMeminfo('MemTotal: 5 kB\n')).toBeUndefined();
});

test('this machine\'s /proc/stat and /proc/meminfo read as the kernel reports them', () => {
	const cpu = parseCpuTimes(readFileSync('/proc/stat', 'utf8'))!;
	expect(cpu.busy).toBeGreaterThan(0);
	expect(cpu.total).toBeGreaterThan(cpu.busy);
	const memory = parseMeminfo(readFileSync('/proc/meminfo', 'utf8'))!;
	expect(memory.totalBytes).toBe(os.totalmem()); // libuv reads the same MemTotal line
	expect(memory.availableBytes).toBeLessThan(memory.totalBytes);
});
