// Key hints, from the one key table.
import React from 'react';
import {Text} from 'ink';
import {boardContext, keyHints, type Mode} from '../state/keymap.js';
import {truncate} from '../lib/format.js';

/** Memoised: the hints change only with the mode and the width. */
export const Footer = React.memo(FooterView);

function FooterView({mode, width}: {mode: Mode; width: number}) {
	return <Text color="gray">{truncate(keyHints(boardContext(mode), {}, '  '), width)}</Text>;
}
