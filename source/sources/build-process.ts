// Runs one child `docker buildx build --progress=rawjson ...` and turns its stderr into build events; a build whose
// image name BuildKit refused because another build created it at the same moment runs again (export-retry.ts).
//
// The child runs in its own process group (detached) so that bxtop alone decides when it stops: on abort we send
// SIGINT to the whole group (docker and its buildx plugin), wait, then SIGKILL the group. A terminal Ctrl-C
// therefore reaches bxtop only, and no docker or buildx process outlives it. Should bxtop be killed outright
// (kill -9), the kernel tells docker instead (parent-death.ts).
import {execa} from 'execa';
import type {Emit} from '../domain/events.js';
import type {ChildBuild} from '../domain/child-build.js';
import type {Clock} from '../domain/clock.js';
import {createBuildStream, type StatusListener} from './buildx-stream.js';
import {signalGroup, trackChild, untrackChild} from './process-groups.js';
import {stoppedWithParent, wrappedNotFoundExit} from './parent-death.js';
import type {Redactor} from '../lib/redact.js';
import {createExportRetry} from './export-retry.js';

export type RunBuildOptions = {
	emit: Emit;
	clock: Clock;
	signal: AbortSignal;
	listeners?: StatusListener[];
	/** How long children get to stop after SIGINT before SIGKILL. */
	graceMs?: number;
	dockerBinary?: string;
	/** The session's redactor (its known secret values). */
	redactor?: Redactor;
};

export type BuildOutcome = {exitCode: number | null; isCancelled: boolean};

/** A build BuildKit refuses to name runs again at most this often (three platforms can race twice). */
const exportRetries = 2;
const exportRetryPauseMs = 300;

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		const done = () => {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		};
		const timer = setTimeout(done, ms);
		signal.addEventListener('abort', done, {once: true});
	});
}

export async function runBuild(child: ChildBuild, options: RunBuildOptions): Promise<BuildOutcome> {
	const {emit, clock, signal} = options;
	const buildId = child.spec.buildId;
	if (signal.aborted) {
		emit({type: 'build/exited', at: clock.now(), buildId, exitCode: null, isCancelled: true});
		return {exitCode: null, isCancelled: true};
	}
	emit({type: 'build/started', at: clock.now(), buildId});
	const retry = createExportRetry(emit);
	for (let attempt = 0; ; attempt++) {
		const gate = retry.attempt();
		const run = await runAttempt(child, {...options, emit: gate.emit});
		const refused = gate.refusedName();
		if (run.exitCode !== 0 && !run.isCancelled && !signal.aborted && refused && attempt < exportRetries) {
			const label = [child.spec.target, ...child.spec.platforms].join(' ');
			emit({type: 'session/warned', at: clock.now(), message: `${label}: another build created ${refused} at the same moment and BuildKit refused the name; every step is done, exporting again`});
			// a moment apart, so the build it raced is done naming the image
			await pause(exportRetryPauseMs, signal);
			if (!signal.aborted) continue;
		}
		// no retry follows: the refusal, if any, is what happened
		gate.release();
		const isCancelled = run.isCancelled || (refused !== undefined && signal.aborted);
		emit({type: 'build/exited', at: clock.now(), buildId, ...run, isCancelled});
		return {exitCode: run.exitCode, isCancelled};
	}
}

type AttemptResult = {exitCode: number | null; signal: string | null; isCancelled: boolean; failure?: string};

/** One run of the child process, its stderr turned into events. */
async function runAttempt(child: ChildBuild, options: RunBuildOptions): Promise<AttemptResult> {
	const {emit, clock, signal, listeners, graceMs = 3000, dockerBinary = 'docker'} = options;
	const stream = createBuildStream({buildId: child.spec.buildId, emit, clock, listeners, ...(options.redactor ? {redactor: options.redactor} : {})});
	const command = stoppedWithParent(dockerBinary, child.dockerArgs);
	const subprocess = execa(command.file, command.args, {
		cwd: child.cwd,
		env: child.env,
		stdin: 'ignore',
		stdout: 'ignore',
		stderr: 'pipe',
		detached: true,
		reject: false,
		buffer: false,
		cleanup: false, // we stop the whole group ourselves (process-groups.ts), execa would only kill the leader
		encoding: 'utf8',
	});
	const pid = subprocess.pid;
	if (pid !== undefined) trackChild(pid);

	let isCancelled = false;
	let killTimer: NodeJS.Timeout | undefined;
	const stop = () => {
		isCancelled = true;
		if (pid === undefined) return;
		signalGroup(pid, 'SIGINT');
		killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), graceMs);
	};
	signal.addEventListener('abort', stop, {once: true});

	subprocess.stderr?.setEncoding('utf8');
	subprocess.stderr?.on('data', (chunk: string) => stream.push(chunk));

	const result = await subprocess;
	signal.removeEventListener('abort', stop);
	if (killTimer) clearTimeout(killTimer);
	if (pid !== undefined) {
		// The plugin may still be alive if only the CLI leader exited: make sure the group is gone.
		signalGroup(pid, 'SIGKILL');
		untrackChild(pid);
	}
	stream.end();

	const exitCode = typeof result.exitCode === 'number' ? result.exitCode : null;
	const failure = spawnFailure(result, dockerBinary) ?? (command.isWrapped && exitCode === wrappedNotFoundExit && !isCancelled ? `${dockerBinary} not found on PATH: install the Docker CLI` : undefined);
	return {exitCode: failure ? 127 : exitCode, signal: result.signal ?? null, isCancelled, ...(failure ? {failure} : {})};
}

function spawnFailure(result: {failed?: boolean; code?: string; exitCode?: number; message?: string}, binary: string): string | undefined {
	if (result.code === 'ENOENT') return `${binary} not found on PATH: install the Docker CLI`;
	if (result.failed && result.exitCode === undefined && result.code) return `${binary} could not start: ${result.code}`;
	return undefined;
}
