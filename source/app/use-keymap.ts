// The only useInput: keys -> resolveKey (in the context the store is in) -> runCommand. Active only when stdin
// supports raw mode (a TTY).
import {useCallback, useRef} from 'react';
import {useInput, useStdin} from 'ink';
import {keyContext, resolveKey} from '../state/keymap.js';
import {runCommand, type CommandContext} from './commands.js';
import {pruneBuilder} from '../state/prune-dialog.js';
import {showsStartingFrame} from '../state/store.js';

export function useKeymap(ctx: CommandContext): void {
	const {isRawModeSupported} = useStdin();
	const ref = useRef(ctx);
	ref.current = ctx;
	// Stable handler: useInput re-subscribes whenever its handler changes.
	const handler = useCallback((input: string, key: Parameters<Parameters<typeof useInput>[0]>[1]) => {
		const current = ref.current;
		const state = current.store.getState();
		const context = keyContext(current.mode, state.ui.dialog, pruneBuilder(state.domain) !== undefined, showsStartingFrame(state));
		const command = resolveKey(input, key, context);
		if (command) runCommand(command, current, input);
	}, []);
	useInput(handler, {isActive: isRawModeSupported === true});
}
