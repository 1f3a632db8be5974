// One board row: a build x platform.
import React from 'react';
import {Box, Text} from 'ink';
import type {Row} from '../state/selectors.js';
import {formatBytes, formatDuration, formatRate, truncate} from '../lib/format.js';
import {spinnerFrame} from './spinner-frame.js';
import {shortPlatform} from '../lib/step-name.js';

export type RowColumns = {target: number; platform: number; step: number; bytes: number};

const statusLook: Record<Row['status'], {icon: string; color: string}> = {
	queued: {icon: '·', color: 'gray'},
	running: {icon: '', color: 'cyan'},
	done: {icon: '✔', color: 'green'},
	cached: {icon: '≡', color: 'blue'},
	failed: {icon: '✖', color: 'red'},
	cancelled: {icon: '◌', color: 'yellow'},
};

/**
 * Column widths that add up to at most `width`, so a row never wraps: icon 2, target, space, platform, " nn/nn "
 * 9, step, elapsed 8, " cached nn" 10, and the byte column (26) only when rows have bytes and there is room for
 * it beside a useful step column. Narrow terminals shrink target and platform first.
 */
export function rowColumns(width: number, rows: Row[]): RowColumns {
	const fixed = 2 + 1 + 9 + 8 + 10;
	const room = Math.max(0, width - fixed);
	const target = Math.min(24, Math.max(6, ...rows.map(r => r.target.length)), Math.max(6, Math.floor(room * 0.25)));
	const platform = Math.min(16, Math.max(8, ...rows.map(r => r.platform.length + (r.isEmulated ? 4 : 0))), Math.max(8, Math.floor(room * 0.25)));
	const bytes = rows.some(r => r.bytes) && room - target - platform >= bytesWidth + 12 ? bytesWidth : 0;
	return {target, platform, bytes, step: Math.max(4, room - target - platform - bytes)};
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
	const full = row.isEmulated ? `${row.platform} emu` : row.platform;
	const platform = full.length <= columns.platform ? full : `${shortPlatform(row.platform)}${row.isEmulated ? ' emu' : ''}`;
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
			<Text> {`${row.stepsDone}/${row.stepsTotal}`.padStart(7)} </Text>
			<Text color={row.failingStep ? 'red' : undefined}>{truncate(stepText, columns.step).padEnd(columns.step)}</Text>
			<Text> {formatDuration(row.elapsedMs).padStart(7)}</Text>
			<Text color="blue"> {row.stepsCached > 0 ? `cached ${row.stepsCached}`.padEnd(9) : ''.padEnd(9)}</Text>
			{row.bytes && columns.bytes > 0 ? <Text color="gray">{truncate(` ${bytesText(row.bytes)}`, columns.bytes)}</Text> : null}
		</Box>
	);
}

function bytesText(bytes: NonNullable<Row['bytes']>): string {
	const amount = bytes.totalBytes ? `${formatBytes(bytes.currentBytes)}/${formatBytes(bytes.totalBytes)}` : formatBytes(bytes.currentBytes);
	return bytes.bytesPerSecond ? `${amount} ${formatRate(bytes.bytesPerSecond)}` : amount;
}
