// Key hints, from the one key table.
import React from 'react';
import {Text} from 'ink';
import {boardContext, keyHints, type Mode} from '../app/keymap.js';
import {truncate} from '../lib/format.js';

export function Footer({mode, width}: {mode: Mode; width: number}) {
	return <Text color="gray">{truncate(keyHints(boardContext(mode), {}, '  '), width)}</Text>;
}
