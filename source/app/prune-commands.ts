// The four prunes, described once: the exact docker argv for the selected builder and buildx version, du's estimate
// of what each frees, and the confirmation dialog's steps as pure functions. Their keys and names are the key
// table's (app/keymap.ts); this file says what each prune does.
import type {CacheUsage, PruneCommandId} from '../state/slices/resources-events.js';
import type {DomainState} from '../state/reducer.js';
import type {Dialog} from '../state/store.js';
import type {DialogCommandId} from './keymap.js';
import {atLeast, parseBuildxVersion} from '../lib/buildx-inspect.js';
import {formatBytes} from '../lib/format.js';

export type PruneCommand = {
	id: PruneCommandId;
	/** One line for the dialog: what goes, what stays. */
	description: string;
	/** `k` asks how much to keep before it asks for confirmation. */
	needsAmount: boolean;
};

export const pruneCommands: readonly PruneCommand[] = [
	{id: 'prune-unused', description: 'removes build cache no build is using', needsAmount: false},
	{id: 'prune-all', description: 'removes all unused build cache, internal and frontend images too (--all)', needsAmount: false},
	{id: 'prune-keep', description: 'prunes until the cache is at most N GB', needsAmount: true},
	{id: 'prune-old', description: 'removes cache records not used in the last 24 hours (--filter until=24h)', needsAmount: false},
];

export const defaultKeepGb = 10;

export function pruneCommand(id: string): PruneCommand | undefined {
	return pruneCommands.find(c => c.id === id);
}

/** The builder a prune would run on: the one inspected, else the one du measured; undefined before either. */
export function pruneBuilder(domain: DomainState): string | undefined {
	return domain.resources.builder?.name ?? domain.resources.cache.builder;
}

export type PruneArgvOptions = {
	/** The builder the session uses: always passed explicitly, so no other builder is ever pruned. */
	builder: string;
	/** `docker buildx version` output or a bare version ("0.13.1"); decides --reserved-space vs --keep-storage. */
	buildxVersion?: string;
	keepGb?: number;
};

/** docker's arguments (after `docker`). Sizes go as exact byte counts: docker reads "10GB" as 10 GiB. */
export function pruneArgv(id: PruneCommandId, options: PruneArgvOptions): string[] {
	const base = ['buildx', 'prune', '--builder', options.builder, '--force'];
	switch (id) {
		case 'prune-unused':
			return base;
		case 'prune-all':
			return [...base, '--all'];
		case 'prune-keep': {
			const bytes = Math.round((options.keepGb ?? defaultKeepGb) * 1e9);
			// buildx 0.18.0 renamed --keep-storage to --reserved-space (docker/buildx#2724) and keeps the old name as a
			// deprecated alias that prints a warning; before 0.18 only --keep-storage exists.
			const flag = atLeast(parseBuildxVersion(options.buildxVersion ?? ''), 0, 18) ? '--reserved-space' : '--keep-storage';
			return [...base, flag, String(bytes)];
		}
		case 'prune-old':
			return [...base, '--filter', 'until=24h'];
		default: {
			const unknown: never = id;
			throw new Error(`unknown prune command: ${String(unknown)}`); // never run a prune nobody described
		}
	}
}

/** The command as a user would type it. */
export function formatCommand(argv: readonly string[]): string {
	return ['docker', ...argv].map(quoteArg).join(' ');
}

