// The plain reporter's lines, as a pure function of the state and what was already printed: one line when a
// step completes, caches or fails, one result line per build. Shared by live plain mode and `replay --plain`.
import type {DomainState} from '../state/reducer.js';
import type {BuildRecord, StepRecord} from '../state/slices/builds.js';
import {buildLabel, buildOrigin, errorSummary, isCancellation, selectRows, stepExitCode} from '../state/selectors.js';
import {formatDuration} from '../lib/format.js';
import {selectResourceWarnings} from '../state/resource-selectors.js';

export type PlainMemory = {printedSteps: Set<string>; printedResults: Set<string>; printedWarnings: Set<string>};

export function createPlainMemory(): PlainMemory {
	return {printedSteps: new Set(), printedResults: new Set(), printedWarnings: new Set()};
}

export function plainLines(state: DomainState, memory: PlainMemory): string[] {
	const lines: string[] = [];
	for (const warning of selectResourceWarnings(state, state.lastEventAt)) {
		// The same warning with a newer figure ("unreachable for 2.0s", "8.9 GB free") is not news: key it without
		// its numbers, so each condition prints once when it appears.
		const key = `resource|${warning.text.replace(/\d+(\.\d+)?/g, '#')}`;
		if (memory.printedWarnings.has(key)) continue;
		memory.printedWarnings.add(key);
		lines.push(`bxtop: ${warning.level}: ${warning.text}`);
	}
	const info = state.session.info;
	if (info?.mode === 'attach' && !memory.printedWarnings.has('attach|start')) {
		memory.printedWarnings.add('attach|start');
		lines.push(`bxtop: attached to builder ${info.builder ?? 'default'}: every build it runs shows here (Ctrl-C ends)`);
	}
	for (const warning of state.session.warnings) {
		const key = `${warning.at}|${warning.message}`;
		if (memory.printedWarnings.has(key)) continue;
		memory.printedWarnings.add(key);
		lines.push(`bxtop: warning: ${warning.message}`);
	}
	for (const id of state.builds.order) {
		const build = state.builds.byId[id]!;
		// an attached build says where it came from once buildx's own name for it is known (or it ended)
		// (a replayed history record carries the same record, but was not attached: no such line)
		const origin = info?.mode === 'attach' ? buildOrigin(build) : undefined;
		if (origin && !memory.printedResults.has(`origin|${id}`) && (build.record?.origin !== 'listen' || build.status !== 'running')) {
			memory.printedResults.add(`origin|${id}`);
			lines.push(`[${buildLabel(build)}] attached: ${origin}`);
		}
		// an attached build's step lines wait (a few hundred ms) for the name buildx gives it, so all carry the same
		if (build.record?.origin === 'listen' && build.status === 'running') continue;
		for (const step of build.steps) {
			const key = `${id}|${step.digest}`;
			if (step.isForeign || memory.printedSteps.has(key)) continue;
			const line = stepLine(build, step);
			if (line === undefined) continue;
			memory.printedSteps.add(key);
			lines.push(line);
		}
	}
	for (const row of selectRows(state, state.lastEventAt)) {
		if (row.status === 'running' || row.status === 'queued' || memory.printedResults.has(row.key)) continue;
		memory.printedResults.add(row.key);
		const build = state.builds.byId[row.buildId]!;
		const prefix = `[${row.target} ${row.platform}]`;
		const steps = `${row.stepsDone}/${row.stepsTotal} steps, ${row.stepsCached} cached`;
		if (row.status === 'failed') {
			const failing = row.failingStep ? `: ${row.failingStep.name}` : '';
			const code = row.failingStep ? stepExitCode(row.failingStep) : undefined;
			lines.push(`${prefix} FAILED after ${formatDuration(row.elapsedMs)}${failing}${code !== undefined ? ` (exit code ${code})` : ''}`);
			for (const error of errorSummary(build)) lines.push(`${prefix}   ${error}`);
		} else if (row.status === 'cancelled') {
			lines.push(`${prefix} cancelled after ${formatDuration(row.elapsedMs)} (${steps})`);
		} else {
			lines.push(`${prefix} ${row.status === 'cached' ? 'done, fully cached' : 'done'} in ${formatDuration(row.elapsedMs)} (${steps})`);
		}
	}
	return lines;
}

function stepLine(build: BuildRecord, step: StepRecord): string | undefined {
	const isFinished = step.completedMs !== undefined || step.error !== undefined;
	if (!isFinished) return undefined;
	if (step.kind === 'internal' && !step.error) return undefined;
	if (step.kind === 'other' && !step.error) return undefined;
	const platform = step.platform ?? (build.spec.platforms.length === 1 ? build.spec.platforms[0] : undefined);
	const prefix = `[${buildLabel(build)}${platform ? ` ${platform}` : ''}]`;
	const counter = step.index !== undefined ? `${step.index}/${step.count} ` : '';
	const name = step.kind === 'step' ? step.text : step.name;
	if (step.error) {
		const word = isCancellation(step.error) ? 'CANCELLED' : 'ERROR';
		return `${prefix} ${counter}${name} ${word}: ${step.error}`;
	}
	if (step.isCached) return `${prefix} ${counter}${name} CACHED`;
	return `${prefix} ${counter}${name} ${formatDuration(step.accumulatedMs)}`;
}
