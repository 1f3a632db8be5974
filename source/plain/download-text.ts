// A download's one line of text (the board's download line, the plain reporter, tests): what is coming and how fast,
// or how it ended.
import type {ActiveDownloadView, DownloadLineView, DownloadSummaryView} from '../state/download-selectors.js';
import {formatBytes, formatClock, formatDuration, formatRate} from '../lib/format.js';

/** The line's text without the indent; the board, tests and the plain reporter's status share it. */
export function downloadLineText(view: DownloadLineView): string {
	return view.kind === 'active' ? activeText(view) : summaryText(view);
}

export function downloadLabel(item: {package: string; version?: string; downloadKind: string; file?: string}): string {
	if (item.downloadKind === 'layer-pull' || item.downloadKind === 'layer-push') {
		const image = item.package.slice(item.package.lastIndexOf('/') + 1);
		const digest = item.file?.replace(/^sha256:/, '');
		const what = item.downloadKind === 'layer-push' ? 'push layer' : 'layer';
		return [image, what, digest].filter(Boolean).join(' ');
	}
	return item.version ? `${item.package} ${item.version}` : item.package;
}

function activeText(view: ActiveDownloadView): string {
	const approx = view.isEstimate ? '≈' : '';
	const parts = [downloadLabel(view)];
	if (view.doneBytes !== undefined) {
		parts.push(`${approx}${bytesPair(view.doneBytes, view.totalBytes)}`);
		if (view.bytesPerSecond !== undefined) parts.push(`${approx}${formatRate(view.bytesPerSecond)}`);
		if (view.etaMs !== undefined) parts.push(`eta ${approx}${formatClock(view.etaMs)}`);
	} else {
		// Plain pip says nothing until the end, and no counter moved: the size and how long it has been running.
		if (view.totalBytes !== undefined) parts.push(formatBytes(view.totalBytes));
		parts.push(`downloading ${formatClock(view.elapsedMs)}`);
	}
	if (view.moreCount > 0) parts.push(`+${view.moreCount} more`);
	return parts.join('  ');
}

function summaryText(view: DownloadSummaryView): string {
	const main = view.main;
	const parts = [downloadLabel(main)];
	if (main.status === 'failed') {
		const at = main.doneBytes !== undefined ? ` at ${main.isEstimate ? '≈' : ''}${bytesPair(main.doneBytes, main.totalBytes)}` : '';
		const isCancelled = main.reason === 'cancelled';
		// a build that ended under a running download says why (the step itself never reported an error)
		const why = main.reason && !isCancelled && main.reason.startsWith('build ') ? `: ${main.reason}` : '';
		parts.push(`${isCancelled ? 'cancelled' : 'failed'}${at} after ${formatDuration(main.durationMs)}${why}`);
	} else if (main.status === 'cached') {
		parts.push(`cached (${formatBytes(main.sizeBytes)})`);
		return parts.join('  ');
	} else {
		parts.push(`${formatBytes(main.sizeBytes)} in ${formatDuration(main.durationMs)}`);
		if (main.averageBytesPerSecond !== undefined) parts.push(formatRate(main.averageBytesPerSecond));
	}
	if (view.otherCount > 0) parts.push(`+${view.otherCount} more (${formatBytes(view.otherBytes)})`);
	if (view.cachedCount > 0) parts.push(`${view.cachedCount} cached`);
	return parts.join('  ');
}

/** `74.1/174.7 MB`: both in the total's unit, as pip prints them. */
export function bytesPair(done: number, total: number | undefined): string {
	if (total === undefined) return formatBytes(done);
	const totalText = formatBytes(total);
	const unit = totalText.split(' ')[1];
	const doneText = formatBytes(done);
	if (unit && doneText.split(' ')[1] !== unit) {
		const scale = {B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12}[unit] ?? 1;
		return `${(done / scale).toFixed(scale === 1 ? 0 : 1)}/${totalText}`;
	}
	return `${doneText.split(' ')[0]}/${totalText}`;
}
