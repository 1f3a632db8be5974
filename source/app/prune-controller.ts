// Connects the prune commands and dialog (pure: lib/prune-commands.ts, state/prune-dialog.ts) to the running resource monitor: p/P/k/u open
// a confirmation, the dialog's commands go through pruneDialogStep, a confirmed prune runs on the session's builder.
import type {AppStore} from '../state/store.js';
import type {CommandContext} from './commands.js';
import type {DialogCommandId} from '../state/keymap.js';
import {openPruneDialog, pruneDialogStep} from '../state/prune-dialog.js';
import {selectCounts} from '../state/selectors.js';
import type {ResourceMonitor} from '../sources/resource-monitor.js';
import type {PruneCommandId} from '../domain/resources-events.js';

export type PruneController = Required<Pick<CommandContext, 'prune' | 'onDialogCommand'>> & {
	/** The monitor starts with the session's sources; until then a confirmed prune says it is not ready. */
	attach: (monitor: ResourceMonitor | undefined) => void;
};

export function createPruneController(store: AppStore): PruneController {
	let monitor: ResourceMonitor | undefined;
	const setDialog = (dialog: ReturnType<typeof openPruneDialog> | {kind: 'message'; text: string} | undefined) =>
		store.getState().setUi(() => ({dialog}));

	const run = async (request: {commandId: PruneCommandId; keepGb?: number}) => {
		const running = store.getState().ui.dialog;
		if (!monitor) {
			setDialog({kind: 'message', text: 'prune is not available: the resource monitor is not running'});
			return;
		}
		const outcome = await monitor.prune(request);
		// The dialog now shows the result from the prune events (reclaimed, du before/after) until the user closes
		// it; only a refusal that produced no event needs a message. Touch the dialog only if it is still this one.
		if (store.getState().ui.dialog !== running) return;
		// a refusal (no pruneId: nothing ran) needs a message; a prune that ran and failed shows in the dialog itself
		if (outcome.ok === false && !('pruneId' in outcome)) setDialog({kind: 'message', text: `prune not run: ${outcome.message}`});
	};

	return {
		attach: next => {
			monitor = next;
		},
		prune: command => {
			if (store.getState().ui.dialog) return;
			setDialog(openPruneDialog(command));
		},
		onDialogCommand: (command: DialogCommandId, input: string) => {
			const state = store.getState();
			const dialog = state.ui.dialog;
			if (dialog?.kind !== 'prune') return;
			const result = pruneDialogStep(dialog, command, input, {runningBuilds: selectCounts(state.domain).running});
			let next = result.dialog && result.problem ? {...result.dialog, problem: result.problem} : result.dialog;
			if (next && result.run) {
				// remember which prunes came before, so the dialog shows this prune's result and no older one
				const prunes = state.domain.resources.prunes;
				next = {...next, afterPruneId: prunes[prunes.length - 1]?.pruneId ?? ''};
			}
			setDialog(next);
			if (result.run) void run(result.run);
		},
	};
}
