// Key hints, from the one key table.
import React from 'react';
import {Text} from 'ink';
import {bindingsFor, type Mode} from '../app/keymap.js';
import {truncate} from '../lib/format.js';

/** Memoised: the hints change only with the mode and the width. */
export const Footer = React.memo(FooterView);

function FooterView({mode, width}: {mode: Mode; width: number}) {
	const hints = bindingsFor(mode)
		.filter(b => b.isHint)
		.map(b => `${b.label} ${shortDescription(b.description)}`)
		.join('  ');
	return <Text color="gray">{truncate(hints, width)}</Text>;
}

function shortDescription(description: string): string {
	return description.split(' ')[0]!;
}
