// The prune confirmation: the exact command, du's estimate of what it frees, the amount field of `k`, a second
// confirmation while builds run, then progress and the result (bytes reclaimed from the command's `Total:` line,
// du before/after) or docker's error. The key hints come from the key table in the context the keys are read in
// (keyContext), so the dialog says exactly what its keys do.
import React from 'react';
import {Box, Text} from 'ink';
import type {DomainState} from '../state/reducer.js';
import type {Dialog} from '../state/store.js';
import type {PruneCommandId} from '../domain/resources-events.js';
import {selectCounts} from '../state/selectors.js';
import {defaultKeepGb, estimateText, formatCommand, parseKeepGb, pruneArgv, pruneCommand, pruneEstimate} from '../lib/prune-commands.js';
import {pruneBuilder} from '../state/prune-dialog.js';
import {bindingOf, keyContext, keyHints} from '../state/keymap.js';
import {formatBytes, formatDuration, truncate} from '../lib/format.js';
import type {PanelLine} from './resources-panel.js';

type PruneDialogState = Extract<Dialog, {kind: 'prune'}>;

export function pruneDialogLines(dialog: PruneDialogState, domain: DomainState, width: number): PanelLine[] {
	const inner = Math.max(20, width - 4);
	const command = pruneCommand(dialog.commandId);
	const resources = domain.resources;
	const builder = pruneBuilder(domain);
	const lines: PanelLine[] = [];
	if (!command) return [{text: `unknown prune command ${dialog.commandId}`, color: 'red'}];
	const id = command.id as PruneCommandId;
	const label = bindingOf(id).label;
	const hints = (words?: Parameters<typeof keyHints>[1]): PanelLine => ({text: keyHints(keyContext('live', dialog, builder !== undefined), words)});
	if (!builder) return [{text: `${label}: no builder known yet, nothing to prune`, color: 'yellow'}, {...hints(), isDim: true}];
	const keepGb = command.needsAmount ? (parseKeepGb(dialog.input) ?? defaultKeepGb) : undefined;
	const argv = pruneArgv(id, {builder, ...(resources.buildxVersion ? {buildxVersion: resources.buildxVersion} : {}), ...(keepGb !== undefined ? {keepGb} : {})});

	if (dialog.step === 'running') {
		// only this dialog's own prune, never an earlier one of the same kind
		const after = dialog.afterPruneId ? resources.prunes.findIndex(p => p.pruneId === dialog.afterPruneId) : -1;
		const mine = dialog.afterPruneId === undefined ? resources.prunes : resources.prunes.slice(after + 1);
		const prune = [...mine].reverse().find(p => p.commandId === id);
		lines.push({text: `${label} on builder ${builder}`, isBold: true});
		lines.push({text: `$ ${formatCommand(prune?.argv ?? argv)}`});
		if (!prune || prune.status === 'running') {
			lines.push({text: prune ? `pruning… ${prune.recordsRemoved} records, ${formatBytes(prune.bytesRemoved)} so far` : 'measuring the cache before pruning…', color: 'cyan'});
		} else if (prune.status === 'done') {
			lines.push({text: `reclaimed ${formatBytes(prune.reclaimedBytes)} (${prune.recordsRemoved} records) in ${formatDuration(prune.durationMs)}`, color: 'green'});
			const before = prune.cacheBefore ? `${formatBytes(prune.cacheBefore.totalBytes)} (${formatBytes(prune.cacheBefore.reclaimableBytes)} reclaimable)` : '?';
			const after = prune.cacheAfter ? `${formatBytes(prune.cacheAfter.totalBytes)} (${formatBytes(prune.cacheAfter.reclaimableBytes)} reclaimable)` : 'measuring…';
			lines.push({text: `du before ${before} → after ${after}`});
			lines.push({...hints(), isDim: true});
		} else {
			lines.push({text: `prune failed: ${prune.error ?? 'unknown error'}`, color: 'red'});
			lines.push({...hints(), isDim: true});
		}
		return lines.map(line => ({...line, text: truncate(line.text, inner)}));
	}

	const usage = resources.cache.latest;
	lines.push({text: `${label} on builder ${builder}: ${command.description}`, isBold: true});
	lines.push({text: `$ ${formatCommand(argv)}`});
	if (command.needsAmount) {
		const input = dialog.input ?? '';
		const isValid = parseKeepGb(input) !== undefined;
		lines.push({text: `keep at most: ${input === '' ? `${defaultKeepGb} (default)` : input} GB${dialog.step === 'confirm' ? '_' : ''}`, ...(isValid ? {} : {color: 'red'})});
	}
	const estimate = pruneEstimate(id, usage, keepGb);
	const total = usage ? ` of ${formatBytes(usage.totalBytes)} cached` : '';
	lines.push({text: `du estimate: ${estimateText(estimate)} to reclaim${total}`});
	const running = selectCounts(domain).running;
	if (dialog.step === 'confirm-again') {
		lines.push({text: `${running} build${running === 1 ? ' is' : 's are'} running: pruning now can remove cache they are about to reuse.`, color: 'yellow'});
		lines.push(hints({'dialog-confirm': 'prune anyway'}));
	} else {
		if (running > 0) lines.push({text: `${running} build${running === 1 ? ' is' : 's are'} running: you will be asked again.`, color: 'yellow'});
		lines.push(hints());
	}
	return lines.map(line => ({...line, text: truncate(line.text, inner)}));
}

export function PruneDialog({dialog, domain, width}: {dialog: PruneDialogState; domain: DomainState; width: number}) {
	const lines = pruneDialogLines(dialog, domain, width);
	return (
		<Box flexDirection="column" borderStyle="round" borderColor={dialog.step === 'confirm-again' ? 'yellow' : 'cyan'} paddingX={1} width={width}>
			{lines.map((line, i) => (
				<Text key={i} wrap="truncate" {...(line.color ? {color: line.color} : {})} dimColor={line.isDim === true} bold={line.isBold === true}>
					{line.text}
				</Text>
			))}
		</Box>
	);
}
