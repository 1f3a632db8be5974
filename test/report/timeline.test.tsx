// The `t` timeline over REAL captures (fed through the live parsing path): bars across the width on BuildKit's
// own time axis, cached steps as markers, failures marked, clipping to the height, a running build's open bars.
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {stripVTControlCharacters} from 'node:util';
import {Timeline, timelineLines} from '../../source/components/timeline.js';
import {captureEvents, captureState} from '../helpers/captures.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';

function frameOf(element: React.ReactElement): string[] {
	const {lastFrame, unmount} = render(element);
	const frame = stripVTControlCharacters(lastFrame() ?? '');
	unmount();
	return frame.split('\n');
}

describe('Timeline', () => {
	test('failed multi-platform build: every step on one axis, cached markers, the failure, the cancelled sibling', () => {
		const build = captureState('09-fail-multiplatform-rawjson.stderr.rawjson', {}, 1).builds.byId.b1!;
		const lines = frameOf(<Timeline build={build} nowMs={0} width={80} height={40} />);
		expect(lines).toHaveLength(31);
		expect(lines[0]).toBe('timeline scenario (linux/amd64, linux/arm64) 0.2s');
		expect(lines[1]).toBe('shared load build defini… █                                                 0.0s');
		expect(lines[6]).toBe('amd64 2/7 RUN python3 -m…           ◆                                     cached');
		expect(lines[16]).toBe('amd64 6/6 RUN python -m …           ██████████████████████████████        ✖ 0.1s');
		expect(lines[29]).toBe('arm64 6/6 RUN python -m …           ░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░░     0.1s');
		expect(lines[30]).toBe('                          0s───────────────────────────────────────0.2s');
		for (const line of lines.slice(1, 30)) expect(line).toHaveLength(80);
	});

	test('clipped to the height: the longest steps stay, the rest are counted', () => {
		const build = captureState('01-cold-multiplatform-oci.stderr.rawjson').builds.byId.b1!;
		const lines = frameOf(<Timeline build={build} nowMs={0} width={100} height={14} />);
		expect(lines).toHaveLength(14);
		expect(lines[0]).toBe('timeline scenario (linux/amd64, linux/arm64) 47.1s');
		expect(lines[7]).toBe('arm64 2/7 RUN python3 -m venv /…    ██████████████████████████                                 20.8s');
		expect(lines[12]).toBe('+17 shorter steps');
		expect(lines[13]).toBe('                                 0s───────────────────────────────────────────────────47.1s');
		const layout = timelineLines(build, 0, 100, 14);
		expect(layout.hidden).toBe(17);
		expect(layout.lines.filter(l => l.key !== 'hidden').map(l => l.duration.trim())).toEqual(['7.6s', '2.6s', '0.4s', '3.3s', '10.7s', '2.7s', '20.8s', '0.4s', '14.4s', '0.8s', '0.3s']);
	});

	test('a running build: open bars up to now, "so far" in the title', () => {
		const events = captureEvents('01-cold-multiplatform-oci.stderr.rawjson');
		// the stream up to the moment arm64 is in `RUN python3 -m venv` (a real prefix of the capture)
		const cut = events.findIndex(e => e.at >= 1_795_948_930_000);
		const state = reduceAll(initialDomainState, events.slice(0, cut));
		const build = state.builds.byId.b1!;
		expect(build.status).toBe('running');
		const now = build.lastTimestampMs! + 1000;
		const layout = timelineLines(build, now, 80, 40);
		expect(layout.title).toMatch(/^timeline scenario \(linux\/amd64, linux\/arm64\) \d+\.\ds so far$/);
		const venv = layout.lines.find(l => l.label.startsWith('arm64 2/7 RUN python3'))!;
		expect(venv.isRunning).toBe(true);
		expect(venv.bar.trimEnd().endsWith('▒')).toBe(true);
		expect(venv.bar.trimEnd().length).toBe(venv.bar.length); // open until now: reaches the right edge
	});
});
