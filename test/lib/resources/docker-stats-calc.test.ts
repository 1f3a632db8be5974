// docker stats' formulas against the real captures: Engine API samples and `docker stats --no-stream` lines were
// taken at the same moments (see the captures' README), so where both calls got the same daemon reading bxtop's
// figures must print exactly as docker printed them.
import {describe, expect, it} from 'vitest';
import {
	blockIoTotals,
	cpuPercent,
	formatLikeDockerStats,
	hasPreviousCpu,
	memoryBytes,
	networkTotals,
	parseDockerStatsLine,
	ratesBetween,
	statsFigures,
	type EngineStats,
} from '../../../source/lib/docker-stats-calc.js';
import {readReal} from '../../helpers/captures.js';

const engine = (name: string) =>
	readReal(`${name}.engine-api-stats.jsonl`)
		.trim()
		.split('\n')
		.map(line => JSON.parse(line) as EngineStats);
const dockerLines = (name: string) => readReal(`${name}.docker-stats.jsonl`).trim().split('\n');

describe('CPU and memory formulas (cgroup v1 host, real samples)', () => {
	const samples = engine('01-cold-multiplatform-oci');

	it('computes CPU % as delta container CPU / delta system CPU x online CPUs x 100', () => {
		// (681973818823 - 680211329810) / (3793270000000 - 3791330000000) x 2 x 100
		expect(cpuPercent(samples[1]!)).toBeCloseTo(181.69989824742268, 10);
	});

	it('computes memory as usage minus total_inactive_file', () => {
		expect(memoryBytes(samples[1]!)).toBe(544_804_864 - 315_322_368);
		expect(statsFigures(samples[1]!).memoryLimitBytes).toBe(25_276_502_016);
		expect(statsFigures(samples[1]!).pids).toBe(29);
	});

	it('prints the figures as docker stats printed them for the same reading', () => {
		const line = JSON.parse(dockerLines('01-cold-multiplatform-oci')[1]!) as Record<string, string>;
		const printed = formatLikeDockerStats(statsFigures(samples[1]!));
		expect(printed).toEqual({
			CPUPerc: line['CPUPerc'],
			MemUsage: line['MemUsage'],
			MemPerc: line['MemPerc'],
			NetIO: line['NetIO'],
			BlockIO: line['BlockIO'],
			PIDs: line['PIDs'],
		});
		expect(printed.CPUPerc).toBe('181.70%');
		expect(printed.MemUsage).toBe('218.9MiB / 23.54GiB');
	});

	// Index of each docker line whose printed CPU and memory differ from the Engine API sample taken at the same
	// moment. These are the moments the two calls got different daemon readings: the first sample of a capture (the
	// CLI's --no-stream waits for a reading of its own) and samples where the API call got the previous reading again.
	const expectedMismatches: Record<string, number[]> = {
		'01-cold-multiplatform-oci': [0],
		'02-warm-multiplatform-oci': [3],
		'04-push-multiplatform-registry': [0, 1],
		'07-concurrent-per-platform-cold': [0, 1],
		'08-cold-multiplatform-plain': [0, 1, 3, 12, 15, 18, 23, 36, 41],
		'09-fail-multiplatform-rawjson': [],
		'10-fail-multiplatform-plain': [],
		'13-cold-multiplatform-forcecolor-plain': [0, 2],
	};

	for (const [name, mismatches] of Object.entries(expectedMismatches)) {
		it(`matches docker stats sample by sample in ${name}`, () => {
			const api = engine(name);
			const cli = dockerLines(name);
			expect(api.length).toBe(cli.length);
			const differing: number[] = [];
			api.forEach((sample, i) => {
				const ours = formatLikeDockerStats(statsFigures(sample));
				const theirs = JSON.parse(cli[i]!) as Record<string, string>;
				if (ours.CPUPerc !== theirs['CPUPerc'] || ours.MemUsage !== theirs['MemUsage'] || ours.MemPerc !== theirs['MemPerc']) differing.push(i);
			});
			expect(differing).toEqual(mismatches);
		});
	}

	it('recognises the first object of a stream (no previous CPU reading)', () => {
		const first: EngineStats = {...samples[1]!, precpu_stats: {cpu_usage: {total_usage: 0}, system_cpu_usage: 0}};
		expect(hasPreviousCpu(first)).toBe(false);
		expect(hasPreviousCpu(samples[1]!)).toBe(true);
	});
});

