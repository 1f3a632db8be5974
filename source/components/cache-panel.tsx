// The build cache panel: du's totals (total, reclaimable, shared, private), the largest records with their
// descriptions ("mount / from exec pip install torch"), the last prune's result and the prune keys.
import type {DomainState} from '../state/reducer.js';
import {selectCacheView} from '../state/resource-selectors.js';
import {formatAge, formatBytes, truncate} from '../lib/format.js';
import {formatCommand, pruneCommands} from '../lib/prune-commands.js';
import {bindingOf, keyHint} from '../state/keymap.js';
import {lackText, type PanelLine, type ReplayLacks} from './resources-panel.js';

export function cachePanelLines(domain: DomainState, nowMs: number, width: number, largest = 5, showPruneKeys = true, lacks?: ReplayLacks): PanelLine[] {
	const view = selectCacheView(domain, nowMs, largest);
	const lines: PanelLine[] = [];
	const title = `build cache${view.builder ? ` ${view.builder}` : ''}`;
	if (view.isMeasured) {
		const age = view.ageMs === undefined ? '' : ` (du ${formatAge(view.ageMs)})`;
		const shared = view.sharedBytes ? `, ${formatBytes(view.sharedBytes)} shared / ${formatBytes(view.privateBytes)} private` : '';
		lines.push({
			text: `${title}: ${formatBytes(view.totalBytes)} total, ${formatBytes(view.reclaimableBytes)} reclaimable${shared}, ${view.recordCount} records${age}`,
			isBold: true,
		});
		for (const record of view.largest) {
			const size = formatBytes(record.sizeBytes).padStart(9);
			const kind = (record.recordType ?? '').padEnd(15);
			const what = record.description ?? record.id;
			lines.push({text: `  ${size}  ${kind} ${what.replace(/\s+/g, ' ')}`});
		}
	} else if (lacks?.facts.includes('cache') && !view.error) {
		lines.push({text: lackText(title, lacks), isDim: true});
	} else {
		lines.push({text: `${title}: ${view.error ? '' : 'measuring…'}`, isDim: !view.error});
	}
	if (view.error) lines.push({text: `! du failed: ${view.error}`, color: 'yellow'});
	const prune = view.lastPrune;
	if (prune) {
		const command = formatCommand(prune.argv);
		if (prune.status === 'running') {
			lines.push({text: `pruning: ${command} · ${prune.recordsRemoved} records, ${formatBytes(prune.bytesRemoved)} so far`, color: 'cyan'});
		} else if (prune.status === 'done') {
			const du =
				prune.cacheBefore && prune.cacheAfter
					? ` · du ${formatBytes(prune.cacheBefore.totalBytes)} → ${formatBytes(prune.cacheAfter.totalBytes)}`
					: '';
			lines.push({text: `last prune: ${command} · reclaimed ${formatBytes(prune.reclaimedBytes)}${du}`, color: 'green'});
		} else {
			lines.push({text: `last prune failed: ${command} · ${prune.error ?? 'unknown error'}`, color: 'red'});
		}
	}
	// the prune keys exist only live (a replay cannot prune the recorded builder)
	if (showPruneKeys) lines.push({text: pruneCommands.map(c => keyHint(bindingOf(c.id))).join(' · '), isDim: true});
	return lines.map(line => ({...line, text: truncate(line.text, width)}));
}
