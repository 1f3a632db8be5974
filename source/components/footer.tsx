// Key hints, from the one key table.
import React from 'react';
import {Text} from 'ink';
import {boardContext, keyHints, type KeyContext, type Mode} from '../state/keymap.js';
import {truncate} from '../lib/format.js';

/** Memoised: the hints change only with the mode (or the starting frame's context) and the width. */
export const Footer = React.memo(FooterView);

function FooterView({mode, width, context = boardContext(mode)}: {mode: Mode; width: number; context?: KeyContext}) {
	return <Text color="gray">{truncate(keyHints(context, {}, '  '), width)}</Text>;
}
