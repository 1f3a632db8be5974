// The host load meter on this machine: Linux's /proc and, as on a Mac, Node's os counters.
import os from 'node:os';
import {expect, test} from 'vitest';
import {createHostLoadMeter} from '../../../source/sources/host-load.js';

const busyFor = (ms: number) => {
	const end = Date.now() + ms;
	while (Date.now() < end);
};

for (const platform of ['linux', 'darwin'] as const) {
	test(`${platform} path: the first reading sets the baseline, the next gives the CPU busy since, memory every time`, () => {
		const meter = createHostLoadMeter(platform);
		const first = meter.read();
		expect(first.cpuPercent).toBeUndefined();
		expect(first.memoryTotalBytes).toBe(os.totalmem());
		busyFor(300); // this process alone keeps one of the CPUs busy
		const second = meter.read();
		expect(second.cpuPercent).toBeGreaterThan(100 / os.cpus().length / 4);
		expect(second.cpuPercent).toBeLessThanOrEqual(100);
		expect(second.memoryUsedBytes).toBeGreaterThan(0);
		expect(second.memoryUsedBytes).toBeLessThan(second.memoryTotalBytes!);
		meter.close();
	});
}
