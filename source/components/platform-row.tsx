// One board row: a build x platform.
import React from 'react';
import {Box, Text} from 'ink';
import type {Row} from '../state/selectors.js';
import {formatBytes, formatDuration, formatRate, truncate} from '../lib/format.js';
import {spinnerFrame} from './spinner-frame.js';

export type RowColumns = {target: number; platform: number; step: number};

const statusLook: Record<Row['status'], {icon: string; color: string}> = {
	queued: {icon: '·', color: 'gray'},
	running: {icon: '', color: 'cyan'},
	done: {icon: '✔', color: 'green'},
	cached: {icon: '≡', color: 'blue'},
	failed: {icon: '✖', color: 'red'},
	cancelled: {icon: '◌', color: 'yellow'},
};

export function rowColumns(width: number, rows: Row[]): RowColumns {
	const target = Math.min(24, Math.max(8, ...rows.map(r => r.target.length)));
	const platform = Math.min(16, Math.max(8, ...rows.map(r => r.platform.length + (r.isEmulated ? 4 : 0))));
	const hasBytes = rows.some(r => r.bytes);
	// icon 2, target, space, platform, " nn/nn " 9, step, elapsed 8, " cached nn" 10, bytes ~26 when any row has them
	const fixed = 2 + target + 1 + platform + 9 + 8 + 10 + (hasBytes ? 26 : 0);
	return {target, platform, step: Math.max(10, width - fixed)};
}

export function PlatformRow({row, isSelected, nowMs, columns}: {row: Row; isSelected: boolean; nowMs: number; columns: RowColumns}) {
	const look = statusLook[row.status];
	const icon = row.status === 'running' ? spinnerFrame(nowMs) : look.icon;
	const platform = row.isEmulated ? `${row.platform} emu` : row.platform;
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
			{row.bytes ? (
				<Text color="gray">
					{' '}
					{row.bytes.totalBytes
						? `${formatBytes(row.bytes.currentBytes)}/${formatBytes(row.bytes.totalBytes)}`
						: formatBytes(row.bytes.currentBytes)}
					{row.bytes.bytesPerSecond ? ` ${formatRate(row.bytes.bytesPerSecond)}` : ''}
				</Text>
			) : null}
		</Box>
	);
}