describe('network, block I/O, cgroup v2 (synthetic samples)', () => {
	// Synthetic: shaped like the Engine API's cgroup v2 answer; the captures have no networks (host network) and no
	// block I/O.
	const v2: EngineStats = {
		read: '2026-11-29T10:00:02.000000000Z',
		cpu_stats: {cpu_usage: {total_usage: 3_000_000_000}, system_cpu_usage: 20_000_000_000, online_cpus: 4},
		precpu_stats: {cpu_usage: {total_usage: 2_000_000_000}, system_cpu_usage: 16_000_000_000, online_cpus: 4},
		memory_stats: {usage: 300_000_000, limit: 1_000_000_000, stats: {inactive_file: 100_000_000, active_file: 5}},
		networks: {eth0: {rx_bytes: 1_000, tx_bytes: 2_000}, eth1: {rx_bytes: 500, tx_bytes: 0}},
		blkio_stats: {
			io_service_bytes_recursive: [
				{op: 'read', value: 4096},
				{op: 'write', value: 8192},
				{op: 'Read', value: 4},
				{op: 'Total', value: 99},
			],
		},
	};

	it('sums every interface and every device', () => {
		expect(networkTotals(v2)).toEqual({rxBytes: 1_500, txBytes: 2_000});
		expect(blockIoTotals(v2)).toEqual({readBytes: 4100, writeBytes: 8192});
	});

	it('uses inactive_file on cgroup v2', () => {
		expect(memoryBytes(v2)).toBe(200_000_000);
		expect(cpuPercent(v2)).toBe(100);
	});

	it('falls back to percpu_usage when online_cpus is missing, and to 0 when a delta is not positive', () => {
		const noOnline: EngineStats = {
			...v2,
			cpu_stats: {cpu_usage: {total_usage: 3_000_000_000, percpu_usage: [1, 2]}, system_cpu_usage: 20_000_000_000},
		};
		expect(cpuPercent(noOnline)).toBe(50);
		expect(cpuPercent({...v2, cpu_stats: {...v2.cpu_stats, system_cpu_usage: 16_000_000_000}})).toBe(0);
	});

	it('computes rates between two readings from their own timestamps, and none across a counter reset', () => {
		const earlier = statsFigures({...v2, read: '2026-11-29T10:00:00.000000000Z', networks: {eth0: {rx_bytes: 500, tx_bytes: 1_000}}});
		const later = statsFigures(v2);
		expect(ratesBetween(earlier, later)).toEqual({
			netRxBytesPerSecond: 500,
			netTxBytesPerSecond: 500,
			blockReadBytesPerSecond: 0,
			blockWriteBytesPerSecond: 0,
		});
		expect(ratesBetween(later, earlier)).toBeUndefined();
	});
});

describe('parseDockerStatsLine', () => {
	it('turns docker stats strings into numbers', () => {
		expect(parseDockerStatsLine(dockerLines('01-cold-multiplatform-oci')[0]!)).toEqual({
			container: 'buildx_buildkit_mybuilder0',
			name: 'buildx_buildkit_mybuilder0',
			id: 'af641c6bdf0c',
			cpuPercent: 113.77,
			memoryBytes: 209_820_058,
			memoryLimitBytes: 25_275_882_537,
			memoryPercent: 0.83,
			netRxBytes: 0,
			netTxBytes: 0,
			blockReadBytes: 0,
			blockWriteBytes: 0,
			pids: 29,
		});
	});

	it('reads both nodes of the real multinode capture, including a line that starts with NUL bytes', () => {
		const rows = dockerLines('15-multinode-multiplatform').map(parseDockerStatsLine);
		expect(rows.every(r => r !== undefined)).toBe(true);
		const node0 = rows.filter(r => r!.container === 'buildx_buildkit_multinode0');
		const node1 = rows.filter(r => r!.container === 'buildx_buildkit_multinode1');
		expect(node0.length).toBe(11);
		expect(node1.length).toBe(12);
		expect(rows[22]).toMatchObject({container: 'buildx_buildkit_multinode1', cpuPercent: 3.26, pids: 12});
		expect(Math.max(...node0.map(r => r!.cpuPercent))).toBe(97.98);
		expect(Math.max(...node1.map(r => r!.cpuPercent))).toBe(100.99);
	});

	it('strips the redraw sequences of the streaming form and reads "--" columns as zeros', () => {
		const line =
			'\u001B[J\u001B[H{"BlockIO":"--","CPUPerc":"--","Container":"bxprobe2","ID":"837cdc663c35","MemPerc":"--","MemUsage":"-- / --","Name":"bxprobe2","NetIO":"--","PIDs":"--"}';
		expect(parseDockerStatsLine(line)).toMatchObject({container: 'bxprobe2', cpuPercent: 0, memoryLimitBytes: 0, pids: 0});
		expect(parseDockerStatsLine(' \u001B[K')).toBeUndefined();
	});
});
