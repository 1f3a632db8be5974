// `bxtop report [FILES or DIRS...] [-o FILE] [--format md|json]`: reads each recording once, streaming, and
// writes the metrics report. Without files it reports the latest recording in ./recordings.
import {stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {sessionRedactor} from '../lib/session-redactor.js';
import {bxtopVersion} from '../lib/version.js';
import {scrubValues} from '../lib/secretlint-scrub.js';
import {RecordingError} from '../record/reader.js';
import {summarizeRecording, summarizeSession} from './metrics.js';
import {readHistoryRefSession} from '../record/history-ref.js';
import {builderOfRef, listHistory, looksLikeHistoryRef, type HistoryTarget} from '../sources/buildx-history.js';
import {trendRowsOf, withDeltas} from './history.js';
import {createTargetRuns} from './target-runs.js';
import {renderMarkdown} from './markdown.js';
import {renderJson} from './json.js';
import {latestRecording, recordingsIn} from './recording-files.js';
import type {Report, SessionReport, TrendRow} from './types.js';

export type ReportIo = {
	stdout: {write: (text: string) => unknown};
	stderr: {write: (text: string) => unknown};
	cwd: string;
};

export type ReportFormat = 'md' | 'json';

export const reportUsage = `Usage: bxtop report [RECORDING|DIR ...] [-o FILE] [--format md|json]
       bxtop report [--builder NAME] REF [REF ...]

  Writes build metrics (environment, durations, phases, image sizes, cache, resources, disk, bottlenecks,
  historical trends) from bxtop recordings (*.bxrec, *.bxrec.gz), anything replay plays (raw rawjson captures,
  *.dockerbuild), or BuildKit history records of a builder (buildx 0.20+). Over several sessions: per target the
  first cold build and the latest warm one in detail, then every run in the trends.

  RECORDING|DIR   recordings or directories of recordings (default: the latest recording in ./recordings)
  REF             a build record (bxtop history lists them): with --builder, or in builder/node/id form
  --builder       the builder whose records REFs name (default: the current one)
  -o, --output    write to FILE instead of standard output (format from the extension unless --format)
  --format        md (default) or json
`;

type Args = {files: string[]; output?: string; format?: ReportFormat; builder?: string; help: boolean};

export function parseReportArgs(args: readonly string[]): Args | string {
	const parsed: Args = {files: [], help: false};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
		const value = () => inline ?? args[++i];
		switch (flag) {
			case '-h':
			case '--help':
				parsed.help = true;
				break;
			case '-o':
			case '--output': {
				const v = value();
				if (!v) return `${flag} needs a file name`;
				parsed.output = v;
				break;
			}
			case '--builder': {
				const v = value();
				if (!v) return `${flag} needs a builder name`;
				parsed.builder = v;
				break;
			}
			case '--format': {
				const v = value();
				if (v !== 'md' && v !== 'json') return `--format must be md or json, not ${v === undefined ? 'nothing' : `"${v}"`}`;
				parsed.format = v;
				break;
			}
			default:
				if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
				parsed.files.push(arg);
		}
	}
	return parsed;
}

export async function runReport(args: string[], io: ReportIo): Promise<number> {
	const parsed = parseReportArgs(args);
	if (typeof parsed === 'string') {
		io.stderr.write(`bxtop report: ${parsed}\n\n${reportUsage}`);
		return 2;
	}
	if (parsed.help) {
		io.stdout.write(reportUsage);
		return 0;
	}
	const format: ReportFormat = parsed.format ?? (parsed.output?.toLowerCase().endsWith('.json') ? 'json' : 'md');

	const found = await resolveFiles(parsed.files, io.cwd, parsed.builder);
	for (const problem of found.problems) io.stderr.write(`bxtop report: ${problem.file}: ${problem.error}\n`);
	if (found.files.length === 0) {
		if (found.problems.length === 0) io.stderr.write(`bxtop report: no recordings to report on\n`);
		return 1;
	}
	// A builder that cannot give records at all is one clear line and exit code 2 (UserFacingError), not a
	// "cannot read" per ref.
	const builders = new Set(found.files.filter(isHistoryInput).map(r => r.target.builder));
	for (const builder of builders) await listHistory(builder ? {builder} : {});

	const report = await buildReport(found.files, {cwd: io.cwd});
	report.unreadable.unshift(...found.problems);
	for (const u of report.unreadable.slice(found.problems.length)) io.stderr.write(`bxtop report: ${u.file}: ${u.error}\n`);
	for (const s of report.sessions) for (const d of s.damage) io.stderr.write(`bxtop report: ${s.file}: line ${d.line}: ${d.reason} (the readable part is reported)\n`);
	if (report.recordingsRead === 0) return 1;

	const shared = await shareReport(report, io.cwd);
	const text = format === 'json' ? renderJson(shared) : renderMarkdown(shared);
	if (parsed.output) {
		const target = path.resolve(io.cwd, parsed.output);
		try {
			await writeFile(target, text);
		} catch (error) {
			io.stderr.write(`bxtop report: cannot write ${parsed.output}: ${(error as Error).message}\n`);
			return 1;
		}
		io.stderr.write(`bxtop report: wrote ${parsed.output} (${report.recordingsRead} recording${report.recordingsRead === 1 ? '' : 's'})\n`);
	} else io.stdout.write(text);
	return report.unreadable.length > 0 ? 1 : 0;
}

