// `bxtop build`, `bxtop bake` and `bxtop watch`: live sessions. Each is recorded (unless --no-record) by a tap
// on the same events the board reads.
import os from 'node:os';
import path from 'node:path';
import {loadHistory, sessionSummaryLines} from '../report/history.js';
import {createReadStream, mkdtempSync, rmSync, statSync} from 'node:fs';
import type {Emit, SessionInfo} from '../domain/events.js';
import {systemClock, type Clock} from '../domain/clock.js';
import {checkDocker, UserFacingError, type DockerFacts} from '../sources/preflight.js';
import {runLiveBuilds} from '../sources/live-builds.js';
import type {ChildBuild} from '../domain/child-build.js';
import {watchStream} from '../sources/watch-stream.js';
import {measureImage, withMetadataFile} from '../sources/image-measure.js';
import {engineImagesOfCli} from '../sources/engine-image.js';
import {startResourceMonitor, type ResourceMonitor} from '../sources/resource-monitor.js';
import {createPruneController, type PruneController} from './prune-controller.js';
import {planBuilds, parseBuildRequest} from '../lib/build-plan.js';
import {planBake} from '../lib/bake-plan.js';
import {readBakePrint} from '../sources/bake-print.js';
import type {Redactor} from '../lib/redact.js';
import {redactArgv} from '../lib/secret-args.js';
import {secretValuesOf} from '../sources/secret-values.js';
import {openTty} from '../sources/terminal-input.js';
import {sessionRedactor} from '../lib/session-redactor.js';
import {closeRecorder, openSessionRecorder, type SessionRecorder} from '../record/session-recorder.js';
import {runSession, type SessionIo} from './run-session.js';
import {takeBuilder, type SessionFlags} from './cli-options.js';
import {bxtopVersion} from '../lib/version.js';


type LiveContext = {
	flags: SessionFlags;
	io: SessionIo;
	argv: string[];
	clock?: Clock;
	/** The preflight's answer when the caller started it already (main.tsx: while the UI modules load). */
	facts?: Promise<DockerFacts>;
};

export async function runBuildCommand(args: string[], ctx: LiveContext): Promise<number> {
	const request = parseBuildRequest(args);
	const builder = request.builder;
	const planning = (ctx.facts ?? checkDocker(builder)).then((facts): PlannedSession => {
		const {children, note} = planBuilds(request, {split: ctx.flags.split, builderFacts: facts, ...(builder ? {builder} : {})});
		// The docker driver loads every child's image into the image store under the same tags: the last platform to
		// finish keeps them. Worth saying whenever bxtop splits such a build (by need or by --split).
		const loadsSameTag = children.length > 1 && request.tags.length > 0 && (facts.driver === 'docker' || args.includes('--load'));
		const tagNote = loadsSameTag ? `each platform's image is loaded as ${request.tags.join(', ')}: the last platform to finish keeps the tag` : undefined;
		const notes = [note, tagNote].filter((n): n is string => n !== undefined).join('; ');
		return {children, facts, secretArgs: args, ...(notes ? {note: notes} : {})};
	});
	return runLive(planning, {...ctx, mode: 'build'});
}

