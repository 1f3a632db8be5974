// The prune confirmation dialog's steps as pure functions: open -> [amount] -> confirm -> [confirm-again while builds
// run] -> running. What each prune runs is lib/prune-commands.ts.
import type {PruneCommandId} from '../domain/resources-events.js';
import type {DomainState} from './reducer.js';
import type {Dialog} from './store.js';
import type {DialogCommandId} from './keymap.js';
import {pruneCommand, parseKeepGb} from '../lib/prune-commands.js';

/** The builder a prune would run on: the one inspected, else the one du measured; undefined before either. */
export function pruneBuilder(domain: DomainState): string | undefined {
	return domain.resources.builder?.name ?? domain.resources.cache.builder;
}


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
