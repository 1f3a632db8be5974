import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {stripVTControlCharacters} from 'node:util';
import type {DomainEvent} from '../../../source/domain/events.js';
import type {StatsSample} from '../../../source/domain/resources-events.js';
import {initialDomainState, reduceAll, type DomainState} from '../../../source/state/reducer.js';
import {PanelText, clip, resourcesPanelLines, type PanelLine} from '../../../source/components/resources-panel.js';
import {cachePanelLines} from '../../../source/components/cache-panel.js';
import {Sparkline, sparklineText} from '../../../source/components/sparkline.js';
import {parseDockerStatsLine} from '../../../source/lib/docker-stats-calc.js';
import {readReal} from '../../helpers/captures.js';
import {builderInspected, cacheEvent, hostEvent, resourceEvents} from './resource-states.js';

function frameOf(element: React.ReactElement): string {
	const view = render(element);
	const frame = stripVTControlCharacters(view.lastFrame() ?? '');
	view.unmount();
	return frame;
}

/** A panel as the App draws it: its lines, clipped to the height it is given. */
function panelFrame(lines: PanelLine[], height?: number): string {
	return frameOf(<PanelText lines={height === undefined ? lines : clip(lines, height)} />);
}

const mybuilder = reduceAll(initialDomainState, resourceEvents());

describe('resources panel', () => {
	test('docker-container builder: the node row with docker stats figures, peaks and sparklines; the host and its disk', () => {
		expect(panelFrame(resourcesPanelLines(mybuilder, mybuilder.lastEventAt, 100))).toBe(
			[
				'builder mybuilder (docker-container) · 1 node · buildx 0.13.1+ds1',
				'mybuilder0 cpu   0.68% █▅▃▃▃▃▁▁▁▁ peak 193.83%   mem 683.7MiB / 23.54GiB ▇▇████████ peak 689.7MiB',
				'           net ↓ 0 B/s ↑ 0 B/s   block r 0 B/s w 0 B/s   buildx_buildkit_mybuilder0',
				'host   cpu 97.5%          █   load 1.84/2 cpus   mem 3.4 GB / 25.3 GB          ▂',
				'disk 41.2 GB free of 105.0 GB on /var/lib/docker (Docker data root)',
			].join('\n'),
		);
	});

	test('docker driver: says there is no BuildKit container and shows the daemon host', () => {
		const builder = {name: 'default', driver: 'docker', nodes: [{name: 'default', endpoint: 'default', status: 'running', buildkitVersion: 'v0.8+unknown', platforms: ['linux/amd64']}]};
		const state = reduceAll(initialDomainState, [
			{type: 'builder/inspected', at: 1, builder, targets: [{node: 'default', dockerHost: 'unix:///var/run/docker.sock', notMeasurable: 'docker driver: BuildKit runs inside dockerd, there is no BuildKit container (see the Docker host below)'}], buildxVersion: '0.13.1+ds1'},
			hostEvent(2),
		]);
		expect(panelFrame(resourcesPanelLines(state, 2, 100))).toBe(
			[
				'builder default (docker) · 1 node · buildx 0.13.1+ds1',
				'default docker driver: BuildKit runs inside dockerd, there is no BuildKit container (see the Docker…',
				'host   cpu 97.5%          █   load 1.84/2 cpus   mem 3.4 GB / 25.3 GB          ▂',
				'disk 41.2 GB free of 105.0 GB on /var/lib/docker (Docker data root)',
			].join('\n'),
		);
	});

	test('two nodes (the real multinode capture, docker stats figures): one row pair per node', () => {
		const events: DomainEvent[] = [builderInspected('15-multinode-buildx-inspect.txt', 1)];
		readReal('15-multinode-multiplatform.docker-stats.jsonl')
			.trim()
			.split('\n')
			.forEach((line, i) => {
				const row = parseDockerStatsLine(line)!;
				const node = row.container.replace('buildx_buildkit_', '');
				const sample: StatsSample = {node, container: row.container, cpuPercent: row.cpuPercent, memoryBytes: row.memoryBytes, memoryLimitBytes: row.memoryLimitBytes, netRxBytes: row.netRxBytes, netTxBytes: row.netTxBytes, blockReadBytes: row.blockReadBytes, blockWriteBytes: row.blockWriteBytes, pids: row.pids, source: 'docker-stats'};
				events.push({type: 'stats/sampled', at: 1000 * (i + 1), sample});
			});
		const state = reduceAll(initialDomainState, events);
		const lines = resourcesPanelLines(state, 23_000, 100).map(l => l.text);
		expect(lines.slice(0, 5)).toEqual([
			'builder multinode (docker-container) · 2 nodes · buildx 0.13.1+ds1',
			'multinode0 cpu   0.00% █▁▁▇▁▁▁▁▁▁ peak 97.98%   mem 244.1MiB / 23.54GiB ▅▄▄███████ peak 246.9MiB',
			'           net ↓ 0 B/s ↑ 0 B/s   block r 0 B/s w 0 B/s   buildx_buildkit_multinode0',
			'multinode1 cpu   3.26% ████▃▃██▁▁ peak 100.99%   mem 249.7MiB / 23.54GiB ▇██▅▆▆▆███ peak 252.8MiB',
			'           net ↓ 0 B/s ↑ 0 B/s   block r 0 B/s w 0 B/s   buildx_buildkit_multinode1',
		]);
	});

	test('a container that went away and low disk: warnings, no stale numbers', () => {
		const state = reduceAll(mybuilder, [
			{type: 'stats/unavailable', at: mybuilder.lastEventAt + 1000, node: 'mybuilder0', container: 'buildx_buildkit_mybuilder0', reason: 'container-missing', message: 'No such container: buildx_buildkit_mybuilder0'},
			hostEvent(mybuilder.lastEventAt + 1000, 8_200_000_000),
		]);
		const frame = panelFrame(resourcesPanelLines(state, state.lastEventAt + 4000, 100));
		expect(frame.split('\n')).toEqual([
			'builder mybuilder (docker-container) · 1 node · buildx 0.13.1+ds1',
			'mybuilder0 buildx_buildkit_mybuilder0 is gone for 4.0s; retrying (No such container: buildx_buildki…',
			'host   cpu 97.5%         ██   load 1.84/2 cpus   mem 3.4 GB / 25.3 GB         ▂▂',
			'disk 8.2 GB free of 105.0 GB on /var/lib/docker (Docker data root)  under 10.0 GB!',
			'! low disk: 8.2 GB free on /var/lib/docker (under 10.0 GB)',
			'! mybuilder0: buildx_buildkit_mybuilder0 is gone for 4.0s; retrying (No such container: buildx_buil…',
		]);
	});

	test('clips to the height it is given', () => {
		expect(panelFrame(resourcesPanelLines(mybuilder, mybuilder.lastEventAt, 100), 3).split('\n')).toEqual([
			'builder mybuilder (docker-container) · 1 node · buildx 0.13.1+ds1',
			'mybuilder0 cpu   0.68% █▅▃▃▃▃▁▁▁▁ peak 193.83%   mem 683.7MiB / 23.54GiB ▇▇████████ peak 689.7MiB',
			'+3 more',
		]);
	});
});

