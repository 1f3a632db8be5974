// `bxtop build`, `bxtop bake` and `bxtop watch`: live sessions. Each is recorded (unless --no-record) by a tap
// on the same events the board reads.
import os from 'node:os';
import path from 'node:path';
import {loadHistory, sessionSummaryLines} from '../report/history.js';
import {createReadStream, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs';
import tty from 'node:tty';
import {execa} from 'execa';
import type {Emit, SessionInfo} from '../state/events.js';
import {systemClock, type Clock} from '../sources/clock.js';
import {checkDocker, UserFacingError, type DockerFacts} from '../sources/preflight.js';
import {runLiveBuilds} from '../sources/live-builds.js';
import type {ChildBuild} from '../sources/build-process.js';
import {createBuildStream} from '../sources/buildx-stream.js';
import {createDownloadTracker} from '../sources/download-tracker.js';
import {measureImage, withMetadataFile} from '../sources/image-measure.js';
import {startResourceMonitor, type ResourceMonitor} from '../sources/resource-monitor.js';
import {createPruneController, type PruneController} from './prune-controller.js';
import {planBuilds, parseBuildRequest} from '../lib/build-plan.js';
import {parseBakePrint, planBake, type BakePrint} from '../lib/bake-plan.js';
import {collectSecretValues, redactArgv} from '../lib/redact.js';
import {createRecorder, defaultRecordingName, type Recorder} from '../record/recorder.js';
import {recordingFormat, recordingVersion, type RecordingHeader} from '../record/format.js';
import {runSession, type SessionIo} from './run-session.js';
import type {SessionFlags} from './cli-options.js';

export const bxtopVersion = readVersion();

function readVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version?: string};
		return pkg.version ?? '0.0.0';
	} catch {
		return '0.0.0';
	}
}

type LiveContext = {flags: SessionFlags; io: SessionIo; argv: string[]; clock?: Clock};

export async function runBuildCommand(args: string[], ctx: LiveContext): Promise<number> {
	const request = parseBuildRequest(args);
	const builder = request.builder;
	const facts = await checkDocker(builder);
	const {children, note} = planBuilds(request, {split: ctx.flags.split, builderFacts: facts, ...(builder ? {builder} : {})});
	// The docker driver loads every child's image into the image store under the same tags: the last platform to
	// finish keeps them. Worth saying whenever bxtop splits such a build (by need or by --split).
	const loadsSameTag = children.length > 1 && request.tags.length > 0 && (facts.driver === 'docker' || args.includes('--load'));
	const tagNote = loadsSameTag ? `each platform's image is loaded as ${request.tags.join(', ')}: the last platform to finish keeps the tag` : undefined;
	const notes = [note, tagNote].filter((n): n is string => n !== undefined).join('; ');
	return runLive(children, facts, {...ctx, mode: 'build', secretArgs: args, ...(notes ? {note: notes} : {})});
}

export async function runBakeCommand(args: string[], ctx: LiveContext): Promise<number> {
	let builder: string | undefined;
	const printArgs: string[] = [];
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		if (arg === '--builder') builder = args[++i];
		else if (arg.startsWith('--builder=')) builder = arg.slice('--builder='.length);
		else if (arg === '-f' || arg === '--file' || arg === '--set') printArgs.push(arg, args[++i] ?? '');
		else printArgs.push(arg);
	}
	const facts = await checkDocker(builder);
	const printed = await execa('docker', ['buildx', 'bake', ...(builder ? ['--builder', builder] : []), '--print', ...printArgs], {
		reject: false,
		stdin: 'ignore',
	});
	if (printed.exitCode !== 0) {
		const reason = String(printed.stderr).split('\n').filter(l => /ERROR|error/.test(l)).pop() ?? String(printed.stderr).trim();
		throw new UserFacingError(`docker buildx bake --print failed: ${reason}`);
	}
	let children: ChildBuild[];
	let notes: string[];
	try {
		const print = parseBakePrint(String(printed.stdout));
		inlineDockerfilesToFiles(print);
		({children, notes} = planBake(print, {split: ctx.flags.split, builderFacts: facts, cwd: process.cwd(), ...(builder ? {builder} : {})}));
	} catch (error) {
		throw new UserFacingError(`cannot read bake targets: ${(error as Error).message}`);
	}
	if (children.length === 0) throw new UserFacingError('bake resolved no targets');
	const note = notes.join('; ');
	return runLive(children, facts, {...ctx, mode: 'bake', secretArgs: children.flatMap(c => c.dockerArgs), ...(note ? {note} : {})});
}

