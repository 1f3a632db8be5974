// The resources panel under the board: the builder, one row per BuildKit node (CPU, memory, network, block I/O
// with 60 s sparklines and session peaks - or why the node is not measurable), the Docker host (CPU, memory, free
// disk of the data root) and the warnings (low disk, a container or daemon that went away). A function of the
// domain state and the frame's clock; the lines are built by a pure function the tests read directly.
import React from 'react';
import {Box, Text} from 'ink';
import type {DomainState} from '../state/reducer.js';
import {
	selectBuilderView,
	selectHostView,
	selectResourceRows,
	selectResourceWarnings,
	type ResourceRow,
} from '../state/resource-selectors.js';
import {formatBytes, formatRate, truncate} from '../lib/format.js';
import {dockerBytesSize} from '../lib/sizes.js';
import {sparklineText} from './sparkline.js';

export type PanelLine = {text: string; color?: string; isDim?: boolean; isBold?: boolean};

export function resourcesPanelLines(domain: DomainState, nowMs: number, width: number): PanelLine[] {
	const lines: PanelLine[] = [];
	const builder = selectBuilderView(domain);
	const spark = width >= 140 ? 16 : width >= 100 ? 10 : 6;
	if (builder.name) {
		const nodes = `${builder.nodes.length} node${builder.nodes.length === 1 ? '' : 's'}`;
		lines.push({text: `builder ${builder.name} (${builder.driver}) · ${nodes}${builder.buildxVersion ? ` · buildx ${builder.buildxVersion}` : ''}`, isBold: true});
	} else if (builder.error) {
		lines.push({text: `builder: ${builder.error}`, color: 'red'});
	} else {
		lines.push({text: 'builder: inspecting…', isDim: true});
	}
	const rows = selectResourceRows(domain, nowMs);
	const nameWidth = Math.min(20, Math.max(4, ...rows.map(r => r.node.length)));
	for (const row of rows) lines.push(...nodeLines(row, nameWidth, spark));
	lines.push(...hostLines(domain, spark));
	for (const warning of selectResourceWarnings(domain, nowMs)) {
		lines.push({text: `! ${warning.text}`, color: warning.level === 'error' ? 'red' : 'yellow'});
	}
	return lines.map(line => ({...line, text: truncate(line.text, width)}));
}

/** Two lines per measured node: CPU and memory, then network, block I/O and the container's name. */
function nodeLines(row: ResourceRow, nameWidth: number, spark: number): PanelLine[] {
	const name = row.node.padEnd(nameWidth);
	if (row.status === 'not-measurable') return [{text: `${name} ${row.message ?? 'not measurable'}`, isDim: true}];
	if (row.status !== 'ok' || row.cpuPercent === undefined) {
		return [{text: `${name} ${row.message ?? ''}`, color: row.status === 'unavailable' ? 'yellow' : 'gray'}];
	}
	// CPU and memory exactly as `docker stats` prints them (two decimals; binary memory units).
	const cpu = `cpu ${`${row.cpuPercent.toFixed(2)}%`.padStart(7)} ${sparklineText(row.cpuHistory, spark)} peak ${row.peakCpuPercent.toFixed(2)}%`;
	const mem = `mem ${dockerBytesSize(row.memoryBytes ?? 0)} / ${dockerBytesSize(row.memoryLimitBytes ?? 0)} ${sparklineText(row.memoryHistory, spark)} peak ${dockerBytesSize(row.peakMemoryBytes)}`;
	const net = `net ↓ ${formatRate(row.netRxBytesPerSecond ?? 0)} ↑ ${formatRate(row.netTxBytesPerSecond ?? 0)}`;
	const io = `block r ${formatRate(row.blockReadBytesPerSecond ?? 0)} w ${formatRate(row.blockWriteBytesPerSecond ?? 0)}`;
	const stale = row.isStale && row.message ? `  ${row.message}` : '';
	const color = row.isStale ? {color: 'yellow'} : {};
	return [
		{text: `${name} ${cpu}   ${mem}`, ...color},
		{text: `${' '.repeat(nameWidth)} ${net}   ${io}   ${row.container ?? ''}${stale}`, ...color},
	];
}

/** The Docker host: CPU and memory, then the free space of Docker's data root (its own line: it carries the warning). */
function hostLines(domain: DomainState, spark: number): PanelLine[] {
	const host = selectHostView(domain);
	if (!host.isKnown) return [{text: 'host: sampling…', isDim: true}];
	const parts: string[] = [host.isDaemonLocal ? 'host' : 'this machine (the Docker daemon is elsewhere)'];
	if (host.cpuPercent !== undefined) parts.push(`cpu ${host.cpuPercent.toFixed(1)}% ${sparklineText(host.cpuHistory, spark, 100)}`);
	if (host.load1 !== undefined) parts.push(`load ${host.load1.toFixed(2)}${host.cpus ? `/${host.cpus} cpus` : ''}`);
	if (host.memoryUsedBytes !== undefined && host.memoryTotalBytes !== undefined) {
		parts.push(`mem ${formatBytes(host.memoryUsedBytes)} / ${formatBytes(host.memoryTotalBytes)} ${sparklineText(host.memoryHistory, spark, host.memoryTotalBytes)}`);
	}
	const lines: PanelLine[] = [{text: parts.join('   ')}];
	if (host.diskFreeBytes !== undefined) {
		const low = host.isDiskLow ? `  under ${formatBytes(host.minFreeBytes)}!` : '';
		lines.push({text: `disk ${formatBytes(host.diskFreeBytes)} free of ${formatBytes(host.diskTotalBytes)} on ${host.diskPath} (Docker data root)${low}`, ...(host.isDiskLow ? {color: 'yellow'} : {})});
	} else if (host.diskUnavailable) {
		lines.push({text: `disk: ${host.diskUnavailable}`, isDim: true});
	}
	return lines;
}

/** At most `height` lines; the last says how many were left out. */
export function clip(lines: PanelLine[], height: number): PanelLine[] {
	if (lines.length <= height) return lines;
	if (height <= 0) return [];
	if (height === 1) return [lines[0]!]; // a lone "+N more" would say nothing: the headline says the most
	const kept = lines.slice(0, Math.max(0, height - 1));
	return [...kept, {text: `+${lines.length - kept.length} more`, isDim: true}];
}

export function PanelText({lines}: {lines: PanelLine[]}) {
	return (
		<Box flexDirection="column">
			{lines.map((line, i) => (
				<Text key={i} wrap="truncate" {...(line.color ? {color: line.color} : {})} dimColor={line.isDim === true} bold={line.isBold === true}>
					{line.text}
				</Text>
			))}
		</Box>
	);
}
