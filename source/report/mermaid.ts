// A Mermaid `gantt` chart per build: every step on one time axis, one section per platform (plus the shared
// steps), cached steps as milestones, failed steps critical. GitHub and most Markdown viewers render it.
// Times are BuildKit's epoch milliseconds (`dateFormat x`), so bars sit exactly where BuildKit put them.
import {parseStepName} from '../lib/step-name.js';
import {formatDuration} from '../lib/format.js';
import type {BuildSummary, StepTiming} from './types.js';

/** More bars than this per section are unreadable: the longest are kept, the rest counted in a comment. */
export const maxTasksPerSection = 50;
const maxLabelChars = 60;

/** Words the gantt lexer reads as statements when a line starts with them. */
const keywords = /^(gantt|dateformat|axisformat|tickinterval|includes|excludes|todaymarker|weekday|inclusiveenddates|topaxis|title|section|click|call|href|acc)/i;

export function ganttChart(build: BuildSummary): string {
	const isMulti = build.platforms.length > 1;
	const sections = new Map<string, StepTiming[]>();
	if (isMulti) sections.set('shared', []);
	for (const platform of build.platforms.length > 0 ? build.platforms : ['build']) sections.set(platform, []);
	for (const step of build.steps) {
		if (step.startMs === undefined || step.endMs === undefined) continue;
		const section = isMulti ? (step.platform ?? 'shared') : (build.platforms[0] ?? 'build');
		const list = sections.get(section) ?? [];
		list.push(step);
		sections.set(section, list);
	}
	const cache = build.cache.status === 'none' ? '' : `, ${build.cache.status} cache`;
	const lines = [
		'gantt',
		`    title ${clean(`${build.label} — ${build.platforms.join(', ') || 'default platform'} (${formatDuration(build.durationMs)}${cache})`)}`,
		'    dateFormat x',
		'    axisFormat %H:%M:%S',
	];
	for (const [name, steps] of sections) {
		if (steps.length === 0) continue;
		lines.push(`    section ${clean(name)}`);
		let kept = steps;
		if (steps.length > maxTasksPerSection) {
			kept = [...steps].sort((a, b) => b.durationMs - a.durationMs).slice(0, maxTasksPerSection);
			lines.push(`    %% ${steps.length - maxTasksPerSection} shorter steps left out`);
		}
		kept = [...kept].sort((a, b) => a.startMs! - b.startMs! || a.endMs! - b.endMs!);
		for (const step of kept) lines.push(`    ${taskLine(step)}`);
	}
	return lines.join('\n');
}

function taskLine(step: StepTiming): string {
	const parsed = parseStepName(step.name);
	const prefix = parsed.kind === 'step' ? `${parsed.stage ? `${parsed.stage} ` : ''}${parsed.index}/${parsed.count} ` : '';
	const body = parsed.kind === 'step' ? parsed.text : parsed.text.replace(/^\[[^\]]*\]\s*/, '');
	let label = clean(`${prefix}${body}`.replace(/\s+/g, ' '));
	if (label.length > maxLabelChars) label = `${label.slice(0, maxLabelChars - 1)}…`;
	const suffix = step.isCached ? ' (cached)' : step.isFailed ? ' (failed)' : step.isCancelled ? ' (cancelled)' : '';
	if (keywords.test(label)) label = `step ${label}`;
	const tags = step.isCached ? 'milestone, ' : step.isFailed ? 'crit, ' : '';
	return `${label}${suffix} :${tags}${step.startMs}, ${step.endMs}`;
}

/**
 * The gantt lexer ends a task name at `:`, `;` or `#`, and `%%` starts a comment: colons become the look-alike
 * U+2236 so image references stay readable, the others are dropped or replaced.
 */
function clean(text: string): string {
	return text.replace(/:/g, '\u2236').replace(/;/g, ',').replace(/#/g, ' ').replace(/%/g, ' pct').replace(/\s+/g, ' ').trim();
}
