// Domain states for the resources components, built from the real captures through the same events the live
// sources emit: the mybuilder docker-container builder, its container stats during the cold build, a host sample
// and the du after the push.
import type {DomainEvent} from '../../../source/domain/events.js';
import {parseBuildxInspect} from '../../../source/lib/buildx-inspect.js';
import {parseDu} from '../../../source/lib/du-table.js';
import {sampleFromFigures, statsFigures, type EngineStats, type StatsFigures} from '../../../source/lib/docker-stats-calc.js';
import {planTargets} from '../../../source/sources/builder-info.js';
import {readReal} from '../../helpers/captures.js';

export function builderInspected(file = '00-buildx-inspect-mybuilder.txt', at = 1_795_948_918_000): DomainEvent {
	const builder = parseBuildxInspect(readReal(file))!;
	const endpoints = Object.fromEntries(builder.nodes.map(n => [n.name, {host: n.endpoint.includes('://') ? n.endpoint : 'unix:///run/docker-node2.sock', origin: ''}]));
	return {type: 'builder/inspected', at, builder, targets: planTargets(builder, endpoints), buildxVersion: '0.13.1+ds1'};
}

export function statsEvents(capture: string, node = 'mybuilder0'): DomainEvent[] {
	let previous: StatsFigures | undefined;
	return readReal(`${capture}.engine-api-stats.jsonl`)
		.trim()
		.split('\n')
		.map(line => {
			const f = statsFigures(JSON.parse(line) as EngineStats);
			const sample = sampleFromFigures(node, `buildx_buildkit_${node}`, f, previous);
			previous = f;
			return {type: 'stats/sampled', at: f.readMs!, sample};
		});
}

export function hostEvent(at: number, freeBytes = 41_200_000_000): DomainEvent {
	return {
		type: 'host/sampled',
		at,
		host: {
			isDaemonLocal: true,
			daemonHost: 'unix:///var/run/docker.sock',
			minFreeBytes: 10e9,
			cpus: 2,
			load1: 1.84,
			cpuPercent: 97.5,
			memoryUsedBytes: 3_400_000_000,
			memoryTotalBytes: 25_276_502_016,
			dockerRootDir: '/var/lib/docker',
			diskPath: '/var/lib/docker',
			diskFreeBytes: freeBytes,
			diskTotalBytes: 105_000_000_000,
		},
	};
}

export function cacheEvent(at: number, file = '04-after-push.buildx-du-verbose.txt'): DomainEvent {
	return {type: 'cache/measured', at, builder: 'mybuilder', reason: 'periodic', usage: parseDu(readReal(file), 'verbose'), durationMs: 420};
}

/** The mybuilder session: inspect, 50 stats samples of the cold build, one host sample, the du after the push. */
export function resourceEvents(): DomainEvent[] {
	const stats = statsEvents('01-cold-multiplatform-oci');
	const last = stats[stats.length - 1]!.at;
	return [builderInspected(), ...stats, hostEvent(last), cacheEvent(last - 12_000)];
}
