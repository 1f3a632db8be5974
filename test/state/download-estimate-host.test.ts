// The estimate's fallback to this machine's rx counter when no BuildKit container counter moved (synthetic events).
import {expect, it} from 'vitest';
import {estimateFor} from '../../source/state/download-selectors.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import type {DomainEvent} from '../../source/domain/events.js';

const host = (at: number, netRxBytes: number): DomainEvent => ({type: 'host/sampled', at, host: {isDaemonLocal: true, minFreeBytes: 10e9, netRxBytes}});

it('uses host rx samples when there is no container counter, and never adds them to container counters', () => {
	const started: DomainEvent = {
		type: 'download/started', at: 1000, buildId: 'b', platform: 'linux/amd64', downloadId: 'd1', kind: 'wheel', package: 'torch',
		version: '2.5.1+cpu', file: 'torch.whl', totalBytes: 100_000_000, isSizeRounded: true, source: 'pip-log', isEstimate: false,
	} as unknown as DomainEvent;
	const withHost = reduceAll(initialDomainState, [started, host(1000, 5_000_000), host(2000, 17_000_000), host(3000, 29_000_000)]);
	const key = withHost.downloads.order[0]!;
	expect(estimateFor(withHost.downloads, key, 3000)).toEqual({doneBytes: 24_000_000, bytesPerSecond: 12_000_000});

	// with a moving container counter the container is the source (the host counter saw the same bytes)
	const stats = (at: number, netRxBytes: number): DomainEvent =>
		({type: 'stats/sampled', at, sample: {node: 'n0', container: 'c', cpuPercent: 0, memoryUsedBytes: 0, memoryLimitBytes: 0, netRxBytes, netTxBytes: 0, blockReadBytes: 0, blockWriteBytes: 0}}) as unknown as DomainEvent;
	const both = reduceAll(withHost, [stats(1000, 0), stats(2000, 10_000_000), stats(3000, 20_000_000)]);
	expect(estimateFor(both.downloads, key, 3000)).toEqual({doneBytes: 20_000_000, bytesPerSecond: 10_000_000});
});
