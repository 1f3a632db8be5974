// The `t` view: the selected build's steps as bars on one time axis across the terminal width, the same picture as
// the report's Mermaid gantt. A pure function of the build record and the frame's clock; layout in timelineLines.
import React from 'react';
import {Box, Text} from 'ink';
import type {BuildRecord, StepRecord} from '../state/slices/builds.js';
import {buildLabel, isCancellation} from '../state/selectors.js';
import {parseStepName, shortPlatform} from '../lib/step-name.js';
import {formatClock, formatDuration, truncate} from '../lib/format.js';
import {classifyStep, stepDurationMs} from '../report/phases.js';
import type {PhaseId} from '../report/types.js';

export type TimelineLine = {
	key: string;
	label: string;
	/** Exactly barWidth characters. */
	bar: string;
	duration: string;
	phase?: PhaseId;
	isFailed?: boolean;
	isCached?: boolean;
	isRunning?: boolean;
};

export type TimelineLayout = {title: string; axis: string; lines: TimelineLine[]; hidden: number; labelWidth: number};

const phaseColor: Record<PhaseId, string> = {
	setup: 'gray',
	downloads: 'green',
	dependencies: 'yellow',
	application: 'cyan',
	export: 'magenta',
	push: 'blue',
};

/** Where each step sits on the axis, in rows that fit `width` x `height` (title and axis lines included). */
export function timelineLines(build: BuildRecord, nowMs: number, width: number, height: number): TimelineLayout {
	const isActive = build.status === 'running' || build.status === 'queued';
	const start = build.firstTimestampMs ?? build.startedAt ?? build.queuedAt;
	const last = build.lastTimestampMs ?? start;
	const end = isActive ? Math.max(nowMs, last) : last;
	const span = Math.max(1, end - start);
	const labelWidth = Math.max(12, Math.min(40, Math.floor(width * 0.32)));
	// as wide as the longest figure: a failed step of ten hours reads "✖ 10h16m40s"
	const durationWidth = Math.max(8, ...build.steps.map(step => formatDuration(step.accumulatedMs).length + (step.error ? 2 : 0)), formatDuration(span).length + 2);
	const barWidth = Math.max(10, width - labelWidth - durationWidth - 2);
	const isMulti = build.spec.platforms.length > 1;

	const steps = build.steps.filter(s => s.startedMs !== undefined && !s.isForeign);
	const group = (s: StepRecord) => (isMulti ? (s.platform ? build.spec.platforms.indexOf(s.platform) + 1 : 0) : 0);
	const ordered = [...steps].sort((a, b) => group(a) - group(b) || a.startedMs! - b.startedMs! || a.name.localeCompare(b.name));
	const room = Math.max(1, height - 2);
	let shown = ordered;
	let hidden = 0;
	if (ordered.length > room) {
		// Keep the longest steps, in their order: the short ones are what a narrow view can spare.
		const keep = new Set([...ordered].sort((a, b) => stepDurationMs(b, end) - stepDurationMs(a, end)).slice(0, room - 1));
		shown = ordered.filter(s => keep.has(s));
		hidden = ordered.length - shown.length;
	}

	const column = (ms: number) => Math.min(barWidth, Math.max(0, Math.round(((ms - start) / span) * barWidth)));
	const lines = shown.map(step => {
		const isRunning = step.completedMs === undefined;
		const from = column(step.startedMs!);
		const to = Math.max(from + 1, column(step.completedMs ?? end));
		const isFailed = !!step.error && !isCancellation(step.error);
		const isCancelled = !!step.error && isCancellation(step.error);
		const fill = step.isCached ? '◆' : isCancelled ? '░' : isRunning ? '▒' : '█';
		const length = step.isCached ? 1 : to - from;
		const at = Math.min(from, barWidth - length);
		const bar = ' '.repeat(at) + fill.repeat(length) + ' '.repeat(Math.max(0, barWidth - at - length));
		const duration = step.isCached ? 'cached' : isFailed ? `✖ ${formatDuration(stepDurationMs(step, end))}` : formatDuration(stepDurationMs(step, end));
		const line: TimelineLine = {key: step.digest, label: truncate(labelOf(step, isMulti), labelWidth).padEnd(labelWidth), bar, duration: duration.padStart(durationWidth), phase: classifyStep(step)};
		if (isFailed) line.isFailed = true;
		if (step.isCached) line.isCached = true;
		if (isRunning) line.isRunning = true;
		return line;
	});
	if (hidden > 0) lines.push({key: 'hidden', label: truncate(`+${hidden} shorter steps`, labelWidth).padEnd(labelWidth), bar: ' '.repeat(barWidth), duration: ''.padStart(durationWidth)});

	const left = '0s';
	const right = span >= 60_000 ? formatClock(span) : formatDuration(span);
	const axis = `${''.padEnd(labelWidth)} ${left}${'─'.repeat(Math.max(1, barWidth - left.length - right.length))}${right}`;
	const platforms = build.spec.platforms.join(', ') || 'default platform';
	const title = truncate(`timeline ${buildLabel(build)} (${platforms}) ${formatDuration(span)}${isActive ? ' so far' : ''}`, width);
	return {title, axis, lines, hidden, labelWidth};
}

function labelOf(step: StepRecord, isMulti: boolean): string {
	const parsed = parseStepName(step.name);
	const where = isMulti ? (step.platform ? `${shortPlatform(step.platform)} ` : 'shared ') : '';
	const counter = parsed.kind === 'step' ? `${parsed.index}/${parsed.count} ` : '';
	const text = parsed.kind === 'step' ? parsed.text : parsed.text.replace(/^\[[^\]]*\]\s*/, '');
	return `${where}${counter}${text.replace(/\s+/g, ' ')}`;
}

export function Timeline({build, nowMs, width, height}: {build: BuildRecord; nowMs: number; width: number; height: number}) {
	const layout = timelineLines(build, nowMs, width, height);
	return (
		<Box flexDirection="column">
			<Text bold>{layout.title}</Text>
			{layout.lines.map(line => (
				<Box key={line.key}>
					<Text color={line.isFailed ? 'red' : undefined}>{line.label}</Text>
					<Text> </Text>
					<Text color={line.isFailed ? 'red' : line.isCached ? 'blue' : line.phase ? phaseColor[line.phase] : 'gray'}>{line.bar}</Text>
					<Text color={line.isFailed ? 'red' : 'gray'}> {line.duration}</Text>
				</Box>
			))}
			<Text color="gray">{layout.axis}</Text>
		</Box>
	);
}
