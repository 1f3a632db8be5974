// The one key table: every key bxtop reads, as data (command, keys, the contexts it works in, labels). resolveKey is
// pure: (input, key, context) -> command. The footer, the `?` help, the dialogs' key hints and the README's key table
// (key-docs.ts) all render from this table, so none of them can drift from the bindings.
import type {Dialog} from './store.js';

/** A live or a replay session. */
export type Mode = 'live' | 'replay';

/**
 * Where a key is read. `board` is the live board and `replay` the board while replaying (the keys both share list
 * both); `dialog` a prune confirmation, `amount` the confirmation of `k` while its amount is typed, `result` a prune
 * dialog that can only close (running, finished, failed, or no builder to prune), `message` a one-line message,
 * `starting` a live board's starting frame (drawn while preflight and bake --print answer: no rows, no panels, so
 * only help and quit act; a key that changed what it cannot show would surprise once the board appears).
 */
export type KeyContext = 'board' | 'replay' | 'dialog' | 'amount' | 'result' | 'message' | 'starting';

export type BoardCommandId =
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
	| 'prune-old';

/** Commands of an open dialog: confirm, close, and editing the amount of `k`. */
export const dialogCommandIds = ['dialog-confirm', 'dialog-close', 'amount-type', 'amount-erase'] as const;
export type DialogCommandId = (typeof dialogCommandIds)[number];

export function isDialogCommand(command: CommandId): command is DialogCommandId {
	return (dialogCommandIds as readonly string[]).includes(command);
}

export type CommandId = BoardCommandId | DialogCommandId;

/** The subset of Ink's Key we read. */
export type KeyInfo = {
	upArrow?: boolean;
	downArrow?: boolean;
	leftArrow?: boolean;
	rightArrow?: boolean;
	return?: boolean;
	escape?: boolean;
	backspace?: boolean;
	delete?: boolean;
	ctrl?: boolean;
	shift?: boolean;
};

export type KeyName = 'up' | 'down' | 'left' | 'right' | 'return' | 'escape' | 'backspace' | 'delete';

/**
 * One key: a typed character (with ctrl when `ctrl` is set; other modifiers are not looked at, as Ink reports
 * shift for capitals), a named key (shift compared only when `shift` is given), any digit, or any key at all.
 */
export type KeyStroke = {char: string; ctrl?: true} | {name: KeyName; shift?: boolean} | {digit: true} | {any: true};

export type Binding = {
	command: CommandId;
	/** The keys shown in the footer, help and hints. */
	keys: KeyStroke[];
	/** Further keys that do the same, listed only in the README. */
	aliases?: KeyStroke[];
	contexts: KeyContext[];
	/** A short name of what the key does: footer, dialog hints, the cache panel's prune keys, the prune dialog's title. */
	label: string;
	/** One line for the `?` help and the README. */
	description: string;
	/** Said only in the README, after the description. */
	details?: string;
	/** Shown in the footer (board contexts) or a dialog's hint line. */
	isHint?: boolean;
};

const char = (c: string): KeyStroke => ({char: c});
const boards: KeyContext[] = ['board', 'replay'];
const boardsAndStarting: KeyContext[] = [...boards, 'starting'];
const confirming: KeyContext[] = ['dialog', 'amount'];
const dialogs: KeyContext[] = ['dialog', 'amount', 'result', 'message'];

