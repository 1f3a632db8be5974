import {describe, expect, test} from 'vitest';
import {layoutHeights, type LayoutInput} from '../../source/app/layout.js';

const base: LayoutInput = {
	height: 40, headerLines: 2, replayLines: 0, dialogLines: 0, rowCount: 2, hasRowExtras: false,
	summaryLines: 0, resourceLines: 5, cacheLines: 7, isLogOpen: true, isTimelineOpen: false,
};

/** Lines the App renders for a layout: header, replay, board, log box, timeline, summary, panels, dialog, footer. */
function used(input: LayoutInput): number {
	const l = layoutHeights(input);
	const boardLines = Math.min(l.boardRows, Math.max(1, input.rowCount)) * (input.hasRowExtras ? 2 : 1);
	return input.headerLines + input.replayLines + boardLines + (l.log > 0 ? l.log + 2 : 0) + l.timeline + l.summary + l.resources + l.cache + input.dialogLines + 1;
}

describe('layoutHeights', () => {
	test('a roomy terminal shows everything', () => {
		expect(layoutHeights(base)).toEqual({boardRows: 2, summary: 0, resources: 5, cache: 7, log: 10, timeline: 0});
	});

	test('never more lines than the terminal has, over many shapes (summary, downloads, dialog, timeline, tiny screens)', () => {
		for (const height of [8, 12, 20, 24, 30, 50]) {
			for (const rowCount of [1, 2, 8, 20]) {
				for (const hasRowExtras of [false, true]) {
					for (const summaryLines of [0, 3, 40]) {
						for (const dialogLines of [0, 7]) {
							for (const isTimelineOpen of [false, true]) {
								const input = {...base, height, rowCount, hasRowExtras, summaryLines, dialogLines, isTimelineOpen, replayLines: 1};
								if (height - dialogLines - 5 < 2) continue; // nothing can fit: header, footer and dialog alone exceed it
								expect(used(input), JSON.stringify(input)).toBeLessThan(height);
							}
						}
					}
				}
			}
		}
	});

	test('on a small screen the board keeps its rows and the log panel gives way', () => {
		const l = layoutHeights({...base, height: 12, rowCount: 4});
		expect(l.boardRows).toBeGreaterThanOrEqual(3);
		expect(l.log === 0 || l.log >= 3).toBe(true);
	});
});
