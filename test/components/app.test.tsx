import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreProvider} from '../../source/app/store-context.js';
import {App} from '../../source/app/app.js';
import {createAppStore} from '../../source/state/store.js';
import {captureEvents, captureState} from '../helpers/captures.js';
import {keys, waitForFrame} from '../helpers/ink.js';
import type {DomainEvent} from '../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';

const both = {platforms: ['linux/amd64', 'linux/arm64'], target: 'backend-cpu'};
// The session starts when the real capture's first event happened (ms epoch of 2026-11-29T10:41:58Z-ish).
const info: DomainEvent = {type: 'session/started', at: 1_795_948_918_000, info: {command: [], mode: 'build', builder: 'mybuilder', driver: 'docker-container', buildkitVersion: 'v0.26.3', nativePlatform: 'linux/amd64'}};

function renderApp(events: DomainEvent[], size = {columns: 100, rows: 30}) {
	const store = createAppStore(reduceAll(initialDomainState, events));
	const quitCalls: number[] = [];
	const view = render(
		<StoreProvider store={store}>
			<App mode="live" quit={() => quitCalls.push(1)} size={size} />
		</StoreProvider>,
	);
	return {store, quitCalls, ...view};
}

describe('App (board) with ink-testing-library', () => {
	test('rows: one per platform with steps, cached count, emulated mark; header with builder and counts', async () => {
		const {lastFrame, unmount} = renderApp([info, ...captureEvents('02-warm-multiplatform-oci.stderr.rawjson', both)]);
		const frame = await waitForFrame(lastFrame, f => f.includes('backend-cpu'));
		const lines = frame.split('\n');
		expect(lines[0]).toMatch(/^bxtop builder mybuilder \(docker-container\) BuildKit v0\.26\.3  running 0 done 1 failed 0  /);
		const amd = lines.find(l => l.includes('linux/amd64'))!;
		const arm = lines.find(l => l.includes('linux/arm64'))!;
		expect(amd).toMatch(/^✔ backend-cpu\s+linux\/amd64\s+11\/11 .* cached 10/);
		expect(arm).toMatch(/^✔ backend-cpu\s+linux\/arm64 emu\s+11\/11 .* cached 10/);
		expect(amd).not.toContain('emu');
		unmount();
	});

	test('failure display: the failing step, exit code, its last lines and the error summary in the log panel', async () => {
		const {lastFrame, unmount} = renderApp([info, ...captureEvents('09-fail-multiplatform-rawjson.stderr.rawjson', both, 4096, 1)]);
		const frame = await waitForFrame(lastFrame, f => f.includes('failed:'));
		expect(frame).toMatch(/✖ backend-cpu\s+linux\/amd64\s+11\/12 \[linux\/amd64 runtime 6\/6\] RUN python -m ap/);
		expect(frame).toMatch(/◌ backend-cpu\s+linux\/arm64 emu/);
		expect(frame).toContain('failed: [linux/amd64 runtime 6/6] RUN python -m app.selftest  (exit code 1)');
		expect(frame).toContain('ERROR: failed to solve: process "/bin/sh -c python -m app.selftest" did not complete');
		expect(frame).toContain('selftest: ERROR: model weights not found: /models/whisper-small.pt');
		unmount();
	});

	test('selection moves with the arrows and the log panel follows; enter hides it', async () => {
		const {lastFrame, stdin, unmount} = renderApp([info, ...captureEvents('01-cold-multiplatform-oci.stderr.rawjson', both)]);
		await waitForFrame(lastFrame, f => f.includes('backend-cpu'));
		stdin.write(keys.down);
		const frame = await waitForFrame(lastFrame, f => /│ \[linux\/arm64/.test(f));
		expect(frame).toContain('[linux/arm64 runtime 5/5] WORKDIR /app'.slice(0, 20));
		stdin.write(keys.enter);
		const hidden = await waitForFrame(lastFrame, f => !f.includes('│'));
		expect(hidden).not.toContain('┌');
		unmount();
	});

	test('q asks to quit; ? shows the help from the key table', async () => {
		const {lastFrame, stdin, quitCalls, unmount} = renderApp([info]);
		stdin.write('?');
		const help = await waitForFrame(lastFrame, f => f.includes('keys (live)'));
		expect(help).toContain('prune unused build cache');
		expect(help).toContain('quit (stops running builds)');
		stdin.write('q');
		await waitForFrame(lastFrame, () => quitCalls.length > 0);
		expect(quitCalls).toEqual([1]);
		unmount();
	});

	test('clipping: more rows than fit show "+N more" and the frame never exceeds the height', async () => {
		const events: DomainEvent[] = [info];
		for (let i = 0; i < 30; i++) {
			events.push({type: 'build/queued', at: 1, spec: {buildId: `t${i}`, target: `target-${i}`, tags: [], platforms: ['linux/amd64'], argv: []}});
		}
		const {lastFrame, unmount} = renderApp(events, {columns: 100, rows: 20});
		const frame = await waitForFrame(lastFrame, f => f.includes('target-0'));
		expect(frame).toMatch(/\+\d+ more/);
		expect(frame.split('\n').length).toBeLessThan(20);
		unmount();
	});

	test('the live row shows the running step and byte progress of an active transfer', async () => {
		const events = captureEvents('01-cold-multiplatform-oci.stderr.rawjson', both);
		// cut the real stream while the base image layers are being pulled
		const cut = events.findIndex(e => e.type === 'build/status-received' && (e.status.statuses ?? []).some(s => s.total && s.current && s.current < s.total));
		const state = captureState('01-cold-multiplatform-oci.stderr.rawjson', both);
		expect(state.builds.order).toEqual(['b1']);
		const {lastFrame, unmount} = renderApp([info, ...events.slice(0, cut + 1)]);
		const frame = await waitForFrame(lastFrame, f => f.includes('backend-cpu'));
		expect(frame).toMatch(/ MB/);
		unmount();
	});

	test('an 80x24 terminal: no line wraps and the frame stays shorter than the screen, with many builds pulling layers', async () => {
		const events = captureEvents('01-cold-multiplatform-oci.stderr.rawjson', both);
		const cut = events.findIndex(e => e.type === 'build/status-received' && (e.status.statuses ?? []).some(s => s.total && s.current && s.current < s.total));
		const many: DomainEvent[] = [info];
		for (let i = 0; i < 8; i++) {
			for (const e of events.slice(0, cut + 1)) {
				if (e.type === 'build/queued') many.push({...e, spec: {...e.spec, buildId: `b${i}`, target: `a-rather-long-bake-target-name-${i}`}});
				else if ('buildId' in e) many.push({...e, buildId: `b${i}`} as DomainEvent);
			}
		}
		const {lastFrame, unmount} = renderApp(many, {columns: 80, rows: 24});
		const frame = await waitForFrame(lastFrame, f => f.includes('a-rather'));
		const lines = frame.split('\n');
		expect(lines.length).toBeLessThan(24);
		for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
		expect(frame).toMatch(/\+\d+ more/);
		unmount();
	});

	test('a starting line is the whole board until the session starts (? shows the help there); a cleared board draws nothing', async () => {
		const {store, lastFrame, stdin, unmount} = renderApp([]);
		store.getState().setUi(() => ({startingLine: 'asking docker for the builder'}));
		const starting = await waitForFrame(lastFrame, f => f.includes('asking docker'));
		// its footer offers only the keys that act there
		expect(starting.split('\n')).toEqual(['bxtop asking docker for the builder', '? help  q quit']);
		// `?` (the footer offers it) opens the help at once, and closes it again
		stdin.write('?');
		expect(await waitForFrame(lastFrame, f => f.includes('keys (live)'))).toContain('quit (stops running builds)');
		stdin.write('?');
		await waitForFrame(lastFrame, f => f.includes('asking docker'));
		store.getState().dispatch([info, ...captureEvents('02-warm-multiplatform-oci.stderr.rawjson', both)]);
		const board = await waitForFrame(lastFrame, f => f.includes('backend-cpu'));
		expect(board).toMatch(/^bxtop builder mybuilder \(docker-container\)/);
		expect(board).not.toContain('asking docker');
		store.getState().setUi(() => ({isCleared: true}));
		expect(await waitForFrame(lastFrame, f => f === '')).toBe('');
		unmount();
	});
});
