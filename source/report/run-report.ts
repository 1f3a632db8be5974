// `bxtop report [FILES or DIRS...] [-o FILE] [--format md|json]`: reads each recording once, streaming, and
// writes the metrics report. Without files it reports the latest recording in ./recordings.
import {readFileSync} from 'node:fs';
import {stat, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {createRedactor} from '../lib/redact.js';
import {createPathSharer} from '../lib/share-paths.js';
import {scrubValues} from '../lib/secretlint-scrub.js';
import {RecordingError} from '../record/reader.js';
import {summarizeRecording} from './metrics.js';
import {trendRowsOf, withDeltas} from './history.js';
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

  Writes build metrics (environment, durations, phases, image sizes, cache, resources, disk, bottlenecks,
  historical trends) from bxtop recordings (*.bxrec, *.bxrec.gz).

  RECORDING|DIR   recordings or directories of recordings (default: the latest recording in ./recordings)
  -o, --output    write to FILE instead of standard output (format from the extension unless --format)
  --format        md (default) or json
`;

type Args = {files: string[]; output?: string; format?: ReportFormat; help: boolean};

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

	const found = await resolveFiles(parsed.files, io.cwd);
	for (const problem of found.problems) io.stderr.write(`bxtop report: ${problem.file}: ${problem.error}\n`);
	if (found.files.length === 0) {
		if (found.problems.length === 0) io.stderr.write(`bxtop report: no recordings to report on\n`);
		return 1;
	}

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
	const redactor = createRedactor([], createPathSharer({cwd, home: os.homedir(), tmp: os.tmpdir()}));
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
			};
		}),
		trends: report.trends.map(row => ({...redactor.value(row), file: local(row.file)})),
	};
	const [scrubbed] = await scrubValues([shared]);
	return scrubbed!;
}

type Found = {files: string[]; problems: {file: string; error: string}[]};

/** Files as given (for display), directories expanded to their recordings, no args: the latest in ./recordings. */
async function resolveFiles(args: readonly string[], cwd: string): Promise<Found> {
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
	found.files = [...new Set(found.files)];
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
 * latest session and for the latest run of each target on each platform set.
 */
export async function buildReport(files: readonly string[], options: BuildReportOptions = {}): Promise<Report> {
	const cwd = options.cwd ?? process.cwd();
	const rows: TrendRow[] = [];
	const unreadable: Report['unreadable'] = [];
	const kept = new Map<string, SessionReport>();
	/** Latest run per target and platform set. */
	const latestByLabel = new Map<string, {startMs: number; file: string}>();
	let latest: {startMs: number; file: string} | undefined;
	let read = 0;

	const keep = (session: SessionReport) => {
		kept.set(session.file, session);
		if (!latest || session.startMs > latest.startMs) latest = {startMs: session.startMs, file: session.file};
		for (const build of session.builds) {
			const k = `${build.label}|${[...build.platforms].sort().join(',')}`;
			const current = latestByLabel.get(k);
			if (!current || build.startMs > current.startMs) latestByLabel.set(k, {startMs: build.startMs, file: session.file});
		}
		// Drop sessions nothing points to any more, so memory stays bounded by the number of targets.
		const needed = new Set([latest.file, ...[...latestByLabel.values()].map(v => v.file)]);
		for (const file of kept.keys()) if (!needed.has(file)) kept.delete(file);
	};

	let next = 0;
	const worker = async () => {
		while (next < files.length) {
			const file = files[next++]!;
			try {
				const session = await summarizeRecording(path.resolve(cwd, file));
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
	return {
		schemaVersion: 1,
		generatedBy: options.generatedBy ?? `bxtop ${bxtopVersion()}`,
		recordingsRead: read,
		unreadable,
		sessions: [...kept.values()].sort((a, b) => a.startMs - b.startMs || a.file.localeCompare(b.file)),
		trends: withDeltas(rows),
	};
}

let version: string | undefined;

export function bxtopVersion(): string {
	if (version) return version;
	try {
		// source/report/ and dist/report/ are both two levels below the package root
		const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version?: string};
		version = pkg.version ?? 'unknown';
	} catch {
		version = 'unknown';
	}
	return version;
}
