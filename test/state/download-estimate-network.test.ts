// estimateFromRx: rx counter samples shared among the downloads running at each moment (synthetic samples).
import {describe, expect, it} from 'vitest';
import {estimateFromRx} from '../../source/state/download-selectors.js';

describe('estimateFromRx', () => {
	it('gives one download every byte counted while it runs, and the last interval as its rate', () => {
		const samples = [0, 1000, 2000, 3000].map(at => ({at, rxBytes: 500 + at * 10_000}));
		expect(estimateFromRx(samples, [{key: 'a', startedAt: 0}])).toEqual(new Map([['a', {doneBytes: 30_000_000, bytesPerSecond: 10_000_000}]]));
	});

	it('splits equally while two run, cutting intervals where one starts or ends', () => {
		// 20 MB/s on the link for 4 s; a runs 0-4 s, b runs 1-3 s.
		const samples = [0, 2000, 4000].map(at => ({at, rxBytes: at * 20_000}));
		const result = estimateFromRx(samples, [
			{key: 'a', startedAt: 0},
			{key: 'b', startedAt: 1000, endedAt: 3000},
		]);
		// a: 1 s alone (20 MB) + 2 s shared (20 MB) + 1 s alone (20 MB); b: 2 s shared (20 MB).
		expect(result.get('a')).toEqual({doneBytes: 60_000_000, bytesPerSecond: 20_000_000});
		expect(result.get('b')).toEqual({doneBytes: 20_000_000});
	});

	it('leaves bytes counted while no download runs unattributed, caps at the total, and survives a counter reset', () => {
		const samples = [
			{at: 0, rxBytes: 0},
			{at: 1000, rxBytes: 50_000_000}, // before the download: other traffic
			{at: 2000, rxBytes: 60_000_000},
			{at: 3000, rxBytes: 1_000}, // container restarted: counters start again
			{at: 4000, rxBytes: 90_001_000},
		];
		expect(estimateFromRx(samples, [{key: 'a', startedAt: 1000, totalBytes: 50_000_000}]).get('a')).toEqual({doneBytes: 50_000_000, bytesPerSecond: 90_000_000});
	});

	it('estimates nothing when counters do not move (host networking)', () => {
		const samples = [0, 1000, 2000].map(at => ({at, rxBytes: 0}));
		expect(estimateFromRx(samples, [{key: 'a', startedAt: 0}]).get('a')).toEqual({doneBytes: 0, bytesPerSecond: 0});
	});
});
