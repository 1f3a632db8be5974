// Details of the selected row: the current step's last log lines, warnings, and for a failed build the failing
// step, its exit code, its last lines and buildx's error summary.
import React from 'react';
import {Box, Text} from 'ink';
import type {BuildRecord} from '../state/slices/builds.js';
import {buildOrigin, logLines, stepExitCode, stepsOf, type Row} from '../state/selectors.js';
import {truncate} from '../lib/format.js';

export function LogPanel({row, build, height, width}: {row: Row; build: BuildRecord; height: number; width: number}) {
	const lines: {text: string; color?: string}[] = [];
	const failing = row.failingStep;
	if (failing) {
		const code = stepExitCode(failing);
		lines.push({text: `failed: ${failing.name}${code !== undefined ? `  (exit code ${code})` : ''}`, color: 'red'});
		for (const line of logLines(failing, Math.max(1, height - 3 - row.errorLines.length))) lines.push({text: `  ${line}`});
		for (const line of row.errorLines) lines.push({text: line, color: 'red'});
	} else {
		const step = row.currentStep ?? lastStepWithLogs(build, row.platform);
		if (step) {
			lines.push({text: step.name, color: 'cyan'});
			for (const line of logLines(step, height - 1)) lines.push({text: `  ${line}`});
		} else if (build.failure) {
			lines.push({text: build.failure, color: 'red'});
		} else if (row.status === 'failed') {
			for (const line of row.errorLines) lines.push({text: line, color: 'red'});
		}
	}
	for (const warning of build.warnings.slice(-2)) lines.push({text: `warning: ${warning.short}`, color: 'yellow'});
	if (build.parseErrors > 0) {
		lines.push({text: `${build.parseErrors} malformed progress object(s) skipped: ${build.lastParseError ?? ''}`, color: 'yellow'});
	}
	// a build BuildKit's record names (attached, or a replayed history record): where it came from, above the rest
	const origin = buildOrigin(build);
	const shown = origin ? [{text: `from ${origin}`, color: 'gray'}, ...lines.slice(Math.max(0, lines.length - (height - 1)))] : lines.slice(-height);
	return (
		<Box flexDirection="column" borderStyle="single" borderColor="gray" paddingX={1}>
			{shown.length === 0 ? <Text color="gray">no output yet</Text> : null}
			{shown.map((line, i) => (
				<Text key={i} color={line.color} wrap="truncate">
					{truncate(line.text, width - 4)}
				</Text>
			))}
		</Box>
	);
}

function lastStepWithLogs(build: BuildRecord, platform: string) {
	const steps = stepsOf(build, platform);
	for (let i = steps.length - 1; i >= 0; i--) if (steps[i]!.logLineCount > 0 || steps[i]!.logPartial) return steps[i];
	return undefined;
}
