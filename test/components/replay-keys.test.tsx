// Replay's keys through the real App, key table and replayer (ink-testing-library): the status line follows.
import React from 'react';
import {expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreProvider} from '../../source/app/store-context.js';
import {App} from '../../source/app/app.js';
import {createAppStore} from '../../source/state/store.js';
import {createReplayer} from '../../source/record/replayer.js';
import {loadTimeline} from '../../source/record/timeline.js';
import {manualClock} from '../../source/domain/clock.js';
import {keys, waitForFrame} from '../helpers/ink.js';
import {sessionFromCapture, writeRecording} from '../helpers/recordings.js';

test('space pauses, arrows seek 10 s, ] jumps to the next mark, + and - change speed, G and 0 jump to the ends', async () => {
	const timeline = await loadTimeline(await writeRecording(sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson')));
	const store = createAppStore();
	const replayer = createReplayer(timeline, store, {clock: manualClock()});
	replayer.seekToPosition(0);
	const {lastFrame, stdin, unmount} = render(
		<StoreProvider store={store}>
			<App mode="replay" quit={() => {}} replay={replayer} size={{columns: 100, rows: 30}} />
		</StoreProvider>,
	);
	const status = () => (lastFrame() ?? '').split('\n').find(l => l.startsWith('replay ')) ?? '';
	await waitForFrame(lastFrame, f => f.includes('replay 0:00 / 0:47  1x  playing'));

	stdin.write(' ');
	await waitForFrame(lastFrame, () => status().includes('paused'));
	stdin.write(keys.right);
	await waitForFrame(lastFrame, () => status().startsWith('replay 0:10 / 0:47'));
	stdin.write(keys.right);
	await waitForFrame(lastFrame, () => status().startsWith('replay 0:20 / 0:47'));
	stdin.write(keys.left);
	await waitForFrame(lastFrame, () => status().startsWith('replay 0:10 / 0:47'));
	expect(replayer.positionMs()).toBe(10_000);

	stdin.write(']');
	const next = timeline.marks.find(m => m > timeline.startMs + 10_000 + 1)! - timeline.startMs;
	await waitForFrame(lastFrame, () => replayer.positionMs() === next);
	stdin.write('[');
	await waitForFrame(lastFrame, () => replayer.positionMs() < next);

	stdin.write('+');
	await waitForFrame(lastFrame, () => status().includes(' 2x '));
	stdin.write('+');
	stdin.write('+');
	await waitForFrame(lastFrame, () => status().includes(' 8x '));
	stdin.write('-');
	await waitForFrame(lastFrame, () => status().includes(' 4x '));

	stdin.write('G');
	await waitForFrame(lastFrame, () => status().startsWith('replay 0:47 / 0:47'));
	expect(lastFrame()).toMatch(/✔ backend-cpu\s+linux\/amd64/);
	stdin.write('0');
	await waitForFrame(lastFrame, () => status().startsWith('replay 0:00 / 0:47'));
	await waitForFrame(lastFrame, f => !f.includes('✔'));
	expect(store.getState().domain.builds.byId.b1!.status).toBe('running');
	unmount();
});
