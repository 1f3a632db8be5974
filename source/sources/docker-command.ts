// A docker command bxtop waits on before any build starts (preflight's questions, `bake --print`): its exit
// code (or the signal that ended it) and output. Node's own spawn, not execa: preflight's processes are the first
// build's critical path and start as soon as this module has loaded instead of after execa's modules (35-70 ms
// later, measured on the 2-core development machine). Each runs in its own process group (the docker CLI and the
// buildx plugin it starts), which gets SIGKILL if bxtop exits or is signalled first (signal-exit, as execa uses: a
// group of its own does not get the terminal's Ctrl-C), so none outlives bxtop: a buildx plugin blocked in a read
// (a bake file that is a FIFO nobody writes) ignores SIGTERM, and a lone CLI killed without its plugin would leave
// the plugin behind.
import {spawn} from 'node:child_process';
import {onExit} from 'signal-exit';
import {signalGroup} from './process-groups.js';

export type DockerRun = {exitCode?: number; signal?: NodeJS.Signals; stdout: string; stderr: string; code?: string};

/** How long a process that ignored SIGTERM at its timeout gets before SIGKILL. */
const killGraceMs = 2_000;

/**
 * Runs `docker ...args`; resolves (never rejects) when it ends. With `timeoutMs` its group gets SIGTERM at the
 * timeout and SIGKILL `killGraceMs` later.
 */
export function runDocker(args: readonly string[], options: {env?: NodeJS.ProcessEnv; timeoutMs?: number} = {}): Promise<DockerRun> {
	return new Promise(resolve => {
		const child = spawn('docker', args, {env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true, windowsHide: true});
		const removeExitHandler = onExit(() => signalGroup(child.pid, 'SIGKILL'));
		const timers: NodeJS.Timeout[] = [];
		if (options.timeoutMs !== undefined) {
			timers.push(setTimeout(() => signalGroup(child.pid, 'SIGTERM'), options.timeoutMs));
			timers.push(
				setTimeout(() => {
					signalGroup(child.pid, 'SIGKILL');
					// let go of the pipes too, in case something outside the group still holds them
					child.stdout.destroy();
					child.stderr.destroy();
				}, options.timeoutMs + killGraceMs),
			);
			for (const timer of timers) timer.unref();
		}
		let stdout = '';
		let stderr = '';
		child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
		child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
		const settle = (run: Omit<DockerRun, 'stdout' | 'stderr'>) => {
			for (const timer of timers) clearTimeout(timer);
			removeExitHandler();
			resolve({...run, stdout: stdout.replace(/\r?\n$/, ''), stderr: stderr.replace(/\r?\n$/, '')});
		};
		// the first of the two settles it: a process that could not start ('error', e.g. ENOENT) also closes
		child.on('error', error => settle({code: (error as NodeJS.ErrnoException).code}));
		child.on('close', (exitCode, signal) => settle(exitCode === null ? (signal ? {signal} : {}) : {exitCode}));
	});
}