// Order matters twice: the help and the README list bindings in this order, and the first binding that matches a key
// in a context wins (so Ctrl-C quits before "any key" closes a message).
export const keyTable: readonly Binding[] = [
	{command: 'select-up', keys: [{name: 'up'}], contexts: boards, label: 'select', description: 'select previous row', isHint: true},
	{command: 'select-down', keys: [{name: 'down'}], contexts: boards, label: 'select', description: 'select next row', isHint: true},
	{
		command: 'toggle-logs',
		keys: [{name: 'return'}],
		contexts: boards,
		label: 'show/hide',
		description: "show/hide the selected row's logs",
		details: '(failing step, exit code and last lines for a failed build)',
		isHint: true,
	},
	{command: 'toggle-timeline', keys: [char('t')], contexts: boards, label: 'timeline', description: 'timeline of the selected build', details: '(steps per platform on one time axis)'},
	{command: 'replay-pause', keys: [char(' ')], contexts: ['replay'], label: 'pause', description: 'pause / resume', isHint: true},
	{command: 'replay-back', keys: [{name: 'left', shift: false}], contexts: ['replay'], label: 'seek', description: 'seek back 10 s', isHint: true},
	{command: 'replay-forward', keys: [{name: 'right', shift: false}], contexts: ['replay'], label: 'seek', description: 'seek forward 10 s', isHint: true},
	{command: 'replay-prev-mark', keys: [char('['), {name: 'left', shift: true}], contexts: ['replay'], label: 'previous mark', description: 'previous step start or build end'},
	{command: 'replay-next-mark', keys: [char(']'), {name: 'right', shift: true}], contexts: ['replay'], label: 'next mark', description: 'next step start or build end'},
	{command: 'replay-faster', keys: [char('+')], aliases: [char('=')], contexts: ['replay'], label: 'faster', description: 'faster (up to 64x)', isHint: true},
	{command: 'replay-slower', keys: [char('-')], aliases: [char('_')], contexts: ['replay'], label: 'slower', description: 'slower (down to 0.25x)'},
	{command: 'replay-start', keys: [char('0')], contexts: ['replay'], label: 'start', description: 'jump to start'},
	{command: 'replay-end', keys: [char('G')], contexts: ['replay'], label: 'end', description: 'jump to end'},
	{command: 'prune-unused', keys: [char('p')], contexts: ['board'], label: 'prune unused cache', description: 'prune unused build cache', details: '(`docker buildx prune --force`)'},
	{command: 'prune-all', keys: [char('P')], contexts: ['board'], label: 'prune all cache', description: 'prune all build cache', details: '(`--all`)'},
	{
		command: 'prune-keep',
		keys: [char('k')],
		contexts: ['board'],
		label: 'keep only N GB',
		description: 'prune, keeping N GB',
		details: '(`--keep-storage`, or `--reserved-space` on newer buildx)',
	},
	{command: 'prune-old', keys: [char('u')], contexts: ['board'], label: 'prune unused for 24 h', description: 'prune records unused for 24 h', details: '(`--filter until=24h`)'},
	{command: 'toggle-help', keys: [char('?')], contexts: boardsAndStarting, label: 'help', description: 'help', isHint: true},
	{command: 'quit', keys: [char('q')], aliases: [{char: 'c', ctrl: true}], contexts: boardsAndStarting, label: 'quit', description: 'quit (stops running builds)', isHint: true},
	{command: 'quit', keys: [{char: 'c', ctrl: true}], contexts: dialogs, label: 'quit', description: 'quit (stops running builds)'},
	{
		command: 'dialog-confirm',
		keys: [char('y'), {name: 'return'}],
		contexts: confirming,
		label: 'prune',
		description: 'confirm the prune',
		details: '(asked twice while builds run)',
		isHint: true,
	},
	{command: 'dialog-close', keys: [char('n'), {name: 'escape'}], aliases: [char('q')], contexts: confirming, label: 'cancel', description: 'cancel', isHint: true},
	{command: 'amount-type', keys: [{digit: true}, char('.')], contexts: ['amount'], label: 'type', description: 'type the amount to keep, in GB'},
	{command: 'amount-erase', keys: [{name: 'backspace'}], aliases: [{name: 'delete'}], contexts: ['amount'], label: 'erase', description: 'erase the last character of the amount'},
	{
		command: 'dialog-close',
		keys: [{name: 'escape'}],
		aliases: [char('n'), char('q')],
		contexts: ['result'],
		label: 'close',
		description: 'close (a running prune goes on; the cache panel shows its result)',
		isHint: true,
	},
	{command: 'dialog-close', keys: [{any: true}], contexts: ['message'], label: 'close', description: 'close the message', isHint: true},
];

