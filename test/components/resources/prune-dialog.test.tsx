// The prune dialog driven by keys through ink-testing-library: a harness stands in for the app's key handler,
// resolves keys through the key table and calls pruneDialogStep, the dialog's whole behaviour. Running the prune for
// real is test/e2e/resources.test.ts.
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {stripVTControlCharacters} from 'node:util';
import type {DomainEvent} from '../../../source/domain/events.js';
import {createAppStore} from '../../../source/state/store.js';
import {initialDomainState, reduceAll} from '../../../source/state/reducer.js';
import {PruneDialog, pruneDialogLines} from '../../../source/components/prune-dialog.js';
import type {PruneDialog as PruneDialogState} from '../../../source/state/prune-dialog.js';
import {waitForFrame, keys} from '../../helpers/ink.js';
import {PruneHarness, type PruneRun} from '../../helpers/prune-harness.js';
import {builderInspected, cacheEvent} from './resource-states.js';


function setup(extra: DomainEvent[] = []) {
	const store = createAppStore(reduceAll(initialDomainState, [builderInspected(), cacheEvent(1000, '04-after-push.buildx-du-verbose.txt'), ...extra]));
	const runs: PruneRun[] = [];
	const view = render(<PruneHarness store={store} onRun={run => runs.push(run)} width={90} />);
	return {store, runs, ...view};
}

