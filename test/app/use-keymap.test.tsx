// Keys through the real App, key table and prune controller (no resource monitor attached): k opens the amount
// prompt, typed digits reach it, enter confirms, the refusal is a message that any key closes, and Ctrl-C quits from
// inside a dialog. On the starting frame only ? and q act.
import React from 'react';
import {expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreProvider} from '../../source/app/store-context.js';
import {App} from '../../source/app/app.js';
import {createPruneController} from '../../source/app/prune-controller.js';
import {createAppStore, type AppStore} from '../../source/state/store.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {keys, waitForFrame} from '../helpers/ink.js';
import {builderInspected, cacheEvent} from '../components/resources/resource-states.js';

/** The real App on `store` in a 100x40 terminal, with the prune controller (no monitor) and its quits counted. */
function renderLiveApp(store: AppStore) {
	const controller = createPruneController(store);
	const quits: number[] = [];
	const rendered = render(
		<StoreProvider store={store}>
			<App mode="live" quit={() => quits.push(1)} prune={controller.prune} onDialogCommand={controller.onDialogCommand} size={{columns: 100, rows: 40}} />
		</StoreProvider>,
	);
	return {...rendered, quits};
}

test('k, 2, enter, the refusal message, any key, then Ctrl-C inside a dialog quits', async () => {
	const store = createAppStore(reduceAll(initialDomainState, [builderInspected(), cacheEvent(1000, '04-after-push.buildx-du-verbose.txt')]));
	const {lastFrame, stdin, quits, unmount} = renderLiveApp(store);
	await waitForFrame(lastFrame, f => f.includes('q quit'));
	stdin.write('k');
	expect(await waitForFrame(lastFrame, f => f.includes('keep at most'))).toContain('y / enter prune · n / esc cancel');
	stdin.write('2');
	await waitForFrame(lastFrame, f => f.includes('keep at most: 2 GB_'));
	stdin.write('?'); // not a key of the amount prompt: nothing happens, the help stays closed
	stdin.write(keys.enter);
	expect(await waitForFrame(lastFrame, f => f.includes('(any key)'))).toContain('prune is not available: the resource monitor is not running (any key)');
	expect(store.getState().ui.isHelpOpen).toBe(false);
	stdin.write('x');
	await waitForFrame(lastFrame, f => !f.includes('(any key)'));
	expect(store.getState().ui.dialog).toBeUndefined();
	stdin.write('p');
	await waitForFrame(lastFrame, f => f.includes('prune unused cache on builder mybuilder'));
	stdin.write('\u0003');
	await waitForFrame(lastFrame, () => quits.length > 0);
	expect(quits).toEqual([1]);
	unmount();
});

test('the starting frame: p, enter, t and the arrows change nothing (none of it would show), q quits', async () => {
	const store = createAppStore();
	store.getState().setUi(() => ({startingLine: 'asking docker for the builder'}));
	const {lastFrame, stdin, quits, unmount} = renderLiveApp(store);
	await waitForFrame(lastFrame, f => f.includes('asking docker'));
	const before = store.getState().ui;
	for (const key of ['p', keys.enter, 't', keys.down, keys.up]) stdin.write(key);
	stdin.write('q');
	await waitForFrame(lastFrame, () => quits.length > 0);
	expect(quits).toEqual([1]);
	expect(store.getState().ui).toEqual(before);
	unmount();
});
