// Hour-long builds (CUDA builds of the seed's kind take over an hour): every width budget must hold for the longest
// values. A SYNTHETIC 1-hour, 8-build session from the bench's generator, replayed at 130x40, must never wrap a line
// or outgrow the terminal; and rows with the longest values (elapsed past 10 h, 4-digit step counts, TB sizes,
// GB/s rates) must fit every width.
import React from 'react';
import {describe, expect, test} from 'vitest';
import {StoreProvider} from '../../source/app/store-context.js';
import {App} from '../../source/app/app.js';
import {createAppStore} from '../../source/state/store.js';
import {createReplayer} from '../../source/record/replayer.js';
import {loadTimeline} from '../../source/record/timeline.js';
import {manualClock} from '../../source/domain/clock.js';
import {syntheticSession} from '../../bench/synthetic-session.js';
import {Board} from '../../source/components/board.js';
import {Timeline} from '../../source/components/timeline.js';
import type {DomainEvent} from '../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import type {Row} from '../../source/state/selectors.js';
import {renderWithColumns, waitForFrame} from '../helpers/ink.js';
import {writeRecording} from '../helpers/recordings.js';

function expectFits(frame: string, columns: number, rows: number): void {
	const lines = frame.split('\n');
	expect(lines.length, frame).toBeLessThan(rows);
	for (const line of lines) expect(line.length, `${line.length} > ${columns}: ${line}`).toBeLessThanOrEqual(columns);
	// a wrapped row leaves an empty line behind it
	expect(lines.filter(l => l.trim() === '').length, frame).toBe(0);
}

describe('hour-long sessions', () => {
	test('replay of a synthetic 1-hour, 8-build session at 130x40: the header and status stay, no row wraps', async () => {
		const timeline = await loadTimeline(await writeRecording(syntheticSession({builds: 8, durationMs: 3_600_000})));
		const store = createAppStore();
		const replayer = createReplayer(timeline, store, {clock: manualClock()});
		replayer.seekToPosition(0);
		const view = await renderWithColumns(
			<StoreProvider store={store}>
				<App mode="replay" quit={() => {}} replay={replayer} size={{columns: 130, rows: 40}} />
			</StoreProvider>,
			130,
		);
		for (const positionMs of [120_000, 3_599_000, 3_600_000]) {
			replayer.seekToPosition(positionMs);
			const clock = `${Math.floor(positionMs / 60_000)}:${String(Math.floor(positionMs / 1000) % 60).padStart(2, '0')}`;
			const frame = await waitForFrame(view.lastFrame, f => f.includes(`replay ${positionMs >= 3_600_000 ? '1:00:00' : clock} / 1:00:00`));
			expect(frame.split('\n')[0]).toMatch(/^bxtop /);
			expect(frame.split('\n')[1]).toMatch(/^replay /);
			expectFits(frame, 129, 40);
		}
		expect(view.lastFrame()).toMatch(/target-0 +linux\/amd64 +24\/24 .* 1h00m00s/);
		view.unmount();
	});

	const longest: Row[] = [
		{key: 'a', buildId: 'a', target: 'backend-cuda-with-a-long-name', platform: 'linux/arm64/v8', status: 'running', isEmulated: true, stepsDone: 1234, stepsTotal: 1240, stepsCached: 1200, internalDone: 0, elapsedMs: 45_296_000, errorLines: [], bytes: {currentBytes: 999_900_000_000, totalBytes: 1_234_000_000_000, bytesPerSecond: 1_234_000_000, label: 'x'}},
		{key: 'b', buildId: 'b', target: 'frontend', platform: 'linux/amd64', status: 'done', isEmulated: false, stepsDone: 12, stepsTotal: 12, stepsCached: 3, internalDone: 0, elapsedMs: 3_600_000, errorLines: []},
		{key: 'c', buildId: 'c', target: 'x', platform: 'linux/amd64', status: 'failed', isEmulated: false, stepsDone: 0, stepsTotal: 99_999, stepsCached: 0, internalDone: 0, elapsedMs: 360_000_000, errorLines: []},
	];
	for (const width of [40, 60, 80, 100, 129, 160]) {
		test(`rows with the longest values fit ${width} columns`, async () => {
			const view = await renderWithColumns(<Board rows={longest} selected={0} nowMs={0} height={10} width={width} />, width);
			const frame = await waitForFrame(view.lastFrame, f => f.includes('100h00m00s'));
			view.unmount();
			expectFits(frame, width, 20);
			expect(frame).toContain('12h34m56s');
			expect(frame).toContain('100h00m00s');
		});
	}

	test('the timeline of a build with steps of more than 10 hours, one failed, fits the width', async () => {
		const t0 = Date.parse('2026-01-01T00:00:00Z');
		const step = (n: number, from: number, to: number, error?: string) => ({digest: `sha256:${n}`, name: `[builder ${n}/2] RUN make cuda-kernels-${n}`, started: from, completed: to, ...(error ? {error} : {})});
		const events: DomainEvent[] = [
			{type: 'build/queued', at: t0, spec: {buildId: 'cuda', target: 'backend-cuda', tags: [], platforms: ['linux/amd64'], argv: []}},
			{type: 'build/started', at: t0, buildId: 'cuda'},
			{type: 'build/status-received', at: t0 + 37_000_000, buildId: 'cuda', status: {vertexes: [step(1, t0, t0 + 37_000_000)]}},
			{type: 'build/status-received', at: t0 + 80_000_000, buildId: 'cuda', status: {vertexes: [step(2, t0 + 37_000_000, t0 + 80_000_000, 'process "/bin/sh -c make" did not complete successfully: exit code: 2')]}},
			{type: 'build/exited', at: t0 + 80_000_000, buildId: 'cuda', exitCode: 1, isCancelled: false},
		];
		const build = reduceAll(initialDomainState, events).builds.byId.cuda!;
		for (const width of [40, 80, 129]) {
			const view = await renderWithColumns(<Timeline build={build} nowMs={t0 + 80_000_000} width={width} height={8} />, width);
			const frame = await waitForFrame(view.lastFrame, f => f.includes('timeline'));
			view.unmount();
			expectFits(frame, width, 20);
			expect(frame).toContain('✖ 11h56m40s');
		}
	});
});