/** A bake target's `dockerfile-inline` becomes a file the child build can read (its stdin is not a Dockerfile). */
function inlineDockerfilesToFiles(print: BakePrint): void {
	let dir: string | undefined;
	for (const [name, target] of Object.entries(print.target ?? {})) {
		const inline = target['dockerfile-inline'];
		if (inline === undefined) continue;
		dir ??= mkdtempSync(path.join(os.tmpdir(), 'bxtop-bake-'));
		const file = path.join(dir, `${name.replace(/[^A-Za-z0-9._-]/g, '_')}.Dockerfile`);
		writeFileSync(file, inline);
		target.dockerfile = file;
		delete target['dockerfile-inline'];
	}
}

/** `bxtop watch -` (stdin) or `bxtop watch FILE`: a build started elsewhere. */
export async function runWatchCommand(args: string[], ctx: LiveContext): Promise<number> {
	const source = args[0] ?? '-';
	const clock = ctx.clock ?? systemClock;
	const label = ctx.flags.label ?? (source === '-' ? 'watch' : source);
	const spec = {buildId: label, target: label, tags: [], platforms: ctx.flags.platform ? [ctx.flags.platform] : [], argv: []};
	if (source !== '-') {
		try {
			if (!statSync(source).isFile()) throw new UserFacingError(`watch: ${source} is not a file`);
		} catch (error) {
			if (error instanceof UserFacingError) throw error;
			throw new UserFacingError(`watch: cannot read ${source}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
		}
	}
	const input = source === '-' ? process.stdin : createReadStream(source);
	input.setEncoding('utf8'); // a multi-byte character may straddle two chunks
	const info: SessionInfo = {command: redactArgv(ctx.argv), mode: 'watch', bxtopVersion, hostOs: os.platform(), hostArch: os.arch()};
	const recorder = openRecorder(ctx.flags, info, [label], clock, []);
	if (recorder) info.recordingPath = recorder.path;
	const {exitCode} = await runSession({
		mode: 'live',
		isPlain: ctx.flags.isPlain,
		...(ctx.flags.jsonFile ? {jsonFile: ctx.flags.jsonFile} : {}),
		clock,
		io: source === '-' ? {...ctx.io, stdin: openTty() ?? ctx.io.stdin} : ctx.io,
		taps: recorder ? [recorder.tap] : [],
		run: async (emit, signal) => {
			recorder?.setWarn(message => emit({type: 'session/warned', at: clock.now(), message}));
			emit({type: 'session/started', at: clock.now(), info});
			emit({type: 'build/queued', at: clock.now(), spec});
			emit({type: 'build/started', at: clock.now(), buildId: label});
			// buildx's own `ERROR: ...` line (as the stream emits it, whatever the chunking) says the build failed
			let sawError = false;
			const watchEmit: Emit = event => {
				if (event.type === 'build/text-received' && /^ERROR\b/.test(event.line)) sawError = true;
				emit(event);
			};
			const stream = createBuildStream({buildId: label, emit: watchEmit, clock, listeners: [createDownloadTracker(spec)]});
			let readError: string | undefined;
			await new Promise<void>(resolve => {
				const stop = () => {
					input.off('data', onData);
					resolve();
				};
				const onData = (chunk: string | Buffer) => stream.push(String(chunk)); // utf8 strings (setEncoding above)
				input.on('data', onData);
				input.once('end', stop);
				input.once('error', (error: Error) => {
					readError = `reading ${source === '-' ? 'standard input' : source} failed: ${error.message}`;
					stop();
				});
				signal.addEventListener('abort', stop, {once: true});
			});
			stream.end();
			emit({
				type: 'build/exited',
				at: clock.now(),
				buildId: label,
				exitCode: sawError || readError ? 1 : 0,
				isCancelled: signal.aborted,
				...(readError ? {failure: readError} : {}),
			});
		},
		ended: async (emit, _store, wasCancelled) => {
			emit({type: 'session/ended', at: clock.now(), reason: wasCancelled ? 'cancelled' : 'completed'});
		},
		finish: async () => {
			await closeRecorder(recorder);
		},
	});
	return exitCode;
}

type RunLiveOptions = LiveContext & {mode: 'build' | 'bake'; secretArgs: string[]; note?: string};

async function runLive(children: ChildBuild[], facts: DockerFacts, options: RunLiveOptions): Promise<number> {
	const clock = options.clock ?? systemClock;
	const info: SessionInfo = {
		command: redactArgv(options.argv),
		mode: options.mode,
		builder: facts.builder,
		driver: facts.driver,
		bxtopVersion,
		hostOs: os.platform(),
		hostArch: os.arch(),
		...(facts.buildkitVersion ? {buildkitVersion: facts.buildkitVersion} : {}),
		...(facts.dockerVersion ? {dockerVersion: facts.dockerVersion} : {}),
		...(facts.buildxVersion ? {buildxVersion: facts.buildxVersion} : {}),
		...(facts.nativePlatform ? {nativePlatform: facts.nativePlatform} : {}),
	};
	const targets = [...new Set(children.map(c => c.spec.target))];
	const recorder = openRecorder(options.flags, info, targets, clock, collectSecretValues(options.secretArgs, process.env));
	if (recorder) info.recordingPath = recorder.path;
	// Earlier runs, for "7m12s (-4m03s vs 2025-11-02, warm cache 9/11)": read while the builds run.
	const historyDir = recorder ? path.dirname(recorder.path) : 'recordings';
	const history = loadHistory(historyDir, {targets, ...(recorder ? {exclude: path.resolve(recorder.path)} : {})}).catch(() => []);

	// bxtop reads each child's --metadata-file to measure the image afterwards
	const metadataDir = mkdtempSync(path.join(os.tmpdir(), 'bxtop-meta-'));
	const measured = children.map((child, i) => withMetadataFile(child, path.join(metadataDir, `${i}.json`)));
	const metadataOf = new Map(measured.map(m => [m.child.spec.buildId, m.metadataFile]));

	// Resources (builder stats, host, build cache, prune) run beside the builds and until the board closes.
	const monitorStop = new AbortController();
	let monitor: ResourceMonitor | undefined;
	let pruneController: PruneController | undefined;

	const {exitCode} = await runSession({
		mode: 'live',
		isPlain: options.flags.isPlain,
		...(options.flags.jsonFile ? {jsonFile: options.flags.jsonFile} : {}),
		clock,
		io: options.io,
		taps: [...(recorder ? [recorder.tap] : []), event => monitor?.onEvent(event)],
		holdAtEnd: true,
		controls: store => (pruneController = createPruneController(store)),
		run: async (emit, signal) => {
			recorder?.setWarn(message => emit({type: 'session/warned', at: clock.now(), message}));
			emit({type: 'session/started', at: clock.now(), info});
			if (options.note) emit({type: 'session/warned', at: clock.now(), message: options.note});
			monitor = startResourceMonitor({
				emit,
				clock,
				signal: monitorStop.signal,
				builderName: facts.builder,
				...(options.flags.minFreeGb ? {minFreeBytes: options.flags.minFreeGb * 1e9} : {}),
			});
			pruneController?.attach(monitor);
			await runLiveBuilds(measured.map(m => m.child), {
				emit,
				clock,
				signal,
				onBuildEnd: async (child, code) => {
					if (code === 0 && !signal.aborted) await measureImage(child, metadataOf.get(child.spec.buildId)!, facts.driver, emit, clock, signal);
				},
				...(options.flags.concurrency ? {concurrency: options.flags.concurrency} : {}),
			});
		},
		closingLines: async store => store.getState().ui.summaryLines ?? sessionSummaryLines(store.getState().domain, await history),
		ended: async (emit, store, wasCancelled, quit) => {
			// the build cache after the builds, for "before/after" in the summary and report (q does not wait for it)
			if (!wasCancelled) await withTimeout(monitor?.refreshCache(), 30_000, quit);
			await withTimeout(monitor?.stopSampling(), 10_000, quit);
			const builds = store.getState().domain.builds;
			const failed = builds.order.some(id => builds.byId[id]!.status === 'failed');
			emit({type: 'session/ended', at: clock.now(), reason: wasCancelled ? 'cancelled' : failed ? 'failed' : 'completed'});
			// the comparison with earlier runs, on the board while it stays open
			const summaryLines = sessionSummaryLines(store.getState().domain, await history);
			store.getState().setUi(() => ({summaryLines}));
		},
		finish: async () => {
			monitorStop.abort();
			await withTimeout(monitor?.done, 5_000);
			await closeRecorder(recorder);
			rmSync(metadataDir, {recursive: true, force: true});
		},
	});
	return exitCode;
}

function openRecorder(flags: SessionFlags, info: SessionInfo, targets: string[], clock: Clock, secretValues: string[]): SessionRecorder | undefined {
	if (!flags.isRecording) return undefined;
	const startedAt = clock.now();
	const file = flags.recordFile ?? defaultRecordingName(startedAt, targets);
	const header: RecordingHeader = {
		format: recordingFormat,
		version: recordingVersion,
		bxtopVersion,
		startedAt,
		startedAtIso: new Date(startedAt).toISOString(),
		host: {os: os.platform(), arch: os.arch()},
		versions: {
			...(info.dockerVersion ? {docker: info.dockerVersion} : {}),
			...(info.buildxVersion ? {buildx: info.buildxVersion} : {}),
			...(info.buildkitVersion ? {buildkit: info.buildkitVersion} : {}),
		},
		...(info.builder ? {builder: info.builder} : {}),
		...(info.driver ? {driver: info.driver} : {}),
		command: info.command,
		mode: info.mode,
		targets,
		...(process.stdout.columns ? {terminal: {columns: process.stdout.columns, rows: process.stdout.rows}} : {}),
	};
	// Until the session runs a recording problem can only go to stderr; then it becomes a visible board warning.
	let warn = (message: string) => {
		process.stderr.write(`bxtop: ${message}\n`);
	};
	const recorder = createRecorder({file, header, secretValues, onWarning: message => warn(message)});
	return {
		...recorder,
		setWarn: next => {
			warn = next;
		},
	};
}

type SessionRecorder = Recorder & {setWarn: (warn: (message: string) => void) => void};

async function closeRecorder(recorder: SessionRecorder | undefined): Promise<void> {
	if (recorder) await recorder.close();
}

/** Waits for `promise`, but never longer than `ms` nor past `stop`: quitting must not hang on a slow docker call. */
async function withTimeout(promise: Promise<unknown> | undefined, ms: number, stop?: AbortSignal): Promise<void> {
	if (!promise || stop?.aborted) return;
	let timer: NodeJS.Timeout | undefined;
	let onStop: (() => void) | undefined;
	await Promise.race([
		promise.catch(() => {}),
		new Promise<void>(resolve => {
			timer = setTimeout(resolve, ms);
			onStop = resolve;
			stop?.addEventListener('abort', onStop, {once: true});
		}),
	]);
	clearTimeout(timer);
	if (onStop) stop?.removeEventListener('abort', onStop);
}

/** While stdin carries the build's output, keys come from the terminal itself (when there is one). */
function openTty(): NodeJS.ReadStream | undefined {
	try {
		return new tty.ReadStream(openSync('/dev/tty', 'r')) as NodeJS.ReadStream;
	} catch {
		return undefined;
	}
}