describe('cache panel', () => {
	test('totals, the largest records with their descriptions, the prune keys', () => {
		const state = reduceAll(initialDomainState, [builderInspected(), cacheEvent(10_000, '01-after-cold.buildx-du-verbose.txt')]);
		expect(panelFrame(cachePanelLines(state, 40_000, 100, 4))).toBe(
			[
				'build cache mybuilder: 1.6 GB total, 1.6 GB reclaimable, 26 records (du 30s ago)',
				'   279.0 MB  regular         [linux/arm64 runtime 3/5] COPY --from=builder /opt/venv /opt/venv',
				'   279.0 MB  regular         [linux/amd64 runtime 3/5] COPY --from=builder /opt/venv /opt/venv',
				'   243.1 MB  exec.cachemount cached mount /root/.cache/pip from exec /bin/sh -c pip install --index…',
				'   242.3 MB  regular         pulled from 127.0.0.1:5000/lab/python:bookworm@sha256:6c919376631f82e5…',
				'p prune unused cache · P prune all cache · k keep only N GB · u prune unused for 24 h',
			].join('\n'),
		);
	});

	test('the last prune: reclaimed bytes and du before -> after; a failure with docker\'s message', () => {
		const argv = ['buildx', 'prune', '--builder', 'mybuilder', '--force', '--keep-storage', '100000000'];
		const done = reduceAll(initialDomainState, [
			builderInspected(),
			cacheEvent(10, '04-after-push.buildx-du-verbose.txt'),
			{type: 'prune/started', at: 11, pruneId: 'a', commandId: 'prune-keep', builder: 'mybuilder', argv},
			{type: 'prune/finished', at: 15, pruneId: 'a', reclaimedBytes: 3_221_000_000, recordsRemoved: 60, durationMs: 4000},
			cacheEvent(16, '05-after-prune-keep-storage.buildx-du-verbose.txt'),
		]);
		const lines = panelFrame(cachePanelLines(done, 16, 100)).split('\n');
		expect(lines[0]).toBe('build cache mybuilder: 24.6 kB total, 24.6 kB reclaimable, 1 records (du just now)');
		expect(lines[1]).toBe('    24.6 kB  source.local    local source for context');
		expect(lines[2]).toBe('last prune: docker buildx prune --builder mybuilder --force --keep-storage 100000000 · reclaimed 3.…');
		// the whole line, at a width the 100-column test terminal cannot show
		expect(cachePanelLines(done, 16, 140)[2]!.text).toBe(
			'last prune: docker buildx prune --builder mybuilder --force --keep-storage 100000000 · reclaimed 3.2 GB · du 3.2 GB → 24.6 kB',
		);
		const failed = reduceAll(done, [
			{type: 'prune/started', at: 20, pruneId: 'b', commandId: 'prune-unused', builder: 'mybuilder', argv: argv.slice(0, 5)},
			{type: 'prune/failed', at: 21, pruneId: 'b', message: 'ERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock', exitCode: 1, durationMs: 100},
		]);
		expect(cachePanelLines(failed, 21, 160)[2]).toEqual({
			color: 'red',
			text: 
'last prune failed: docker buildx prune --builder mybuilder --force · ERROR: Cannot connect to the Docker daemon at unix:///var/run/docker.sock',
		});
	});

	test('before the first du', () => {
		const state: DomainState = reduceAll(initialDomainState, [builderInspected()]);
		expect(panelFrame(cachePanelLines(state, 0, 100)).split('\n')[0]).toBe('build cache: measuring…');
	});
});

describe('Sparkline', () => {
	test('scales to the largest value and keeps the newest sample at the right edge', () => {
		expect(sparklineText([0, 50, 100], 5)).toBe('  ▁▄█');
		expect(sparklineText([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 4)).toBe('▆▇██');
		expect(sparklineText([10, 20], 2, 80)).toBe('▁▂');
		expect(frameOf(<Sparkline values={[0, 8]} width={3} />)).toBe(' ▁█');
	});
});
