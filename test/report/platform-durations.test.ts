// One per-platform duration: the board's (--json summary) and the report's agree on real raw captures, which carry
// no platform list of their own (the steps name the platforms), for a completed build and for a failed one whose
// other platform was cancelled mid-step.
import {describe, expect, test} from 'vitest';
import {loadTimeline} from '../../source/record/timeline.js';
import {summarize} from '../../source/report/json-summary.js';
import {summarizeRecording} from '../../source/report/metrics.js';
import path from 'node:path';
import {realDir} from '../helpers/captures.js';

describe.each([
	['01-cold-multiplatform-oci.stderr.rawjson', 47_137],
	['09-fail-multiplatform-rawjson.stderr.rawjson', undefined],
])('%s', (capture, expectedMs) => {
	test('board and report: the same duration for each platform', async () => {
		const file = path.join(realDir, capture);
		const board = summarize((await loadTimeline(file)).final).builds.map(b => [b.platform, b.durationMs]);
		const report = (await summarizeRecording(file)).builds.flatMap(b => b.perPlatform.map(p => [p.platform, p.durationMs]));
		expect(board).toHaveLength(2);
		expect(report.sort()).toEqual(board.sort());
		for (const [, ms] of board) {
			expect(ms).toBeGreaterThan(0);
			if (expectedMs !== undefined) expect(ms).toBe(expectedMs);
		}
	});
});
