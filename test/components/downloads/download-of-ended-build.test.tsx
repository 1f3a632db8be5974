// A build that fails (or is cancelled) while pip is downloading: its download line must end as failed / cancelled
// with what had arrived, not stay at "≈18.0/120.0 MB ≈14.0 MB/s eta ≈0:07" forever. The events are the bundled real
// recording (plain pip, rates estimated from this machine's rx counter) cut mid-download, then the child's exit as
// it happens when the BuildKit container is restarted mid-build.
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreProvider} from '../../../source/app/store-context.js';
import {App} from '../../../source/app/app.js';
import {createAppStore} from '../../../source/state/store.js';
import type {DomainEvent} from '../../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../../source/state/reducer.js';
import {readRecording} from '../../../source/record/reader.js';
import {bundledRecording} from '../../../source/app/demo.js';
import {selectDownloadSummaries} from '../../../source/state/download-selectors.js';
import {downloadEndedLines} from '../../../source/plain/download-lines.js';
import {waitForFrame} from '../../helpers/ink.js';
import {formatDuration} from '../../../source/lib/format.js';

type TorchDownload = {buildId: string; platform: string; startedAt: number; finishedAt: number};

/** The bundled recording's two torch downloads, and a moment when both are running (70 % into their overlap). */
async function torchDownloads(): Promise<{events: DomainEvent[]; torch: TorchDownload[]; cutAt: number}> {
	const {events} = await readRecording(bundledRecording());
	const torch: TorchDownload[] = [];
	for (const e of events) {
		if (e.type === 'download/started' && e.package === 'torch') torch.push({buildId: e.buildId, platform: e.platform, startedAt: e.at, finishedAt: Infinity});
		if (e.type === 'download/finished' && e.package === 'torch') torch.find(t => t.buildId === e.buildId)!.finishedAt = e.at;
	}
	const lastStart = Math.max(...torch.map(t => t.startedAt));
	const firstEnd = Math.min(...torch.map(t => t.finishedAt));
	return {events, torch, cutAt: Math.round(lastStart + 0.7 * (firstEnd - lastStart))};
}

async function cutRecording(): Promise<DomainEvent[]> {
	const {events, cutAt} = await torchDownloads();
	return events.filter(e => e.at <= cutAt);
}

/** Every build exits 300 ms after the cut. */
async function exits(events: DomainEvent[], how: {exitCode: number | null; isCancelled: boolean}): Promise<DomainEvent[]> {
	const {cutAt} = await torchDownloads();
	const ids = events.flatMap(e => (e.type === 'build/queued' ? [e.spec.buildId] : []));
	return ids.map(buildId => ({type: 'build/exited', at: cutAt + 300, buildId, ...how}));
}

async function boardOf(events: DomainEvent[]): Promise<string> {
	const store = createAppStore(reduceAll(initialDomainState, events));
	const view = render(
		<StoreProvider store={store}>
			<App mode="live" quit={() => {}} size={{columns: 100, rows: 30}} />
		</StoreProvider>,
	);
	const frame = await waitForFrame(view.lastFrame, f => f.includes('backend:cpu'));
	view.unmount();
	return frame;
}

describe('downloads of a build that ended before they did', () => {
	test('while the build runs the line is live (the precondition)', async () => {
		const frame = await boardOf(await cutRecording());
		expect(frame).toMatch(/↳ torch 2\.5\.1\+cpu {2}≈\d+\.\d\/\d+\.\d MB {2}≈[\d.]+ MB\/s {2}eta ≈0:\d\d/);
	});

	test('a failed build: the download ends failed, with the bytes that arrived (estimated) and no eta', async () => {
		const cut = await cutRecording();
		const frame = await boardOf([...cut, ...await exits(cut, {exitCode: 1, isCancelled: false})]);
		expect(frame).not.toContain('eta');
		const lines = frame.split('\n').filter(l => l.includes('↳ torch'));
		expect(lines).toHaveLength(2);
		for (const line of lines) expect(line).toMatch(/^ {3}↳ torch 2\.5\.1\+cpu {2}failed at ≈\d+\.\d\/\d+\.\d MB after \d+\.\ds: build failed \(exit code 1\)/);
		const {torch, cutAt} = await torchDownloads();
		expect(lines.map(l => l.match(/after (\S+):/)![1]).sort()).toEqual(torch.map(t => formatDuration(cutAt + 300 - t.startedAt)).sort());
		const state = reduceAll(initialDomainState, [...cut, ...await exits(cut, {exitCode: 1, isCancelled: false})]);
		expect(selectDownloadSummaries(state).filter(d => d.package === 'torch').map(d => [d.status, d.reason])).toEqual([
			['failed', 'build failed (exit code 1)'],
			['failed', 'build failed (exit code 1)'],
		]);
	});

	test('a cancelled build: the download ends cancelled', async () => {
		const cut = await cutRecording();
		const frame = await boardOf([...cut, ...await exits(cut, {exitCode: 130, isCancelled: true})]);
		expect(frame).not.toContain('eta');
		const lines = frame.split('\n').filter(l => l.includes('↳ torch'));
		expect(lines).toHaveLength(2);
		for (const line of lines) expect(line).toMatch(/↳ torch 2\.5\.1\+cpu {2}cancelled at ≈\d+\.\d\/\d+\.\d MB after \d+\.\ds/);
	});

	test('plain mode prints one line for each download the build took with it', async () => {
		const cut = await cutRecording();
		const ended = await exits(cut, {exitCode: 1, isCancelled: false});
		const state = reduceAll(initialDomainState, [...cut, ...ended]);
		const {torch, cutAt} = await torchDownloads();
		expect(downloadEndedLines(ended, state)).toEqual(
			torch
				.sort((a, b) => a.platform.localeCompare(b.platform))
				.map(t => `[backend:cpu ${t.platform}] download of torch 2.5.1+cpu FAILED after ${formatDuration(cutAt + 300 - t.startedAt)}: build failed (exit code 1)`),
		);
	});
});
