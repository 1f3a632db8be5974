// What each command of the key table does. The one place that changes UI state or asks a controller to act.
import type {CommandId, DialogCommandId, Mode} from '../state/keymap.js';
import type {AppStore} from '../state/store.js';
import {selectRows} from '../state/selectors.js';
import type {ReplayControls} from '../domain/replay-controls.js';

export type CommandContext = {
	store: AppStore;
	mode: Mode;
	quit: () => void;
	replay?: ReplayControls;
	/** Prune keys (live): open their confirmation dialog. */
	prune?: (command: 'prune-unused' | 'prune-all' | 'prune-keep' | 'prune-old') => void;
	/** The prune dialog's commands (confirming, closing, typing the amount); `input` is the key typed. */
	onDialogCommand?: (command: DialogCommandId, input: string) => void;
};

export function runCommand(command: CommandId, ctx: CommandContext, input = ''): void {
	const {store} = ctx;
	const state = store.getState();
	switch (command) {
		case 'select-up':
			state.setUi(ui => ({selectedRow: Math.max(0, ui.selectedRow - 1)}));
			return;
		case 'select-down': {
			const count = selectRows(state.domain, state.nowMs).length;
			state.setUi(ui => ({selectedRow: Math.min(Math.max(0, count - 1), ui.selectedRow + 1)}));
			return;
		}
		case 'toggle-logs':
			state.setUi(ui => ({isLogOpen: !ui.isLogOpen}));
			return;
		case 'toggle-help':
			state.setUi(ui => ({isHelpOpen: !ui.isHelpOpen}));
			return;
		case 'toggle-timeline':
			state.setUi(ui => ({isTimelineOpen: !ui.isTimelineOpen}));
			return;
		case 'quit':
			ctx.quit();
			return;
		case 'replay-pause':
			ctx.replay?.togglePause();
			return;
		case 'replay-back':
			ctx.replay?.seekBy(-10_000);
			return;
		case 'replay-forward':
			ctx.replay?.seekBy(10_000);
			return;
		case 'replay-prev-mark':
			ctx.replay?.seekToMark(-1);
			return;
		case 'replay-next-mark':
			ctx.replay?.seekToMark(1);
			return;
		case 'replay-faster':
			ctx.replay?.changeSpeed(1);
			return;
		case 'replay-slower':
			ctx.replay?.changeSpeed(-1);
			return;
		case 'replay-start':
			ctx.replay?.seekTo('start');
			return;
		case 'replay-end':
			ctx.replay?.seekTo('end');
			return;
		case 'prune-unused':
		case 'prune-all':
		case 'prune-keep':
		case 'prune-old':
			ctx.prune?.(command);
			return;
		case 'dialog-confirm':
		case 'dialog-close':
		case 'amount-type':
		case 'amount-erase':
			// a prune dialog belongs to its controller; without one (a message, a replay) confirming or closing closes
			if (state.ui.dialog?.kind === 'prune' && ctx.onDialogCommand) ctx.onDialogCommand(command, input);
			else if (command === 'dialog-confirm' || command === 'dialog-close') state.setUi(() => ({dialog: undefined}));
			return;
		default: {
			const unreachable: never = command;
			void unreachable;
		}
	}
}