/**
 * What a report may carry: credential shapes redacted everywhere (a recording made before a rule existed, or by
 * another tool, may hold one), secretlint's findings too, and no local absolute path in the file names, commands,
 * warnings and errors (bxtop's side; step names are the build's own text and keep their paths).
 */
export async function shareReport(report: Report, cwd: string): Promise<Report> {
	const redactor = sessionRedactor([], cwd);
	const local = redactor.local;
	const shared: Report = {
		...redactor.value(report),
		unreadable: report.unreadable.map(u => redactor.localValue(u)),
		sessions: report.sessions.map(session => {
			const s = redactor.value(session);
			return {
				...s,
				file: local(session.file),
				environment: {...s.environment, command: session.environment.command.map(local)},
				warnings: session.warnings.map(local),
				// buildx's error lines and a process failure are bxtop's side, as in the --json summary
				builds: s.builds.map(build => ({
					...build,
					errors: build.errors.map(local),
					...(build.failure !== undefined ? {failure: local(build.failure)} : {}),
					perPlatform: build.perPlatform.map(p => ({...p, errors: p.errors.map(local)})),
				})),
			};
		}),
		trends: report.trends.map(row => ({...redactor.value(row), file: local(row.file)})),
	};
	const [scrubbed] = await scrubValues([shared]);
	return scrubbed!;
}

/** A report input: a file (recording, capture, .dockerbuild), or a BuildKit history record by ref. */
export type ReportInput = string | HistoryInput;
export type HistoryInput = {ref: string; target: HistoryTarget};

function isHistoryInput(input: ReportInput): input is HistoryInput {
	return typeof input !== 'string';
}

function inputName(input: ReportInput): string {
	return typeof input === 'string' ? input : input.ref;
}

type Found = {files: ReportInput[]; problems: {file: string; error: string}[]};

/**
 * Files as given (for display), directories expanded to their recordings, no args: the latest in ./recordings.
 * An argument that is no file is a history ref with --builder, or when it has a ref's form.
 */
async function resolveFiles(args: readonly string[], cwd: string, builder?: string): Promise<Found> {
	const found: Found = {files: [], problems: []};
	if (args.length === 0) {
		const dir = path.join(cwd, 'recordings');
		const latest = await latestRecording(dir).catch(() => undefined);
		if (latest) found.files.push(path.relative(cwd, latest));
		else found.problems.push({file: 'recordings/', error: `no recordings (*.bxrec) in ${dir}; pass recording files or a directory`});
		return found;
	}
	for (const arg of args) {
		const full = path.resolve(cwd, arg);
		let info;
		try {
			info = await stat(full);
		} catch {
			if (builder !== undefined || looksLikeHistoryRef(arg)) {
				const refBuilder = builderOfRef(arg, builder);
				found.files.push({ref: arg, target: refBuilder ? {builder: refBuilder} : {}});
				continue;
			}
			found.problems.push({
				file: arg,
				error: /[*?[]/.test(arg) ? 'no recording matches this pattern (the shell did not expand it)' : 'no such file',
			});
			continue;
		}
		if (info.isDirectory()) {
			const inside = await recordingsIn(full);
			if (inside.length === 0) found.problems.push({file: arg, error: 'directory holds no recordings (*.bxrec)'});
			found.files.push(...inside.map(f => path.join(arg, path.basename(f))));
		} else found.files.push(arg);
	}
	const seen = new Set<string>();
	found.files = found.files.filter(f => !seen.has(inputName(f)) && !!seen.add(inputName(f)));
	return found;
}

export type BuildReportOptions = {
	cwd?: string;
	/** Recordings read at the same time: overlaps file reads without holding more than a few states. */
	concurrency?: number;
	generatedBy?: string;
};

/**
 * Reads every recording once and keeps only what the report shows: trend rows for all, full detail for the
 * latest session, and (several sessions) per target on each platform set its first cold and latest warm build.
 */
export async function buildReport(files: readonly ReportInput[], options: BuildReportOptions = {}): Promise<Report> {
	const cwd = options.cwd ?? process.cwd();
	const rows: TrendRow[] = [];
	const unreadable: Report['unreadable'] = [];
	let latest: SessionReport | undefined;
	const targets = createTargetRuns();
	let read = 0;

	const keep = (session: SessionReport) => {
		targets.add(session);
		if (!latest || session.startMs > latest.startMs || (session.startMs === latest.startMs && session.file < latest.file)) latest = session;
	};

	let next = 0;
	const worker = async () => {
		while (next < files.length) {
			const input = files[next++]!;
			const file = inputName(input);
			try {
				const session = isHistoryInput(input)
					? summarizeSession(await readHistoryRefSession(input.ref, input.target))
					: await summarizeRecording(path.resolve(cwd, input));
				session.file = file;
				read++;
				rows.push(...trendRowsOf(session));
				keep(session);
			} catch (error) {
				unreadable.push({file, error: error instanceof RecordingError ? error.message.replace(`${path.resolve(cwd, file)}: `, '') : (error as Error).message});
			}
		}
	};
	await Promise.all(Array.from({length: Math.max(1, Math.min(options.concurrency ?? 8, files.length))}, worker));

	unreadable.sort((a, b) => a.file.localeCompare(b.file));
	const report: Report = {
		schemaVersion: 1,
		generatedBy: options.generatedBy ?? `bxtop ${bxtopVersion}`,
		recordingsRead: read,
		unreadable,
		sessions: latest ? [latest] : [],
		trends: withDeltas(rows),
	};
	if (read > 1) report.targets = targets.result();
	return report;
}