export async function runBakeCommand(args: string[], ctx: LiveContext): Promise<number> {
	const {builder, rest: printArgs} = takeBuilder(args);
	const starting = startingLine(askingDockerLine);
	const planning = checkDocker(builder).then(async (facts): Promise<PlannedSession> => {
		// bake --print can take long (a large definition) or hang (a bake file that is a FIFO): say it is the wait
		starting.set('reading the bake definition: docker buildx bake --print…');
		const print = await readBakePrint(builder, printArgs);
		let children: ChildBuild[];
		let notes: string[];
		try {
			({children, notes} = planBake(print, {split: ctx.flags.split, builderFacts: facts, cwd: process.cwd(), ...(builder ? {builder} : {})}));
		} catch (error) {
			throw new UserFacingError(`cannot read bake targets: ${(error as Error).message}`);
		}
		if (children.length === 0) throw new UserFacingError('bake resolved no targets');
		const note = notes.join('; ');
		return {children, facts, secretArgs: children.flatMap(c => c.dockerArgs), ...(note ? {note} : {})};
	});
	return runLive(planning, {...ctx, mode: 'bake', starting});
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
	const redactor = sessionRedactor([]);
	// a build started elsewhere: bxtop asked docker nothing, so the info has no builder facts
	const info = sessionInfoOf(undefined, 'watch', ctx.argv, redactor);
	const recorder = openRecorder(ctx.flags, info, [label], clock, redactor);
	if (recorder) info.recordingPath = redactor.local(recorder.path);
	const {exitCode} = await runSession({
		mode: 'live',
		isPlain: ctx.flags.isPlain,
		...(ctx.flags.jsonFile ? {jsonFile: ctx.flags.jsonFile} : {}),
		clock,
		io: source === '-' ? {...ctx.io, stdin: openTty() ?? ctx.io.stdin} : ctx.io,
		taps: recorder ? [recorder.tap] : [],
		redactor: () => redactor,
		run: async (emit, signal) => {
			recorder?.setWarn(message => emit({type: 'session/warned', at: clock.now(), message}));
			emit({type: 'session/started', at: clock.now(), info});
			await watchStream({input, inputName: source === '-' ? 'standard input' : source, spec, clock, redactor}, emit, signal);
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

/** What a build or bake knows once docker has answered: where it builds, and the child builds it runs. */
type PlannedSession = {children: ChildBuild[]; facts: DockerFacts; secretArgs: string[]; note?: string};

type RunLiveOptions = LiveContext & {mode: 'build' | 'bake'; starting?: StartingLine};

const askingDockerLine = 'asking docker for the builder, its driver and platforms…';

/** What the starting frame says while the plan is made: a step of the plan may change it before the board shows. */
type StartingLine = {text: string; set(text: string): void; onSet?: (text: string) => void};

function startingLine(text: string): StartingLine {
	const line: StartingLine = {
		text,
		set(next) {
			line.text = next;
			line.onSet?.(next);
		},
	};
	return line;
}

/**
 * The board opens before docker has answered the preflight (a frame that says so, drawn while `docker buildx
 * inspect` runs: 0.1-0.2 s on dockerd 28); the session itself (its recorder, its builds, its header) starts when
 * the plan is there. A preflight error clears that frame and is the message; q before then quits with 130.
 */
async function runLive(planning: Promise<PlannedSession>, options: RunLiveOptions): Promise<number> {
	// A refusal (no docker, no daemon) can come before runSession awaits the plan (it loads the board first); it is
	// handled there, so it must not count as unhandled meanwhile.
	planning.catch(() => {});
	const clock = options.clock ?? systemClock;
	// Resources (builder stats, host, build cache, prune) run beside the builds and until the board closes.
	const monitorStop = new AbortController();
	let live: LiveSession | undefined;
	let monitor: ResourceMonitor | undefined;
	let pruneController: PruneController | undefined;

	const {exitCode} = await runSession({
		mode: 'live',
		isPlain: options.flags.isPlain,
		...(options.flags.jsonFile ? {jsonFile: options.flags.jsonFile} : {}),
		clock,
		io: options.io,
		taps: [event => live?.recorder?.tap(event), event => monitor?.onEvent(event)],
		redactor: () => live?.redactor ?? sessionRedactor(),
		holdAtEnd: true,
		startingLine: options.starting?.text ?? askingDockerLine,
		controls: store => (pruneController = createPruneController(store)),
		run: async (emit, signal, store) => {
			const {starting} = options;
			if (starting) {
				// the plan may have moved on while the board loaded
				const show = (text: string) => store.getState().setUi(() => ({startingLine: text}));
				show(starting.text);
				starting.onSet = show;
			}
			let planned: PlannedSession | undefined;
			try {
				planned = await unlessAborted(planning, signal);
			} finally {
				if (starting) starting.onSet = undefined;
			}
			if (!planned) return; // quit before docker answered (runSession says so, and exits 130)
			live = openLiveSession(planned, options, clock);
			const {facts, recorder, redactor, info, measured, metadataOf, images} = live;
			recorder?.setWarn(message => emit({type: 'session/warned', at: clock.now(), message}));
			emit({type: 'session/started', at: clock.now(), info});
			if (planned.note) emit({type: 'session/warned', at: clock.now(), message: planned.note});
			monitor = startSessionMonitor(emit, clock, monitorStop.signal, facts, options.flags);
			pruneController?.attach(monitor);
			await runLiveBuilds(measured.map(m => m.child), {
				emit,
				clock,
				signal,
				onBuildEnd: async (child, code) => {
					if (code === 0 && !signal.aborted) await measureImage(child, metadataOf.get(child.spec.buildId)!, facts.driver, emit, clock, signal, images);
				},
				...(options.flags.concurrency ? {concurrency: options.flags.concurrency} : {}),
				redactor,
			});
		},
		closingLines: async store => store.getState().ui.summaryLines ?? sessionSummaryLines(store.getState().domain, (await live?.history) ?? []),
		ended: async (emit, store, wasCancelled, quit) => {
			if (!live) return; // quit before docker answered: no session to end
			// the build cache after the builds, for "before/after" in the summary and report (q does not wait for it)
			if (!wasCancelled) await withTimeout(monitor?.cacheAfterBuilds(), 30_000, quit);
			await withTimeout(monitor?.stopSampling(), 10_000, quit);
			const builds = store.getState().domain.builds;
			const failed = builds.order.some(id => builds.byId[id]!.status === 'failed');
			emit({type: 'session/ended', at: clock.now(), reason: wasCancelled ? 'cancelled' : failed ? 'failed' : 'completed'});
			// the comparison with earlier runs, on the board while it stays open
			const summaryLines = sessionSummaryLines(store.getState().domain, await live.history);
			store.getState().setUi(() => ({summaryLines}));
		},
		finish: async () => {
			monitorStop.abort();
			await withTimeout(monitor?.done, 5_000);
			await closeRecorder(live?.recorder);
			if (live) rmSync(live.metadataDir, {recursive: true, force: true});
		},
	});
	return exitCode;
}

type LiveSession = {
	facts: DockerFacts;
	redactor: Redactor;
	info: SessionInfo;
	recorder: SessionRecorder | undefined;
	/** Earlier runs of the same targets, for "7m12s (-4m03s vs 2025-11-02, warm cache 9/11)": read while the builds run. */
	history: Promise<Awaited<ReturnType<typeof loadHistory>>>;
	metadataDir: string;
	measured: ReturnType<typeof withMetadataFile>[];
	metadataOf: Map<string, string>;
	images: ReturnType<typeof engineImagesOfCli>;
};

/** The session of a plan: its redactor, header info, recorder, and each child with the metadata file bxtop reads. */
function openLiveSession(planned: PlannedSession, options: RunLiveOptions, clock: Clock): LiveSession {
	const {facts} = planned;
	const redactor = sessionRedactor(secretValuesOf(planned.secretArgs, process.env));
	// what the board shows of each child's argv is what a recording may keep
	const children = planned.children.map(child => ({...child, spec: {...child.spec, argv: child.spec.argv.map(redactor.local)}}));
	const info = sessionInfoOf(facts, options.mode, options.argv, redactor);
	const targets = [...new Set(children.map(c => c.spec.target))];
	const recorder = openRecorder(options.flags, info, targets, clock, redactor);
	if (recorder) info.recordingPath = redactor.local(recorder.path);
	const historyDir = recorder ? path.dirname(recorder.path) : 'recordings';
	const history = loadHistory(historyDir, {targets, ...(recorder ? {exclude: path.resolve(recorder.path)} : {})}).catch(() => []);
	// bxtop reads each child's --metadata-file to measure the image afterwards
	const metadataDir = mkdtempSync(path.join(os.tmpdir(), 'bxtop-meta-'));
	const measured = children.map((child, i) => withMetadataFile(child, path.join(metadataDir, `${i}.json`)));
	const metadataOf = new Map(measured.map(m => [m.child.spec.buildId, m.metadataFile]));
	// loaded images are inspected through the daemon docker talks to, without a docker process per platform
	const images = engineImagesOfCli();
	return {facts, redactor, info, recorder, history, metadataDir, measured, metadataOf, images};
}

/** `promise`'s value, or undefined as soon as `signal` aborts (a later rejection of `promise` is then ignored). */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | undefined> {
	if (signal.aborted) {
		promise.catch(() => {});
		return Promise.resolve(undefined);
	}
	return new Promise((resolve, reject) => {
		const onAbort = () => resolve(undefined);
		signal.addEventListener('abort', onAbort, {once: true});
		promise.then(
			value => {
				signal.removeEventListener('abort', onAbort);
				resolve(value);
			},
			(error: unknown) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

/** What a live session records about where it ran (the header line of the board and of the recording). */
export function sessionInfoOf(facts: DockerFacts | undefined, mode: SessionInfo['mode'], argv: string[], redactor: Redactor): SessionInfo {
	return {
		command: redactor.localValue(redactArgv(argv)),
		mode,
		...(facts ? {builder: facts.builder, driver: facts.driver} : {}),
		bxtopVersion,
		hostOs: os.platform(),
		hostArch: os.arch(),
		...(facts?.buildkitVersion ? {buildkitVersion: facts.buildkitVersion} : {}),
		...(facts?.dockerVersion ? {dockerVersion: facts.dockerVersion} : {}),
		...(facts?.buildxVersion ? {buildxVersion: facts.buildxVersion} : {}),
		...(facts?.nativePlatform ? {nativePlatform: facts.nativePlatform} : {}),
	};
}

/** Builder stats, host, build cache: beside the builds and until the board closes. */
export function startSessionMonitor(emit: Emit, clock: Clock, signal: AbortSignal, facts: DockerFacts, flags: SessionFlags): ResourceMonitor {
	return startResourceMonitor({
		emit,
		clock,
		signal,
		builderName: facts.builder,
		...(facts.inspected ? {known: facts.inspected} : {}),
		...(flags.minFreeGb ? {minFreeBytes: flags.minFreeGb * 1e9} : {}),
	});
}

/** The session's recorder, unless --no-record; the recording holds the terminal's size (where the board was drawn). */
export function openRecorder(flags: SessionFlags, info: SessionInfo, targets: string[], clock: Clock, redactor: Redactor): SessionRecorder | undefined {
	if (!flags.isRecording) return undefined;
	const terminal = process.stdout.columns ? {columns: process.stdout.columns, rows: process.stdout.rows} : undefined;
	return openSessionRecorder({info, targets, startedAt: clock.now(), redactor, ...(flags.recordFile ? {file: flags.recordFile} : {}), ...(terminal ? {terminal} : {})});
}

/** Waits for `promise`, but never longer than `ms` nor past `stop`: quitting must not hang on a slow docker call. */
export async function withTimeout(promise: Promise<unknown> | undefined, ms: number, stop?: AbortSignal): Promise<void> {
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
