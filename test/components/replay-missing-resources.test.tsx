// A replay of a recording (or a raw capture) that holds no builder, host or cache events must say what it lacks:
// "builder: inspecting…" forever describes a live session, not a file.
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreProvider} from '../../source/app/store-context.js';
import {App} from '../../source/app/app.js';
import {createAppStore} from '../../source/state/store.js';
import {createReplayer} from '../../source/record/replayer.js';
import {loadTimeline} from '../../source/record/timeline.js';
import {manualClock} from '../../source/domain/clock.js';
import {waitForFrame} from '../helpers/ink.js';
import {sessionFromCapture, writeRecording} from '../helpers/recordings.js';
import {realDir} from '../helpers/captures.js';
import {bundledRecording} from '../../source/app/demo.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';

async function replayFrame(file: string, at: 'start' | 'end'): Promise<string> {
	const timeline = await loadTimeline(file);
	const store = createAppStore();
	const replayer = createReplayer(timeline, store, {clock: manualClock()});
	replayer.seekToPosition(at === 'start' ? 0 : timeline.endMs - timeline.startMs);
	const view = render(
		<StoreProvider store={store}>
			<App mode="replay" quit={() => {}} replay={replayer} size={{columns: 100, rows: 40}} />
		</StoreProvider>,
	);
	const frame = await waitForFrame(view.lastFrame, f => f.includes('backend') || f.includes('07-concurrent'));
	view.unmount();
	return frame;
}

describe('replay says what the recording lacks', () => {
	test('a recording without builder, host or cache events (a real capture through the real recorder)', async () => {
		const file = await writeRecording(sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson'));
		for (const at of ['start', 'end'] as const) {
			const frame = await replayFrame(file, at);
			expect(frame).not.toMatch(/inspecting…|sampling…|measuring…/);
			expect(frame).toContain('builder: not in this recording');
			expect(frame).toContain('host: not in this recording');
			expect(frame).toContain('build cache: not in this recording');
		}
	});

	test('a raw buildx capture', async () => {
		const frame = await replayFrame(`${realDir}07-concurrent-per-platform-cold-amd64.stderr.rawjson`, 'end');
		expect(frame).not.toMatch(/inspecting…|sampling…|measuring…/);
		expect(frame).toContain('builder: not in a raw buildx capture');
		expect(frame).toContain('host: not in a raw buildx capture');
		expect(frame).toContain('build cache: not in a raw buildx capture');
	});

	test('a recording that has them shows them, and says nothing is missing', async () => {
		const frame = await replayFrame(bundledRecording(), 'end');
		expect(frame).not.toContain('not in this recording');
		expect(frame).toMatch(/^builder default \(docker\)/m);
		expect(frame).toMatch(/^build cache default: /m);
	});

	test('a live `bxtop watch` (no resource monitor) says it measures none, instead of waiting', async () => {
		const events = sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson');
		const first = events[0]!;
		if (first.type === 'session/started') first.info = {...first.info, mode: 'watch'};
		const store = createAppStore(reduceAll(initialDomainState, events));
		const view = render(
			<StoreProvider store={store}>
				<App mode="live" quit={() => {}} size={{columns: 100, rows: 40}} />
			</StoreProvider>,
		);
		const frame = await waitForFrame(view.lastFrame, f => f.includes('backend'));
		view.unmount();
		expect(frame).not.toMatch(/inspecting…|sampling…|measuring…/);
		expect(frame).toContain("builder: not measured by bxtop watch (it reads the build's output only)");
		expect(frame).toContain('build cache: not measured by bxtop watch');
	});
});
