// The `?` help: every binding of the current mode, from the one key table.
import React from 'react';
import {Box, Text} from 'ink';
import {bindingsFor, type Mode} from '../app/keymap.js';

export function Help({mode}: {mode: Mode}) {
	const bindings = bindingsFor(mode);
	const width = Math.max(...bindings.map(b => b.label.length));
	return (
		<Box flexDirection="column" borderStyle="round" borderColor="cyan" paddingX={1}>
			<Text bold>keys ({mode})</Text>
			{bindings.map(b => (
				<Text key={b.command}>
					<Text color="cyan">{b.label.padEnd(width)}</Text>  {b.description}
				</Text>
			))}
		</Box>
	);
}
