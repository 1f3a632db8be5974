// BuildKit's build records through `docker buildx history` (buildx >= 0.20, on a BuildKit with the history API):
// the list, one record's figures, and its stored progress as rawjson. Each way the builder cannot do it gets one
// clear line (UserFacingError, exit code 2) that says which version would work.
import {execa} from 'execa';
import {parseHistoryInspect, parseHistoryList, splitHistoryRef, type HistoryInspect, type HistoryListEntry} from '../lib/history-records.js';

export {looksLikeHistoryRef} from '../lib/history-records.js';
import {UserFacingError} from '../domain/errors.js';
import {stoppedWithParent} from './parent-death.js';
import {hasHistoryCommand} from '../lib/buildx-features.js';

export type HistoryTarget = {builder?: string; env?: NodeJS.ProcessEnv; signal?: AbortSignal};

type Run = {exitCode?: number; stdout: string; stderr: string; code?: string};

const neededBuildx = 'buildx 0.20 or newer';
const neededBuildkit = 'BuildKit 0.11 or newer (Docker Engine 23+, or a docker-container builder)';

async function buildx(args: string[], target: HistoryTarget, timeout = 60_000): Promise<Run> {
	// No timeout: `history logs` of a running record, which follows the build until it ends; it must not outlive a
	// kill -9 of bxtop (setpriv, where there is one). The short calls keep execa's own ENOENT for a missing docker.
	const command = timeout > 0 ? {file: 'docker', args: ['buildx', ...args]} : stoppedWithParent('docker', ['buildx', ...args]);
	const result = await execa(command.file, command.args, {
		reject: false,
		stdin: 'ignore',
		...(timeout > 0 ? {timeout} : {}),
		...(target.env ? {env: target.env} : {}),
		...(target.signal ? {cancelSignal: target.signal} : {}),
	});
	return {exitCode: result.exitCode, stdout: String(result.stdout ?? ''), stderr: String(result.stderr ?? ''), code: (result as {code?: string}).code};
}

function builderArgs(target: HistoryTarget): string[] {
	return target.builder ? ['--builder', target.builder] : [];
}

function firstLine(text: string): string {
	return text.split('\n').map(l => l.trim()).find(l => l !== '') ?? '';
}

/**
 * That this buildx has `history`. buildx before 0.20 prints its own help and exits 0 for `docker buildx history`,
 * so the test is history's own usage line, not the exit code.
 */
export async function checkHistoryCommand(target: HistoryTarget): Promise<void> {
	const help = await buildx(['history', '--help'], target, 20_000);
	if (help.code === 'ENOENT') throw new UserFacingError('docker: command not found. Install the Docker CLI (and buildx) or put it on PATH.');
	if (hasHistoryCommand(help.stdout + help.stderr)) return;
	const version = await buildx(['version'], target, 20_000);
	const found = /\bv?(\d+\.\d+\.\d+)/.exec(version.stdout)?.[1];
	throw new UserFacingError(`docker buildx ${found ?? '(unknown version)'} has no \`history\` command: BuildKit's build records need ${neededBuildx}`);
}

/** A failed `history` call as one clear line. */
function historyFailure(run: Run, target: HistoryTarget, ref?: string): UserFacingError {
	const text = `${run.stderr}\n${run.stdout}`;
	const builder = target.builder ?? 'the current builder';
	if (/Unimplemented/i.test(text) && /ListenBuildHistory|history/i.test(text)) {
		return new UserFacingError(`${builder}'s BuildKit has no build history API (dockerd 20.10's embedded BuildKit is v0.8): it needs ${neededBuildkit}`);
	}
	const noRecord = /no record found for ref "([^"]*)"/.exec(text);
	if (noRecord && ref !== undefined) {
		return new UserFacingError(`no build record "${ref}" on ${builder} (\`bxtop history${target.builder ? ` --builder ${target.builder}` : ''}\` lists them)`);
	}
	const noBuilder = /no builder "?([^"\s]*)"? found/.exec(text);
	if (noBuilder) return new UserFacingError(`no builder "${noBuilder[1]}" (docker buildx ls lists them)`);
	if (run.code === 'ETIMEDOUT' || run.exitCode === undefined) return new UserFacingError(`docker buildx history did not answer (${firstLine(text) || 'timed out'})`);
	return new UserFacingError(`docker buildx history failed: ${firstLine(text.replace(/^ERROR:\s*/m, '')) || `exit code ${run.exitCode}`}`);
}

/** `history ls --format json`, newest first. */
export async function listHistory(target: HistoryTarget): Promise<HistoryListEntry[]> {
	await checkHistoryCommand(target);
	const run = await buildx(['history', 'ls', ...builderArgs(target), '--format', 'json'], target);
	if (run.exitCode !== 0) throw historyFailure(run, target);
	return parseHistoryList(run.stdout).sort((a, b) => b.createdAtMs - a.createdAtMs);
}

/** `history inspect --format json REF`, with the image platforms when the record names none (see below). */
export async function inspectHistory(ref: string, target: HistoryTarget): Promise<HistoryInspect> {
	const run = await buildx(['history', 'inspect', ...builderArgs(target), '--format', 'json', idOf(ref)], target);
	if (run.exitCode !== 0) throw historyFailure(run, target, ref);
	let record: HistoryInspect;
	try {
		record = parseHistoryInspect(run.stdout);
	} catch (error) {
		throw new UserFacingError(`docker buildx history inspect ${ref}: ${(error as Error).message}`);
	}
	if (record.platforms.length === 0) record.platforms = imagePlatforms(run.stdout);
	return record;
}

/**
 * A build given no --platform has no Platform in the record; the image manifests it made (Attachments) still say
 * which platform it built for, and its step names carry none.
 */
function imagePlatforms(inspectJson: string): string[] {
	try {
		const o = JSON.parse(inspectJson) as {Attachments?: {Platform?: unknown; Type?: unknown}[]};
		const platforms = (o.Attachments ?? []).filter(a => typeof a.Platform === 'string' && String(a.Type).includes('image.manifest')).map(a => a.Platform as string);
		return [...new Set(platforms)];
	} catch {
		return [];
	}
}

/**
 * `history logs --progress=rawjson REF` (on stderr): a finished record's stored progress at once; a running one's
 * as it goes, until the build ends.
 */
export async function historyLogs(ref: string, target: HistoryTarget): Promise<string> {
	const run = await buildx(['history', 'logs', ...builderArgs(target), '--progress=rawjson', idOf(ref)], target, 0);
	if (run.exitCode !== 0) throw historyFailure(run, target, ref);
	return run.stderr.includes('{') ? run.stderr : run.stdout;
}

/** A record for replay or report: its figures, then its progress (then the figures again if it was still running). */
export async function fetchHistoryRecord(ref: string, target: HistoryTarget): Promise<{record: HistoryInspect; rawjson: string; isLive: boolean}> {
	await checkHistoryCommand(target);
	let record = await inspectHistory(ref, target);
	// a running build's logs come live, update by update, until it ends; a finished one's is the stored log
	const isLive = record.status === 'running';
	const rawjson = await historyLogs(ref, target);
	if (isLive) record = await inspectHistory(ref, target);
	return {record, rawjson, isLive};
}

/** `builder/node/id` or the id: buildx takes the id with --builder (and the builder part names which one). */
function idOf(ref: string): string {
	return splitHistoryRef(ref).id;
}

/** The builder a full ref names, unless --builder says otherwise. */
export function builderOfRef(ref: string, builder?: string): string | undefined {
	return builder ?? (splitHistoryRef(ref).builder || undefined);
}

