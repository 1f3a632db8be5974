// The `?` help: every binding of the board's context (live or replay), from the one key table.
import React from 'react';
import {Box, Text} from 'ink';
import {bindingsIn, boardContext, keysLabel, type Mode} from '../state/keymap.js';

export function Help({mode, height = 100}: {mode: Mode; height?: number}) {
	// the box takes 3 lines besides the bindings; a short terminal shows what fits
	const all = bindingsIn(boardContext(mode));
	const bindings = all.length + 3 > height ? all.slice(0, Math.max(1, height - 4)) : all;
	const hidden = all.length - bindings.length;
	const width = Math.max(...bindings.map(b => keysLabel(b).length));
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
			<Text bold>keys ({mode})</Text>
			{bindings.map(b => (
				<Text key={b.command}>
					<Text color="cyan">{keysLabel(b).padEnd(width)}</Text>  {b.description}
				</Text>
			))}
			{hidden > 0 ? <Text color="gray">+{hidden} more (a taller terminal shows all)</Text> : null}
		</Box>
	);
}
