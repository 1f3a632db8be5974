// The only useInput: keys -> resolveKey -> runCommand. Active only when stdin supports raw mode (a TTY).
import {useCallback, useRef} from 'react';
import {useInput, useStdin} from 'ink';
import {resolveKey} from './keymap.js';
import {runCommand, type CommandContext} from './commands.js';

export function useKeymap(ctx: CommandContext): void {
	const {isRawModeSupported} = useStdin();
	const ref = useRef(ctx);
	ref.current = ctx;
	// Stable handler: useInput re-subscribes whenever its handler changes.
	const handler = useCallback((input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
		const current = ref.current;
		const dialog = current.store.getState().ui.dialog;
		if (dialog?.kind === 'prune' && current.onDialogKey && !(key.ctrl && input === 'c')) {
			current.onDialogKey(input, key);
			return;
		}
		if (dialog?.kind === 'message' && !(key.ctrl && input === 'c')) {
			current.store.getState().setUi(() => ({dialog: undefined})); // a message closes on any key
			return;
		}
		const command = resolveKey(input, key, current.mode, dialog !== undefined);
		if (command) runCommand(command, current);
	}, []);
	useInput(handler, {isActive: isRawModeSupported === true});
}
