// What one board frame costs: the real App replaying a real capture at 130x40, seeked step by step (each seek a
// frame), with Ink's own Output.get() and with bxtop's row cache (components/ink-row-cache.ts), in alternating rounds
// of the same seeks in one process. CPU is the process's (React, layout, Ink's raster and the writes to a sink).
// Then what one changed row costs to make: Ink's one-row get() against the row cache's raster, on the same rows.
import path from 'node:path';
import {Writable} from 'node:stream';
import React from 'react';
import {render} from 'ink';
import {loadTimeline} from '../source/record/timeline.js';
import {createAppStore} from '../source/state/store.js';
import {createReplayer} from '../source/record/replayer.js';
import {manualClock} from '../source/domain/clock.js';
import {StoreProvider} from '../source/app/store-context.js';
import {App} from '../source/app/app.js';
import {installInkRowCache, type InkRowCache, type RowWrite} from '../source/components/ink-row-cache.js';

export async function frameBench(file: string, rounds: number): Promise<void> {
	const cache = await installInkRowCache();
	if (!cache) {
		console.log('  skipped: the Ink in node_modules is not the version the row cache was checked against');
		return;
	}
	const timeline = await loadTimeline(file);
	const store = createAppStore();
	const replayer = createReplayer(timeline, store, {clock: manualClock()});
	replayer.seekToPosition(0);
	let writes = 0;
	const size = {columns: 130, rows: 40};
	let onWrite: (() => void) | undefined;
	const sink = Object.assign(new Writable({write: (_c, _e, done) => void (writes++, onWrite?.(), done())}), {isTTY: true, ...size});
	const ink = render(
		React.createElement(StoreProvider, {store, children: React.createElement(App, {mode: 'replay', quit: () => {}, replay: replayer, size})}),
		{stdout: sink as unknown as NodeJS.WriteStream, patchConsole: false, exitOnCtrlC: false, maxFps: 1000},
	);
	const duration = timeline.endMs - timeline.startMs;
	const seeks = 120;
	const frame = async (positionMs: number) => {
		const before = writes;
		replayer.seekToPosition(positionMs);
		// wait for Ink's write without spinning (a polling loop would be timed as the frame's CPU)
		if (writes === before) {
			await new Promise<void>(resolve => {
				const timer = setTimeout(resolve, 1000);
				onWrite = () => {
					clearTimeout(timer);
					resolve();
				};
			});
			onWrite = undefined;
		}
		return writes > before ? 1 : 0;
	};
	const round = async (get: typeof cache.inkGet) => {
		cache.Output.prototype.get = get;
		const start = process.cpuUsage();
		let frames = 0;
		// forward in steps of duration/seeks, as a build's frames follow each other
		for (let i = 1; i <= seeks; i++) frames += await frame(Math.round((duration * i) / seeks));
		const cpu = process.cpuUsage(start);
		await frame(0);
		return {cpuMs: (cpu.user + cpu.system) / 1000, frames};
	};
	// the same seeks into a store nobody draws: what applying the events costs, inside both figures
	const eventsOnly = async () => {
		const bare = createAppStore();
		const bareReplayer = createReplayer(timeline, bare, {clock: manualClock()});
		bareReplayer.seekToPosition(0);
		const start = process.cpuUsage();
		for (let i = 1; i <= seeks; i++) bareReplayer.seekToPosition(Math.round((duration * i) / seeks));
		const cpu = process.cpuUsage(start);
		return (cpu.user + cpu.system) / 1000 / seeks;
	};
	const best = {ink: Infinity, cached: Infinity, events: Infinity};
	await round(cache.inkGet); // warm-up of both
	// the rows the row cache makes in its first round (later rounds find them all): for the raster figures below
	const made: {width: number; writes: RowWrite[]}[] = [];
	const {rasterRow} = cache;
	cache.rasterRow = (width, writes) => (made.push({width, writes}), rasterRow(width, writes));
	await round(cache.cachedGet);
	cache.rasterRow = rasterRow;
	for (let i = 0; i < rounds; i++) {
		const ink = await round(cache.inkGet);
		const cached = await round(cache.cachedGet);
		best.ink = Math.min(best.ink, ink.cpuMs / Math.max(1, ink.frames));
		best.cached = Math.min(best.cached, cached.cpuMs / Math.max(1, cached.frames));
		best.events = Math.min(best.events, await eventsOnly());
	}
	cache.Output.prototype.get = cache.cachedGet;
	ink.unmount();
	console.log(`  ${path.basename(file)}, 130x40, ${seeks} frames a round, best of ${rounds} alternating rounds: Ink's own Output.get ${best.ink.toFixed(2)} ms CPU a frame, row cache ${best.cached.toFixed(2)} ms (${(best.ink / best.cached).toFixed(1)}x); of each, applying the frame's events ${best.events.toFixed(2)} ms`);
	rasterBench(cache, made, rounds);
}

/**
 * A changed row made by Ink's own get() on a one-row Output and by the row cache's raster, over the rows one replay
 * made (their segments already tokenised, as most of a changed row's are), in alternating rounds.
 */
function rasterBench(cache: InkRowCache, made: {width: number; writes: RowWrite[]}[], rounds: number): void {
	const mismatches = made.filter(row => cache.rasterRow(row.width, row.writes) !== cache.inkRasterRow(row.width, row.writes)).length;
	const repeat = Math.max(1, Math.ceil(20_000 / Math.max(1, made.length)));
	const time = (raster: InkRowCache['rasterRow']) => {
		const start = process.cpuUsage();
		for (let r = 0; r < repeat; r++) for (const row of made) raster(row.width, row.writes);
		const cpu = process.cpuUsage(start);
		return (cpu.user + cpu.system) / (repeat * made.length);
	};
	const best = {ink: Infinity, bxtop: Infinity};
	for (let i = 0; i <= rounds; i++) {
		const ink = time(cache.inkRasterRow);
		const bxtop = time(cache.rasterRow);
		if (i === 0) continue; // warm-up
		best.ink = Math.min(best.ink, ink);
		best.bxtop = Math.min(best.bxtop, bxtop);
	}
	console.log(`  a changed row (${made.length} rows of that replay, each ${repeat} times a round, best of ${rounds}): Ink's one-row get() ${best.ink.toFixed(1)} µs CPU, the row cache's raster ${best.bxtop.toFixed(1)} µs (${(best.ink / best.bxtop).toFixed(1)}x); rows that differ: ${mismatches}`);
}
