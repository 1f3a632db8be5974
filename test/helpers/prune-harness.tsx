// A key handler for prune dialog tests, the same steps as the app's prune controller without a running monitor:
// keys resolve through the key table in the context the dialog is in, a prune key opens a prune dialog,
// pruneDialogStep does the rest, a confirmed prune is handed to `onRun`.
import React, {useCallback} from 'react';
import {useInput} from 'ink';
import {useStore} from 'zustand';
import type {AppStore} from '../../source/state/store.js';
import {selectCounts} from '../../source/state/selectors.js';
import {pruneCommand} from '../../source/lib/prune-commands.js';
import {openPruneDialog, pruneBuilder, pruneDialogStep} from '../../source/state/prune-dialog.js';
import {isDialogCommand, keyContext, resolveKey, type KeyInfo} from '../../source/state/keymap.js';
import {PruneDialog} from '../../source/components/prune-dialog.js';
import type {PruneCommandId} from '../../source/domain/resources-events.js';

export type PruneRun = {commandId: PruneCommandId; keepGb?: number};

export function PruneHarness({store, onRun, width}: {store: AppStore; onRun: (run: PruneRun) => void; width: number}) {
	const dialog = useStore(store, s => s.ui.dialog);
	const domain = useStore(store, s => s.domain);
	const handler = useCallback(
		(input: string, key: KeyInfo) => {
			const state = store.getState();
			const open = state.ui.dialog;
			const command = resolveKey(input, key, keyContext('live', open, pruneBuilder(state.domain) !== undefined));
			if (open?.kind === 'prune') {
				if (command === undefined || !isDialogCommand(command)) return;
				const result = pruneDialogStep(open, command, input, {runningBuilds: selectCounts(state.domain).running});
				state.setUi(() => ({dialog: result.dialog}));
				if (result.run) onRun(result.run);
				return;
			}
			const prune = command && pruneCommand(command);
			if (prune) state.setUi(() => ({dialog: openPruneDialog(prune.id)}));
		},
		[store, onRun],
	);
	useInput(handler);
	return dialog?.kind === 'prune' ? <PruneDialog dialog={dialog} domain={domain} width={width} /> : null;
}
