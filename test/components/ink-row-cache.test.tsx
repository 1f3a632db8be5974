// The row cache must give, for every frame, exactly the text Ink's own Output.get() gives: both run on every frame of
// real recordings replayed through the real App (seeks, panels, narrow terminals that clip), with colours on, and on
// a few frames built to reach the paths a board rarely takes (clipped boxes, wide characters, lines off the grid).
import React from 'react';
import {readdirSync} from 'node:fs';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {InkRowCache} from '../../source/components/ink-row-cache.js';

// Colours on before Ink (and its chalk) load, so the frames carry the ANSI codes the cache keys and Ink tokenises.
process.env.FORCE_COLOR = '3';
const {Box, Text} = await import('ink');
const {render} = await import('ink-testing-library');
const {installInkRowCache} = await import('../../source/components/ink-row-cache.js');
const {StoreProvider} = await import('../../source/app/store-context.js');
const {App} = await import('../../source/app/app.js');
const {createAppStore} = await import('../../source/state/store.js');
const {createReplayer} = await import('../../source/record/replayer.js');
const {loadTimeline} = await import('../../source/record/timeline.js');
const {manualClock} = await import('../../source/domain/clock.js');
const {keys, waitForFrame} = await import('../helpers/ink.js');

const recordingsDir = path.join(import.meta.dirname, '..', '..', 'recordings');

let cache: InkRowCache;
const compared = {frames: 0, colored: 0, mismatches: [] as {ink: string; cached: string}[]};

beforeAll(async () => {
	const installed = await installInkRowCache();
	if (!installed) throw new Error('the row cache was not installed on the Ink in node_modules');
	cache = installed;
	// Every frame goes through both: the cached text is what Ink shows, Ink's own is the oracle.
	cache.Output.prototype.get = function (this: InstanceType<InkRowCache['Output']>) {
		const cached = cache.cachedGet.call(this);
		const ink = cache.inkGet.call(this);
		compared.frames++;
		if (ink.output.includes('\u001B[')) compared.colored++;
		if (cached.output !== ink.output || cached.height !== ink.height) compared.mismatches.push({ink: ink.output, cached: cached.output});
		return cached;
	};
});

afterAll(() => {
	cache.Output.prototype.get = cache.cachedGet;
});

describe('Ink row cache', () => {
	test('is installed on the Ink bxtop ships with (6.8): when this fails, Ink changed; check the walk in ink-row-cache.ts against its Output.get()', () => {
		expect(cache.inkGet).not.toBe(cache.cachedGet);
	});

	const recordings = readdirSync(recordingsDir).filter(name => name.endsWith('.bxrec'));
	for (const name of recordings) {
		for (const size of [{columns: 130, rows: 40}, {columns: 60, rows: 18}, {columns: 34, rows: 10}]) {
			test(`every frame of real ${name} at ${size.columns}x${size.rows} (seeks, pauses, timeline, logs, help) is Ink's own`, async () => {
				const before = {...compared, mismatches: compared.mismatches.length};
				const hitsBefore = cache.stats.hits;
				const timeline = await loadTimeline(path.join(recordingsDir, name));
				const store = createAppStore();
				const replayer = createReplayer(timeline, store, {clock: manualClock()});
				replayer.seekToPosition(0);
				const view = render(
					<StoreProvider store={store}>
						<App mode="replay" quit={() => {}} replay={replayer} size={size} />
					</StoreProvider>,
				);
				const duration = timeline.endMs - timeline.startMs;
				const steps = 24;
				let paused = false;
				for (let i = 1; i <= steps; i++) {
					replayer.seekToPosition(Math.round((duration * i) / steps));
					if (i === 8) view.stdin.write('t');
					if (i === 12) view.stdin.write(keys.down);
					if (i === 13) view.stdin.write(keys.enter);
					if (i === 18) {
						view.stdin.write('?');
						await waitForFrame(view.lastFrame, f => f.includes('keys (replay)'));
						continue;
					}
					if (i === 19) view.stdin.write('?'); // closes help, which hides the status line
					// space flips playing/paused, so every step draws at least one frame, however short the recording
					view.stdin.write(' ');
					paused = !paused;
					await waitForFrame(view.lastFrame, f => f.includes(paused ? 'paused' : 'playing') && !f.includes('keys (replay)'));
				}
				view.unmount();
				expect(compared.mismatches.slice(before.mismatches)).toEqual([]);
				expect(compared.frames - before.frames).toBeGreaterThanOrEqual(steps);
				expect(compared.colored - before.colored).toBeGreaterThan(0);
				// rows that did not change between frames came from the cache
				expect(cache.stats.hits - hitsBefore).toBeGreaterThan(0);
			});
		}
	}

	test('lines above the grid, clipped boxes, wide characters (one past the row\'s end), colours and text taller than its box give Ink\'s own frames', async () => {
		const before = compared.mismatches.length;
		const frames = compared.frames;
		const Tree = ({n}: {n: number}) => (
			<Box flexDirection="column" width={30}>
				<Box marginTop={-1}>
					{/* both lines are skipped: Ink drops every line after one that is off the grid */}
					<Text>{`above the grid ${n}\nnot drawn ${n}`}</Text>
				</Box>
				<Box height={2} overflow="hidden" borderStyle="round">
					<Text color="green">{`clipped ${n}\nsecond line\nthird line`}</Text>
				</Box>
				<Box width={12} overflowX="hidden">
					<Text backgroundColor="blue">{'漢字かな交じり文 wide ' + n}</Text>
				</Box>
				<Box>
					<Text>{'🐳 emoji '}</Text>
					<Text bold>{String(n).repeat(40)}</Text>
				</Box>
				<Box marginTop={-1}>
					<Text dimColor>overlaps the line above</Text>
				</Box>
				<Box width={7}>
					<Text wrap="truncate-start">{'ab漢字かな' + n}</Text>
				</Box>
				<Text>{`${'x'.repeat(29)}漢`}</Text>
				<Text>{`frame ${n}`}</Text>
			</Box>
		);
		const view = render(<Tree n={0} />);
		for (let n = 1; n <= 6; n++) {
			view.rerender(<Tree n={n} />);
			await waitForFrame(view.lastFrame, f => f.includes(`frame ${n}`));
		}
		view.unmount();
		expect(compared.frames).toBeGreaterThan(frames);
		expect(compared.mismatches.slice(before)).toEqual([]);
	});
});
