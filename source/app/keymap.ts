// The one key table. Footer hints and the `?` help render from it, so help never drifts from the bindings.
// resolveKey is pure: (input, key, mode) -> command id.
export type Mode = 'live' | 'replay';

export type CommandId =
	| 'select-up'
	| 'select-down'
	| 'toggle-logs'
	| 'toggle-help'
	| 'toggle-timeline'
	| 'quit'
	| 'replay-pause'
	| 'replay-back'
	| 'replay-forward'
	| 'replay-prev-mark'
	| 'replay-next-mark'
	| 'replay-faster'
	| 'replay-slower'
	| 'replay-start'
	| 'replay-end'
	| 'prune-unused'
	| 'prune-all'
	| 'prune-keep'
	| 'prune-old'
	| 'dialog-confirm'
	| 'dialog-cancel';

/** The subset of Ink's Key we read. */
export type KeyInfo = {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	return?: boolean;
	escape?: boolean;
	ctrl?: boolean;
	shift?: boolean;
};

export type Binding = {
	command: CommandId;
	/** How the key is written in help and footer. */
	label: string;
	description: string;
	modes: Mode[];
	/** Shown in the footer (the most used ones). */
	isHint?: boolean;
	matches: (input: string, key: KeyInfo) => boolean;
};

const both: Mode[] = ['live', 'replay'];

export const keyTable: Binding[] = [
	{command: 'select-up', label: '↑', description: 'select previous row', modes: both, isHint: true, matches: (_i, k) => !!k.upArrow},
	{command: 'select-down', label: '↓', description: 'select next row', modes: both, isHint: true, matches: (_i, k) => !!k.downArrow},
	{command: 'toggle-logs', label: 'enter', description: 'show/hide the selected row\'s logs', modes: both, isHint: true, matches: (_i, k) => !!k.return},
	{command: 'toggle-timeline', label: 't', description: 'timeline of the selected build', modes: both, matches: i => i === 't'},
	{command: 'replay-pause', label: 'space', description: 'pause / resume', modes: ['replay'], isHint: true, matches: i => i === ' '},
	{command: 'replay-back', label: '←', description: 'seek back 10 s', modes: ['replay'], isHint: true, matches: (_i, k) => !!k.leftArrow && !k.shift},
	{command: 'replay-forward', label: '→', description: 'seek forward 10 s', modes: ['replay'], isHint: true, matches: (_i, k) => !!k.rightArrow && !k.shift},
	{command: 'replay-prev-mark', label: '[ / shift+←', description: 'previous step start or build end', modes: ['replay'], matches: (i, k) => i === '[' || (!!k.leftArrow && !!k.shift)},
	{command: 'replay-next-mark', label: '] / shift+→', description: 'next step start or build end', modes: ['replay'], matches: (i, k) => i === ']' || (!!k.rightArrow && !!k.shift)},
	{command: 'replay-faster', label: '+', description: 'faster (up to 64x)', modes: ['replay'], isHint: true, matches: i => i === '+' || i === '='},
	{command: 'replay-slower', label: '-', description: 'slower (down to 0.25x)', modes: ['replay'], matches: i => i === '-' || i === '_'},
	{command: 'replay-start', label: '0', description: 'jump to start', modes: ['replay'], matches: i => i === '0'},
	{command: 'replay-end', label: 'G', description: 'jump to end', modes: ['replay'], matches: i => i === 'G'},
	{command: 'prune-unused', label: 'p', description: 'prune unused build cache', modes: ['live'], matches: i => i === 'p'},
	{command: 'prune-all', label: 'P', description: 'prune all build cache', modes: ['live'], matches: i => i === 'P'},
	{command: 'prune-keep', label: 'k', description: 'prune, keeping N GB', modes: ['live'], matches: i => i === 'k'},
	{command: 'prune-old', label: 'u', description: 'prune records unused for 24 h', modes: ['live'], matches: i => i === 'u'},
	{command: 'toggle-help', label: '?', description: 'help', modes: both, isHint: true, matches: i => i === '?'},
	{command: 'quit', label: 'q', description: 'quit (stops running builds)', modes: both, isHint: true, matches: (i, k) => i === 'q' || (!!k.ctrl && i === 'c')},
];

/** Keys while a confirmation dialog is open: nothing else reaches the board. */
export const dialogTable: Binding[] = [
	{command: 'dialog-confirm', label: 'y / enter', description: 'confirm', modes: both, matches: (i, k) => i === 'y' || !!k.return},
	{command: 'dialog-cancel', label: 'n / esc', description: 'cancel', modes: both, matches: (i, k) => i === 'n' || !!k.escape || i === 'q'},
];

export function resolveKey(input: string, key: KeyInfo, mode: Mode, isDialogOpen = false): CommandId | undefined {
	const table = isDialogOpen ? dialogTable : keyTable;
	if (isDialogOpen && key.ctrl && input === 'c') return 'quit';
	return table.find(b => b.modes.includes(mode) && b.matches(input, key))?.command;
}

export function bindingsFor(mode: Mode): Binding[] {
	return keyTable.filter(b => b.modes.includes(mode));
}
