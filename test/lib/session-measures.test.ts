// One definition of a container restart and of "cache before/after", shared by the board's slice, the --json
// summary and the report: the same samples give the same answer in all three (synthetic samples, named so).
import {describe, expect, test} from 'vitest';
import type {DomainEvent} from '../../source/domain/events.js';
import type {StatsSample} from '../../source/domain/resources-events.js';
import {cacheBeforeAfter, isContainerRestart} from '../../source/lib/session-measures.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {selectResourceSummary} from '../../source/state/resource-selectors.js';
import {createMetricsFold, sessionReport} from '../../source/report/metrics.js';

const sample = (over: Partial<StatsSample>): StatsSample => ({
	node: 'mybuilder0',
	container: 'buildx_buildkit_mybuilder0',
	containerId: 'a',
	cpuPercent: 50,
	memoryBytes: 1e8,
	memoryLimitBytes: 8e9,
	netRxBytes: 1000,
	netTxBytes: 1000,
	blockReadBytes: 1000,
	blockWriteBytes: 1000,
	source: 'engine-api',
	...over,
});

describe('container restart', () => {
	const counters = {netRxBytes: 1000, netTxBytes: 1000, blockReadBytes: 1000, blockWriteBytes: 1000};
	test('another container id, or any counter going down; not counters going up', () => {
		expect(isContainerRestart({containerId: 'a', counters}, sample({containerId: 'b', netRxBytes: 5000}))).toBe(true);
		expect(isContainerRestart({containerId: 'a', counters}, sample({blockWriteBytes: 10}))).toBe(true);
		expect(isContainerRestart({containerId: 'a', counters}, sample({netRxBytes: 2000}))).toBe(false);
		expect(isContainerRestart({}, sample({}))).toBe(false);
	});

	test('the board\'s slice and the report count the same restarts (a block counter going down included)', () => {
		const events: DomainEvent[] = [
			{type: 'stats/sampled', at: 1000, sample: sample({})},
			{type: 'stats/sampled', at: 2000, sample: sample({netRxBytes: 3000})},
			{type: 'stats/sampled', at: 3000, sample: sample({blockReadBytes: 5})}, // counters started again
			{type: 'stats/sampled', at: 4000, sample: sample({containerId: 'b', blockReadBytes: 50})},
		];
		const board = selectResourceSummary(reduceAll(initialDomainState, events)).nodes[0]!;
		const fold = createMetricsFold();
		for (const event of events) fold.add(event);
		const report = sessionReport(fold.state(), {file: 'x', damage: []});
		expect(board.restarts).toBe(2);
		const nodes = 'nodes' in report.resources ? report.resources.nodes : [];
		expect(nodes[0]!.notes).toContain('container restarted 2 times: counters summed across restarts');
		// and the same received bytes: 2000 before the first restart, then 1000 and 1000 counted from zero again
		expect(board.netRxBytes).toBe(4000);
		expect(nodes[0]!.netRxBytes).toBe(board.netRxBytes);
	});
});

describe('cache before and after', () => {
	const m = (at: number, reason: string) => ({at, reason, totalBytes: at});
	test('before: the first measurement if taken before the first build started or du\'s initial one', () => {
		expect(cacheBeforeAfter(m(100, 'initial'), m(900, 'build-ended'), 200)).toEqual({before: m(100, 'initial'), after: m(900, 'build-ended')});
		expect(cacheBeforeAfter(m(300, 'initial'), m(900, 'build-ended'), 200).before).toEqual(m(300, 'initial'));
		expect(cacheBeforeAfter(m(300, 'build-ended'), m(900, 'build-ended'), 200)).toEqual({after: m(900, 'build-ended')});
	});

	test('one measurement is "before" only; none is neither', () => {
		expect(cacheBeforeAfter(m(100, 'initial'), m(100, 'initial'), 200)).toEqual({before: m(100, 'initial')});
		expect(cacheBeforeAfter(undefined, undefined, 200)).toEqual({});
	});
});
