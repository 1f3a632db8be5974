// Connects the prune keys and dialog (pure, app/prune-commands.ts) to the running resource monitor: p/P/k/u open a
// confirmation, the dialog's keys go through pruneDialogKey, a confirmed prune runs on the session's builder.
import type {AppStore} from '../state/store.js';
import type {CommandContext, DialogKey} from './commands.js';
import {openPruneDialog, pruneDialogKey} from './prune-commands.js';
import {selectCounts} from '../state/selectors.js';
import type {ResourceMonitor} from '../sources/resource-monitor.js';
import type {PruneCommandId} from '../state/slices/resources-events.js';

export type PruneController = Required<Pick<CommandContext, 'prune' | 'onDialogKey'>> & {
	/** The monitor starts with the session's sources; until then a confirmed prune says it is not ready. */
	attach: (monitor: ResourceMonitor | undefined) => void;
};

export function createPruneController(store: AppStore): PruneController {
	let monitor: ResourceMonitor | undefined;
	const setDialog = (dialog: ReturnType<typeof openPruneDialog> | {kind: 'message'; text: string} | undefined) =>
		store.getState().setUi(() => ({dialog}));

	const run = async (request: {commandId: PruneCommandId; keepGb?: number}) => {
		if (!monitor) {
			setDialog({kind: 'message', text: 'prune is not available: the resource monitor is not running'});
			return;
		}
		const outcome = await monitor.prune(request);
		// The result (bytes reclaimed, du before/after) shows in the cache panel from the prune events; only a
		// refusal that produced no event needs a message here.
		const refused = 'message' in outcome && outcome.ok === false ? outcome.message : undefined;
		setDialog(refused ? {kind: 'message', text: `prune not run: ${refused}`} : undefined);
	};

	return {
		attach: next => {
			monitor = next;
		},
		prune: command => {
			if (store.getState().ui.dialog) return;
			setDialog(openPruneDialog(command));
		},
		onDialogKey: (input: string, key: DialogKey) => {
			const state = store.getState();
			const dialog = state.ui.dialog;
			if (dialog?.kind !== 'prune') return;
			const result = pruneDialogKey(dialog, input, key, {runningBuilds: selectCounts(state.domain).running});
			setDialog(result.dialog && result.problem ? {...result.dialog, problem: result.problem} : result.dialog);
			if (result.run) void run(result.run);
		},
	};
}