function quoteArg(arg: string): string {
	return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * What du says the command would free: reclaimable records that are not shared (shared ones stay while images use
 * them). `p` and `P` both count all of them (du does not say which records are internal); `k` what exceeds the kept
 * size; `u` those unused for 24 h.
 */
export function pruneEstimate(id: PruneCommandId, usage: CacheUsage | undefined, keepGb = defaultKeepGb): number | undefined {
	if (!usage) return undefined;
	const freeable = usage.reclaimablePrivateBytes ?? usage.reclaimableBytes;
	switch (id) {
		case 'prune-unused':
		case 'prune-all':
			return freeable;
		case 'prune-keep':
			return Math.max(0, Math.min(freeable, usage.totalBytes - keepGb * 1e9));
		case 'prune-old':
			return usage.reclaimableUnused24hBytes;
		default:
			return undefined;
	}
}

export function estimateText(bytes: number | undefined): string {
	return bytes === undefined ? 'unknown (no du measurement yet)' : `about ${formatBytes(bytes)}`;
}

/** "12.5" -> 12.5; empty -> the default; anything not a positive number -> undefined. */
export function parseKeepGb(input: string | undefined): number | undefined {
	const text = (input ?? '').trim();
	if (text === '') return defaultKeepGb;
	if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
	const value = Number(text);
	return value >= 0 ? value : undefined;
}

// ---- the dialog's steps (pure): open -> [amount] -> confirm -> [confirm-again while builds run] -> running ----

export type PruneDialog = Extract<Dialog, {kind: 'prune'}>;

export function openPruneDialog(id: PruneCommandId): PruneDialog {
	const command = pruneCommand(id);
	return command?.needsAmount ? {kind: 'prune', commandId: id, step: 'confirm', input: ''} : {kind: 'prune', commandId: id, step: 'confirm'};
}

export type PruneDecision =
	| {action: 'stay'; dialog: PruneDialog; problem?: string}
	| {action: 'run'; dialog: PruneDialog; commandId: PruneCommandId; keepGb?: number};

/**
 * Enter pressed in the dialog. While builds are running the first confirmation only leads to a second one that says
 * so; an invalid amount keeps the dialog open with the problem.
 */
export function confirmPruneDialog(dialog: PruneDialog, context: {runningBuilds: number}): PruneDecision {
	const command = pruneCommand(dialog.commandId);
	if (!command || dialog.step === 'running') return {action: 'stay', dialog};
	let keepGb: number | undefined;
	if (command.needsAmount) {
		keepGb = parseKeepGb(dialog.input);
		if (keepGb === undefined) return {action: 'stay', dialog, problem: `not a size in GB: "${dialog.input ?? ''}"`};
	}
	if (dialog.step === 'confirm' && context.runningBuilds > 0) return {action: 'stay', dialog: {...dialog, step: 'confirm-again'}};
	const decision: PruneDecision = {action: 'run', dialog: {...dialog, step: 'running'}, commandId: command.id};
	if (keepGb !== undefined) decision.keepGb = keepGb;
	return decision;
}

/** Typing in the amount field of `k`: digits and one dot; backspace deletes. Other keys leave it as it is. */
export function editPruneInput(dialog: PruneDialog, input: string, key: {backspace?: boolean; delete?: boolean}): PruneDialog {
	if (dialog.input === undefined || dialog.step !== 'confirm') return dialog;
	if (key.backspace || key.delete) return {...dialog, input: dialog.input.slice(0, -1)};
	if (/^[0-9]$/.test(input) || (input === '.' && !dialog.input.includes('.'))) {
		return dialog.input.length >= 8 ? dialog : {...dialog, input: dialog.input + input};
	}
	return dialog;
}

export type PruneStepResult = {
	/** The dialog after the command; undefined when it closed. */
	dialog: PruneDialog | undefined;
	/** Set when the command confirmed: run this prune now. */
	run?: {commandId: PruneCommandId; keepGb?: number};
	problem?: string;
};

/**
 * One dialog command (resolved from a key by the key table) on an open prune dialog: confirm (twice while builds
 * run), close (a running prune goes on, its progress stays in the cache panel), type or erase the amount of `k`.
 */
export function pruneDialogStep(dialog: PruneDialog, command: DialogCommandId, input: string, context: {runningBuilds: number}): PruneStepResult {
	switch (command) {
		case 'dialog-close':
			return {dialog: undefined};
		case 'dialog-confirm': {
			const decision = confirmPruneDialog(dialog, context);
			if (decision.action === 'run') {
				const run: PruneStepResult['run'] = {commandId: decision.commandId};
				if (decision.keepGb !== undefined) run!.keepGb = decision.keepGb;
				return {dialog: decision.dialog, run};
			}
			return decision.problem ? {dialog: decision.dialog, problem: decision.problem} : {dialog: decision.dialog};
		}
		case 'amount-type':
			return {dialog: editPruneInput(dialog, input, {})};
		case 'amount-erase':
			return {dialog: editPruneInput(dialog, '', {backspace: true})};
		default: {
			const unknown: never = command;
			throw new Error(`unknown dialog command: ${String(unknown)}`);
		}
	}
}
