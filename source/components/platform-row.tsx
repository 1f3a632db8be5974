// One board row: a build x platform.
import React from 'react';
import {Box, Text} from 'ink';
import type {Row} from '../state/selectors.js';
import {formatBytes, formatDuration, formatRate, truncate} from '../lib/format.js';
import {spinnerFrame} from './spinner-frame.js';
import {shortPlatform} from '../lib/step-name.js';

/** showsNode: the rows come from more than one builder node (attach), so each says which. */
export type RowColumns = {target: number; platform: number; step: number; bytes: number; counter: number; elapsed: number; cached: number; showsNode: boolean};

const statusLook: Record<Row['status'], {icon: string; color: string}> = {
	queued: {icon: '·', color: 'gray'},
	running: {icon: '', color: 'cyan'},
	done: {icon: '✔', color: 'green'},
	cached: {icon: '≡', color: 'blue'},
	failed: {icon: '✖', color: 'red'},
	cancelled: {icon: '◌', color: 'yellow'},
};

/**
 * Column widths that add up to at most `width`, so a row never wraps: icon 2, target, space, platform, the step
 * counter (" 1234/1240 "), step, elapsed (" 1h00m00s"), " cached nn", and the byte column (26) only when rows have
 * bytes and there is room for it beside a useful step column. Counter, elapsed and cached are as wide as the
 * rows' longest values (an hour-long build's elapsed is 8 characters, a day's 9). Narrow terminals drop the cached
 * count first, then shrink target and platform.
 */
export function rowColumns(width: number, rows: Row[]): RowColumns {
	let counter = 7;
	let elapsed = 7;
	let cached = 9;
	for (const r of rows) {
		counter = Math.max(counter, `${r.stepsDone}/${r.stepsTotal}`.length);
		elapsed = Math.max(elapsed, formatDuration(r.elapsedMs).length);
		if (r.stepsCached > 0) cached = Math.max(cached, `cached ${r.stepsCached}`.length);
	}
	const base = 2 + 1 + (counter + 2) + (elapsed + 1);
	if (width - base - (cached + 1) < 6 + 8 + 4) cached = 0;
	const room = Math.max(0, width - base - (cached > 0 ? cached + 1 : 0));
	const target = Math.min(24, Math.max(6, ...rows.map(r => r.target.length)), Math.max(4, Math.floor(room * 0.25)));
	const showsNode = new Set(rows.map(r => r.node).filter(n => n !== undefined)).size > 1;
	const platform = Math.min(
		showsNode ? 28 : 16,
		Math.max(8, ...rows.map(r => platformCell(r, showsNode).length)),
		Math.max(5, Math.floor(room * (showsNode ? 0.35 : 0.25))),
	);
	const bytes = rows.some(r => r.bytes) && room - target - platform >= bytesWidth + 12 ? bytesWidth : 0;
	return {target, platform, bytes, showsNode, step: Math.max(0, room - target - platform - bytes), counter, elapsed, cached};
}

/** "linux/arm64 emu", and "@node" when rows come from several nodes. */
function platformCell(row: Row, showsNode: boolean, platform = row.platform): string {
	return `${platform}${row.isEmulated ? ' emu' : ''}${showsNode && row.node ? ` @${row.node}` : ''}`;
}

/** " 12.3 MB/48.1 MB 7.2 MB/s" */
const bytesWidth = 26;

type PlatformRowProps = {row: Row; isSelected: boolean; nowMs: number; columns: RowColumns};

/**
 * Memoised: a row re-renders only when its data, its selection or its column widths changed, or (running) when
 * its spinner moves to the next frame. Rows come from createRowsSelector, which keeps unchanged rows the same object.
 */
export const PlatformRow = React.memo(PlatformRowView, (a: PlatformRowProps, b: PlatformRowProps) =>
	a.row === b.row &&
	a.isSelected === b.isSelected &&
	sameColumns(a.columns, b.columns) &&
	(a.row.status !== 'running' || spinnerFrame(a.nowMs) === spinnerFrame(b.nowMs)),
);

function sameColumns(a: RowColumns, b: RowColumns): boolean {
	return a === b || (a.target === b.target && a.platform === b.platform && a.step === b.step && a.bytes === b.bytes);
}

function PlatformRowView({row, isSelected, nowMs, columns}: PlatformRowProps) {
	const look = statusLook[row.status];
	const icon = row.status === 'running' ? spinnerFrame(nowMs) : look.icon;
	// narrow terminals drop the "linux/" so the emulated mark still shows
	const full = platformCell(row, columns.showsNode);
	const platform = full.length <= columns.platform ? full : platformCell(row, columns.showsNode, shortPlatform(row.platform));
	const stepText = row.failingStep
		? row.failingStep.name
		: row.currentStep
			? row.currentStep.name
			: row.status === 'queued'
				? 'waiting'
				: row.status === 'running'
					? ''
					: row.status;
	return (
		<Box>
			<Text color={look.color}>{icon} </Text>
			<Text inverse={isSelected} bold={isSelected}>
				{truncate(row.target, columns.target).padEnd(columns.target)}
			</Text>
			<Text> </Text>
			<Text color={row.isEmulated ? 'magenta' : undefined}>{truncate(platform, columns.platform).padEnd(columns.platform)}</Text>
			<Text> {`${row.stepsDone}/${row.stepsTotal}`.padStart(columns.counter)} </Text>
			<Text color={row.failingStep ? 'red' : undefined}>{truncate(stepText, columns.step).padEnd(columns.step)}</Text>
			<Text> {formatDuration(row.elapsedMs).padStart(columns.elapsed)}</Text>
			{columns.cached > 0 ? <Text color="blue"> {(row.stepsCached > 0 ? `cached ${row.stepsCached}` : '').padEnd(columns.cached)}</Text> : null}
			{row.bytes && columns.bytes > 0 ? <Text color="gray">{truncate(` ${bytesText(row.bytes)}`, columns.bytes)}</Text> : null}
		</Box>
	);
}

function bytesText(bytes: NonNullable<Row['bytes']>): string {
	const amount = bytes.totalBytes ? `${formatBytes(bytes.currentBytes)}/${formatBytes(bytes.totalBytes)}` : formatBytes(bytes.currentBytes);
	return bytes.bytesPerSecond ? `${amount} ${formatRate(bytes.bytesPerSecond)}` : amount;
}
