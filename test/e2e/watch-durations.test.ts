// `bxtop watch -` fed a finished capture reads it in milliseconds: a build's duration must come from BuildKit's own
// timestamps, not from bxtop's reading time, on the board, in plain mode, in --json, in the recording's replay and
// in its report. No Docker needed: the real bxtop reads real captures.
import {describe, expect, test} from 'vitest';
import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {runCli} from '../helpers/e2e.js';
import {readReal, realDir} from '../helpers/captures.js';
import type {SessionSummary} from '../../source/report/json-summary.js';
import {loadTimeline} from '../../source/record/timeline.js';
import {selectRows} from '../../source/state/selectors.js';

// BuildKit's span of each capture: first vertex start to last completion (computed from the raw timestamps)
const cases = [
	{capture: '07-concurrent-per-platform-cold-amd64.stderr.rawjson', spanMs: 24_512, shown: '24.5s'},
	{capture: 'bx029-docker-driver-single-platform.stderr.rawjson', spanMs: 341, shown: '0.3s'},
];

describe('watch: build durations from BuildKit timestamps in every mode', () => {
	for (const {capture, spanMs, shown} of cases) {
		test(capture, async () => {
			const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-watch-'));
			const json = path.join(dir, 'summary.json');
			const rec = path.join(dir, 'watch.bxrec');
			const run = await runCli(['watch', '-', '--plain', '--json', json, '--record', rec], {input: readReal(capture)});
			expect(run.code, run.stderr).toBe(0);
			expect(run.stdout).toMatch(new RegExp(`\\[watch default\\] done in ${shown.replace('.', '\\.')} \\(`));
			const summary = JSON.parse(readFileSync(json, 'utf8')) as SessionSummary;
			expect(Math.abs(summary.builds[0]!.durationMs - spanMs)).toBeLessThanOrEqual(1);

			// the recording of that watch, replayed (board state and --json) and reported
			const timeline = await loadTimeline(rec);
			const row = selectRows(timeline.final, timeline.final.lastEventAt)[0]!;
			expect(Math.abs(row.elapsedMs - spanMs)).toBeLessThanOrEqual(1);
			const replayJson = path.join(dir, 'replay.json');
			const replay = await runCli(['replay', rec, '--plain', '--json', replayJson]);
			expect(replay.stdout).toContain(`done in ${shown}`);
			expect(Math.abs((JSON.parse(readFileSync(replayJson, 'utf8')) as SessionSummary).builds[0]!.durationMs - spanMs)).toBeLessThanOrEqual(1);
			const report = await runCli(['report', '--format', 'json', rec]);
			const parsed = JSON.parse(report.stdout) as {sessions?: {builds: {durationMs: number; perPlatform: {durationMs: number}[]}[]}[]; builds?: {durationMs: number; perPlatform: {durationMs: number}[]}[]};
			const build = (parsed.sessions?.[0]?.builds ?? parsed.builds)![0]!;
			expect(Math.abs(build.durationMs - spanMs)).toBeLessThanOrEqual(1);
			expect(Math.abs(build.perPlatform[0]!.durationMs - spanMs)).toBeLessThanOrEqual(1);
		});
	}

	test('raw-capture replay already runs on BuildKit time: the same figure', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-watch-'));
		const json = path.join(dir, 'summary.json');
		const run = await runCli(['replay', path.join(realDir, cases[0]!.capture), '--plain', '--json', json]);
		expect(run.stdout).toContain('done in 24.5s');
		expect(Math.abs((JSON.parse(readFileSync(json, 'utf8')) as SessionSummary).builds[0]!.durationMs - 24_512)).toBeLessThanOrEqual(1);
	});
});