describe('prune dialog', () => {
	test('p: shows the exact command and du estimate; y runs it; progress and the result follow the events', async () => {
		const {store, runs, stdin, lastFrame, unmount} = setup();
		await new Promise(resolve => setImmediate(resolve));
		stdin.write('p');
		const frame = await waitForFrame(lastFrame, f => f.includes('$ docker'));
		expect(frame).toBe(
			[
				'╭────────────────────────────────────────────────────────────────────────────────────────╮',
				'│ prune unused cache on builder mybuilder: removes build cache no build is using         │',
				'│ $ docker buildx prune --builder mybuilder --force                                      │',
				'│ du estimate: about 3.2 GB to reclaim of 3.2 GB cached                                  │',
				'│ y / enter prune · n / esc cancel                                                       │',
				'╰────────────────────────────────────────────────────────────────────────────────────────╯',
			].join('\n'),
		);
		stdin.write('y');
		await waitForFrame(lastFrame, f => f.includes('measuring the cache before pruning'));
		expect(runs).toEqual([{commandId: 'prune-unused'}]);
		const argv = ['buildx', 'prune', '--builder', 'mybuilder', '--force'];
		store.getState().dispatch([
			cacheEvent(2000, '04-after-push.buildx-du-verbose.txt'),
			{type: 'prune/started', at: 2001, pruneId: 'x', commandId: 'prune-unused', builder: 'mybuilder', argv, estimateBytes: 3_221_000_000},
			{type: 'prune/progressed', at: 2002, pruneId: 'x', recordsRemoved: 12, bytesRemoved: 558_000_000},
		]);
		expect(await waitForFrame(lastFrame, f => f.includes('so far'))).toContain('│ pruning… 12 records, 558.0 MB so far');
		store.getState().dispatch([
			{type: 'prune/finished', at: 2500, pruneId: 'x', reclaimedBytes: 3_221_000_000, recordsRemoved: 60, durationMs: 480},
			cacheEvent(2600, '06-after-prune-all.buildx-du-verbose.txt'),
		]);
		const done = await waitForFrame(lastFrame, f => f.includes('reclaimed'));
		expect(done.split('\n').slice(1, 6)).toEqual([
			'│ prune unused cache on builder mybuilder                                                │',
			'│ $ docker buildx prune --builder mybuilder --force                                      │',
			'│ reclaimed 3.2 GB (60 records) in 0.5s                                                  │',
			'│ du before 3.2 GB (3.2 GB reclaimable) → after 0 B (0 B reclaimable)                    │',
			'│ esc close                                                                              │',
		]);
		stdin.write(keys.escape);
		await waitForFrame(lastFrame, f => f.trim() === '');
		expect(store.getState().ui.dialog).toBeUndefined();
		unmount();
	});

	test('k: type the amount (digits, a dot, backspace); enter runs it with that amount', async () => {
		const {runs, stdin, lastFrame, unmount} = setup();
		await new Promise(resolve => setImmediate(resolve));
		stdin.write('k');
		expect(await waitForFrame(lastFrame, f => f.includes('keep at most'))).toContain('│ keep at most: 10 (default) GB_');
		for (const ch of ['2', '5', '\u007F', '.', '5']) {
			stdin.write(ch);
			await new Promise(resolve => setImmediate(resolve));
		}
		const frame = await waitForFrame(lastFrame, f => f.includes('2.5 GB'));
		expect(frame).toContain('│ $ docker buildx prune --builder mybuilder --force --keep-storage 2500000000');
		expect(frame).toContain('│ keep at most: 2.5 GB_');
		expect(frame).toContain('│ du estimate: about 721.0 MB to reclaim of 3.2 GB cached');
		stdin.write(keys.enter);
		await waitForFrame(lastFrame, f => f.includes('measuring the cache'));
		expect(runs).toEqual([{commandId: 'prune-keep', keepGb: 2.5}]);
		unmount();
	});

	test('while builds run it says so and asks again', async () => {
		const spec = {buildId: 'b1', target: 'app', tags: [], platforms: ['linux/amd64'], argv: []};
		const {runs, stdin, lastFrame, unmount} = setup([
			{type: 'build/queued', at: 3000, spec},
			{type: 'build/started', at: 3000, buildId: 'b1'},
		]);
		await new Promise(resolve => setImmediate(resolve));
		stdin.write('P');
		expect(await waitForFrame(lastFrame, f => f.includes('asked again'))).toContain('│ 1 build is running: you will be asked again.');
		stdin.write('y');
		const again = await waitForFrame(lastFrame, f => f.includes('prune anyway'));
		expect(again).toContain('│ 1 build is running: pruning now can remove cache they are about to reuse.');
		expect(runs).toEqual([]);
		stdin.write('y');
		await waitForFrame(lastFrame, f => f.includes('measuring the cache'));
		expect(runs).toEqual([{commandId: 'prune-all'}]);
		unmount();
	});

	test('n closes without running', async () => {
		const {runs, stdin, lastFrame, unmount} = setup();
		await new Promise(resolve => setImmediate(resolve));
		stdin.write('u');
		expect(await waitForFrame(lastFrame, f => f.includes('until=24h'))).toContain('│ du estimate: about 0 B to reclaim of 3.2 GB cached');
		stdin.write('n');
		await waitForFrame(lastFrame, f => f.trim() === '');
		expect(runs).toEqual([]);
		unmount();
	});

	test('a failed prune shows docker\'s error', () => {
		const dialog: PruneDialogState = {kind: 'prune', commandId: 'prune-unused', step: 'running'};
		const domain = reduceAll(initialDomainState, [
			builderInspected(),
			{type: 'prune/started', at: 1, pruneId: 'x', commandId: 'prune-unused', builder: 'mybuilder', argv: ['buildx', 'prune', '--builder', 'mybuilder', '--force']},
			{type: 'prune/failed', at: 2, pruneId: 'x', message: 'ERROR: no builder "mybuilder" found', exitCode: 1, durationMs: 50},
		]);
		expect(pruneDialogLines(dialog, domain, 90).map(l => l.text)).toEqual([
			'prune unused cache on builder mybuilder',
			'$ docker buildx prune --builder mybuilder --force',
			'prune failed: ERROR: no builder "mybuilder" found',
			'esc close',
		]);
		const frame = stripVTControlCharacters(render(<PruneDialog dialog={dialog} domain={domain} width={60} />).lastFrame() ?? '');
		expect(frame.split('\n')[3]).toBe('│ prune failed: ERROR: no builder "mybuilder" found        │');
	});
});
