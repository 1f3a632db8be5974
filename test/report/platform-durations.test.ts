// One per-platform duration: the board's rows, the --json summary and the report agree on real raw captures, which
// carry no platform list of their own (the steps name the platforms), for a completed build, for a failed one whose
// other platform was cancelled mid-step, and for a capture cut off while the build ran (the board's clock then is
// the session's last event).
import {describe, expect, test} from 'vitest';
import {loadTimeline, stateAfter} from '../../source/record/timeline.js';
import {summarize} from '../../source/report/json-summary.js';
import {summarizeRecording} from '../../source/report/metrics.js';
import {selectRows} from '../../source/state/selectors.js';
import path from 'node:path';
import {realDir} from '../helpers/captures.js';

describe.each([
	['01-cold-multiplatform-oci.stderr.rawjson', 47_137],
	['09-fail-multiplatform-rawjson.stderr.rawjson', undefined],
])('%s', (capture, expectedMs) => {
	test('board, --json and report: the same duration for each platform', async () => {
		const file = path.join(realDir, capture);
		const state = (await loadTimeline(file)).final;
		const rows = selectRows(state, state.lastEventAt).map(r => [r.platform, r.elapsedMs]);
		const json = summarize(state).builds.map(b => [b.platform, b.durationMs]);
		const report = (await summarizeRecording(file)).builds.flatMap(b => b.perPlatform.map(p => [p.platform, p.durationMs]));
		expect(rows).toHaveLength(2);
		expect(json.sort()).toEqual(rows.sort());
		expect(report.sort()).toEqual(rows.sort());
		for (const [, ms] of rows) {
			expect(ms).toBeGreaterThan(0);
			if (expectedMs !== undefined) expect(ms).toBe(expectedMs);
		}
	});
});

test('a capture cut off mid-build: --json gives each running platform the board\'s time at the last event', async () => {
	const timeline = await loadTimeline(path.join(realDir, '01-cold-multiplatform-oci.stderr.rawjson'));
	const state = stateAfter(timeline, Math.floor(timeline.events.length / 2));
	const rows = selectRows(state, state.lastEventAt);
	expect(rows.map(r => r.status)).toEqual(['running', 'running']);
	const json = summarize(state).builds;
	expect(json.map(b => [b.platform, b.status, b.durationMs])).toEqual(rows.map(r => [r.platform, r.status, r.elapsedMs]));
	expect(json.every(b => b.durationMs > 0)).toBe(true);
});
