// The line under a platform row: the download in progress (`torch 2.5.1+cpu  74.1/174.7 MB  14.8 MB/s  eta 0:07`),
// or once none runs a summary (`torch 2.5.1+cpu  120.0 MB in 9.3s  12.9 MB/s`). Estimated figures carry ≈; a rate
// is shown only when a source gave one.
import React from 'react';
import {Box, Text} from 'ink';
import type {ActiveDownloadView, DownloadLineView, DownloadSummaryView} from '../state/download-selectors.js';
import {formatBytes, formatClock, formatDuration, formatRate, truncate} from '../lib/format.js';

const indent = '   ↳ ';

type DownloadLineProps = {view: DownloadLineView; width: number};

/** Memoised on what it shows: the views are fresh objects every frame, their text often is not. */
export const DownloadLine = React.memo(DownloadLineView, (a: DownloadLineProps, b: DownloadLineProps) =>
	a.width === b.width && colorOf(a.view) === colorOf(b.view) && downloadLineText(a.view) === downloadLineText(b.view),
);

function colorOf(view: DownloadLineView): string {
	return view.kind === 'active' ? 'cyan' : view.main.status === 'failed' ? 'red' : 'gray';
}

function DownloadLineView({view, width}: DownloadLineProps) {
	const text = truncate(`${indent}${downloadLineText(view)}`, Math.max(10, width));
	const color = colorOf(view);
	return (
		<Box>
			<Text color={color}>{text}</Text>
		</Box>
	);
}

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