export function resolveKey(input: string, key: KeyInfo, context: KeyContext): CommandId | undefined {
	return bindingsIn(context).find(b => bindingMatches(b, input, key))?.command;
}

export function bindingMatches(binding: Binding, input: string, key: KeyInfo): boolean {
	return [...binding.keys, ...(binding.aliases ?? [])].some(stroke => matches(stroke, input, key));
}

export function bindingsIn(context: KeyContext): Binding[] {
	return keyTable.filter(b => b.contexts.includes(context));
}

/** The board's context in a live or a replay session. */
export function boardContext(mode: Mode): KeyContext {
	return mode === 'live' ? 'board' : 'replay';
}

/** Which keys apply now: the board's, the starting frame's, or the open dialog's (see KeyContext). */
export function keyContext(mode: Mode, dialog: Dialog | undefined, hasPruneBuilder: boolean, isStartingFrame = false): KeyContext {
	if (isStartingFrame && !dialog) return 'starting';
	if (!dialog) return boardContext(mode);
	if (dialog.kind === 'message') return 'message';
	if (dialog.step === 'running' || !hasPruneBuilder) return 'result';
	return dialog.step === 'confirm' && dialog.input !== undefined ? 'amount' : 'dialog';
}

/** How a binding's keys are written: "y / enter". */
export function keysLabel(binding: Binding, strokes: readonly KeyStroke[] = binding.keys): string {
	return strokes.map(strokeLabel).join(' / ');
}

/**
 * A context's hint line, "y / enter prune · n / esc cancel": the hinted bindings with their keys, a dialog's own
 * word for a command where it says more (`prune anyway`).
 */
export function keyHints(context: KeyContext, words: Partial<Record<CommandId, string>> = {}, separator = ' · '): string {
	return bindingsIn(context)
		.filter(b => b.isHint)
		.map(b => keyHint(b, words[b.command]))
		.join(separator);
}

/** "p prune unused cache": a binding's keys and what they do. */
export function keyHint(binding: Binding, word = binding.label): string {
	return `${keysLabel(binding)} ${word}`;
}

/** The first binding of a command: its keys and labels. */
export function bindingOf(command: CommandId, context?: KeyContext): Binding {
	const binding = keyTable.find(b => b.command === command && (context === undefined || b.contexts.includes(context)));
	if (!binding) throw new Error(`no key binding for ${command}${context ? ` in ${context}` : ''}`);
	return binding;
}

const keyNames: Record<KeyName, string> = {up: '↑', down: '↓', left: '←', right: '→', return: 'enter', escape: 'esc', backspace: 'backspace', delete: 'delete'};

function strokeLabel(stroke: KeyStroke): string {
	if ('any' in stroke) return 'any key';
	if ('digit' in stroke) return '0-9';
	if ('name' in stroke) return `${stroke.shift ? 'shift+' : ''}${keyNames[stroke.name]}`;
	if (stroke.ctrl) return `ctrl+${stroke.char}`;
	return stroke.char === ' ' ? 'space' : stroke.char;
}

const keyFlags: Record<KeyName, keyof KeyInfo> = {
	up: 'upArrow',
	down: 'downArrow',
	left: 'leftArrow',
	right: 'rightArrow',
	return: 'return',
	escape: 'escape',
	backspace: 'backspace',
	delete: 'delete',
};

function matches(stroke: KeyStroke, input: string, key: KeyInfo): boolean {
	if ('any' in stroke) return true;
	if ('digit' in stroke) return /^[0-9]$/.test(input);
	if ('name' in stroke) return key[keyFlags[stroke.name]] === true && (stroke.shift === undefined || stroke.shift === (key.shift === true));
	return input === stroke.char && (!stroke.ctrl || key.ctrl === true);
}
