// The resources panel under the board: the builder, one row per BuildKit node (CPU, memory, network, block I/O
// with 60 s sparklines and session peaks - or why the node is not measurable), the Docker host (CPU, memory, free
// disk of the data root) and the warnings (low disk, a container or daemon that went away). A function of the
// domain state and the frame's clock; the lines are built by a pure function the tests read directly.
import React from 'react';
import {Box, Text} from 'ink';
import type {DomainState} from '../state/reducer.js';
import type {ResourceLacks} from '../state/store.js';
import {
	selectBuilderView,
	selectCacheView,
	selectHostView,
	selectResourceRows,
	selectResourceWarnings,
	samplingStoppedText,
	type ResourceRow,
} from '../state/resource-selectors.js';
import {formatBytes, formatDuration, formatRate, truncate} from '../lib/format.js';
import {dockerBytesSize} from '../lib/sizes.js';
import {sparklineText} from './sparkline.js';

export type PanelLine = {text: string; color?: string; isDim?: boolean; isBold?: boolean};

/** What the session will never have (the panels say so instead of "inspecting…" forever). */
export type ReplayLacks = ResourceLacks;

/** `builder: not in this recording`. */
export function lackText(what: string, lacks: ReplayLacks): string {
	if (lacks.file === 'watch') return `${what}: not measured by bxtop watch (it reads the build's output only)`;
	return `${what}: not in ${lacks.file === 'capture' ? 'a raw buildx capture' : 'this recording'}`;
}

export function resourcesPanelLines(domain: DomainState, nowMs: number, width: number, lacks?: ReplayLacks): PanelLine[] {
	const lines: PanelLine[] = [];
	const builder = selectBuilderView(domain);
	const spark = width >= 140 ? 16 : width >= 100 ? 10 : 6;
	if (builder.name) {
		const nodes = `${builder.nodes.length} node${builder.nodes.length === 1 ? '' : 's'}`;
		lines.push({text: `builder ${builder.name} (${builder.driver}) · ${nodes}${builder.buildxVersion ? ` · buildx ${builder.buildxVersion}` : ''}`, isBold: true});
	} else if (builder.error) {
		lines.push({text: `builder: ${builder.error}`, color: 'red'});
	} else {
		lines.push({text: lacks?.facts.includes('builder') ? lackText('builder', lacks) : 'builder: inspecting…', isDim: true});
	}
	const rows = selectResourceRows(domain, nowMs);
	const nameWidth = Math.min(20, Math.max(4, ...rows.map(r => r.node.length)));
	for (const row of rows) lines.push(...nodeLines(row, nameWidth, spark));
	lines.push(...hostLines(domain, nowMs, spark, lacks));
	for (const warning of selectResourceWarnings(domain, nowMs)) {
		lines.push({text: `! ${warning.text}`, color: warning.level === 'error' ? 'red' : 'yellow'});
	}
	return lines.map(line => ({...line, text: truncate(line.text, width)}));
}

/**
 * The panel in one line, for terminals too small for all of it: each measured node's CPU and memory (else the
 * host's), the build cache total and the free disk. `mybuilder0 cpu 0.68% mem 683.7MiB · cache 3.2 GB · disk 41.2 GB free`
 */
export function resourcesSummaryLine(domain: DomainState, nowMs: number, width: number, lacks?: ReplayLacks): PanelLine {
	const parts: string[] = [];
	const rows = selectResourceRows(domain, nowMs);
	for (const row of rows) {
		if (row.status === 'ok' && row.cpuPercent !== undefined) parts.push(`${row.node} cpu ${row.cpuPercent.toFixed(2)}% mem ${dockerBytesSize(row.memoryBytes ?? 0)}`);
		else if (row.status !== 'not-measurable') parts.push(`${row.node} ${row.status === 'unavailable' ? 'unavailable' : 'no sample'}`);
	}
	const host = selectHostView(domain, nowMs);
	if (!rows.some(r => r.status === 'ok') && host.cpuPercent !== undefined) {
		const mem = host.memoryUsedBytes !== undefined ? ` mem ${formatBytes(host.memoryUsedBytes)}` : '';
		parts.push(`host cpu ${host.cpuPercent.toFixed(1)}%${mem}`);
	}
	const cache = selectCacheView(domain, nowMs);
	if (cache.isMeasured) parts.push(`cache ${formatBytes(cache.totalBytes)}`);
	if (host.diskFreeBytes !== undefined) parts.push(`disk ${formatBytes(host.diskFreeBytes)} free${host.isDiskLow ? '!' : ''}`);
	if (parts.length === 0) return resourcesPanelLines(domain, nowMs, width, lacks)[0]!;
	const isWarning = host.isDiskLow || rows.some(r => r.status === 'unavailable' || r.isStale);
	return {text: truncate(parts.join(' · '), width), ...(isWarning ? {color: 'yellow'} : {})};
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
	// why the figures are old goes before the container's name: on a narrow line it is the part that must show
	const stale = (row.isStale || row.isSamplingStopped) && row.message ? `${row.message} · ` : '';
	const color = row.isStale ? {color: 'yellow'} : {};
	return [
		{text: `${name} ${cpu}   ${mem}`, ...color},
		{text: `${' '.repeat(nameWidth)} ${net}   ${io}   ${stale}${row.container ?? ''}`, ...color},
	];
}

/** The Docker host: CPU and memory, then the free space of Docker's data root (its own line: it carries the warning). */
function hostLines(domain: DomainState, nowMs: number, spark: number, lacks?: ReplayLacks): PanelLine[] {
	const host = selectHostView(domain, nowMs);
	if (!host.isKnown) {
		if (lacks?.facts.includes('host')) return [{text: lackText('host', lacks), isDim: true}];
		return [{text: host.isSamplingStopped ? `host: no sample before the builds ended; ${samplingStoppedText}` : 'host: sampling…', isDim: true}];
	}
	const parts: string[] = [host.isMac ? 'this Mac (not the Linux VM that runs BuildKit)' : host.isDaemonLocal ? 'host' : 'this machine (the Docker daemon is elsewhere)'];
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
	if (host.isSamplingStopped) lines.push({text: `${samplingStoppedText}: last host sample ${formatDuration(host.ageMs)} old`, isDim: true});
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

/** Memoised on the lines' content: the panels build fresh line objects every frame. */
export const PanelText = React.memo(PanelTextView, (a: {lines: PanelLine[]}, b: {lines: PanelLine[]}) => sameLines(a.lines, b.lines));

function sameLines(a: PanelLine[], b: PanelLine[]): boolean {
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) {
		const x = a[i]!;
		const y = b[i]!;
		if (x.text !== y.text || x.color !== y.color || x.isDim !== y.isDim || x.isBold !== y.isBold) return false;
	}
	return true;
}

function PanelTextView({lines}: {lines: PanelLine[]}) {
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
