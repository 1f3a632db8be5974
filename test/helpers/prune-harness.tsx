// A key handler for prune dialog tests, the same steps as the app's prune controller without a running monitor:
// a key opens a prune dialog, pruneDialogKey does the rest, a confirmed prune is handed to `onRun`.
import React, {useCallback} from 'react';
import {useInput} from 'ink';
import {useStore} from 'zustand';
import type {AppStore} from '../../source/state/store.js';
import {selectCounts} from '../../source/state/selectors.js';
import {openPruneDialog, pruneCommandForKey, pruneDialogKey} from '../../source/app/prune-commands.js';
import {PruneDialog} from '../../source/components/prune-dialog.js';
import type {PruneCommandId} from '../../source/state/slices/resources-events.js';

export type PruneRun = {commandId: PruneCommandId; keepGb?: number};

export function PruneHarness({store, onRun, width}: {store: AppStore; onRun: (run: PruneRun) => void; width: number}) {
	const dialog = useStore(store, s => s.ui.dialog);
	const domain = useStore(store, s => s.domain);
	const handler = useCallback(
		(input: string, key: {return?: boolean; escape?: boolean; backspace?: boolean; delete?: boolean}) => {
			const state = store.getState();
			const open = state.ui.dialog;
			if (open?.kind === 'prune') {
				const result = pruneDialogKey(open, input, key, {runningBuilds: selectCounts(state.domain).running});
				state.setUi(() => ({dialog: result.dialog}));
				if (result.run) onRun(result.run);
				return;
			}
			const command = pruneCommandForKey(input);
			if (command) state.setUi(() => ({dialog: openPruneDialog(command.id)}));
		},
		[store, onRun],
	);
	useInput(handler);
	return dialog?.kind === 'prune' ? <PruneDialog dialog={dialog} domain={domain} width={width} /> : null;
}
