// Gate for tests that need the real Docker daemon and buildx. Without them the tests skip with a visible
// reason so `npm test` passes on a fresh machine; under CI (CI=true) a missing daemon is a failure instead.
import {execFileSync} from 'node:child_process';
import {describe} from 'vitest';

let cached: {ok: boolean; reason: string} | undefined;

export function dockerStatus(): {ok: boolean; reason: string} {
	if (cached) return cached;
	try {
		execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {stdio: 'pipe', timeout: 15_000});
	} catch (error) {
		return (cached = {ok: false, reason: `no Docker daemon reachable (${firstLine(error)})`});
	}
	try {
		execFileSync('docker', ['buildx', 'version'], {stdio: 'pipe', timeout: 15_000});
	} catch (error) {
		return (cached = {ok: false, reason: `docker buildx plugin missing (${firstLine(error)})`});
	}
	return (cached = {ok: true, reason: ''});
}

export function dockerAvailable(): boolean {
	return dockerStatus().ok;
}

const isCi = process.env.CI === 'true' || process.env.CI === '1';

/** describe() for suites that need Docker: skipped with the reason printed, except under CI where it must run. */
export function describeDocker(name: string, body: () => void): void {
	const status = dockerStatus();
	if (!status.ok && !isCi) {
		console.warn(`[skip] ${name}: ${status.reason}`);
		describe.skip(`${name} (skipped: ${status.reason})`, body);
		return;
	}
	describe(name, body);
}

function firstLine(error: unknown): string {
	const text = String((error as {stderr?: Buffer}).stderr ?? (error as Error).message ?? error);
	return text.split('\n').find(l => l.trim() !== '')?.trim().slice(0, 160) ?? 'unknown error';
}

// The modern stack: a second dockerd (Debian unstable's 28.x, containerd image store) on its own socket, with
// buildx 0.29 in its own DOCKER_CONFIG, started by .ci/setup-docker-modern.sh beside the 20.10 daemon. Tests
// select it by passing modernDockerEnv() to the processes they start.
const modernHost = process.env.BXTOP_TEST_MODERN_DOCKER_HOST ?? 'unix:///run/docker28.sock';
const modernConfig = process.env.BXTOP_TEST_MODERN_DOCKER_CONFIG ?? '/opt/bxtop-docker28/config';

/** DOCKER_HOST + DOCKER_CONFIG of the modern stack, to spread into a child's environment. */
export function modernDockerEnv(): {DOCKER_HOST: string; DOCKER_CONFIG: string} {
	return {DOCKER_HOST: modernHost, DOCKER_CONFIG: modernConfig};
}

/**
 * Waits (up to `timeoutMs`) until the modern daemon answers. dockerd 28.5.2's BuildKit can panic in `history ls`
 * (moby/buildkit#6598, fixed upstream by #6614) and .ci's loop restarts the daemon: a suite that starts, or asks
 * again, right after must wait for it. Returns whether it answered.
 */
export function waitForModernDaemon(timeoutMs = 60_000): boolean {
	const env = {...process.env, ...modernDockerEnv()};
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		try {
			execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {stdio: 'ignore', timeout: 10_000, env});
			return true;
		} catch {
			if (Date.now() > deadline) return false;
			execFileSync('sleep', ['1']);
		}
	}
}

/** Whether a docker command failed because the daemon went away under it (BuildKit's history panic, above). */
export function lostTheDaemon(error: unknown): boolean {
	return /code = Unavailable desc = error reading from server: EOF/.test(String((error as {stderr?: unknown}).stderr ?? ''));
}

let modernCached: {ok: boolean; reason: string} | undefined;

export function modernDockerStatus(): {ok: boolean; reason: string} {
	if (modernCached) return modernCached;
	const env = {...process.env, ...modernDockerEnv()};
	try {
		execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {stdio: 'pipe', timeout: 15_000, env});
	} catch (error) {
		return (modernCached = {ok: false, reason: `no modern Docker daemon at ${modernHost} (${firstLine(error)})`});
	}
	try {
		const help = execFileSync('docker', ['buildx', 'history', '--help'], {stdio: 'pipe', timeout: 15_000, env, encoding: 'utf8'});
		// buildx older than 0.20 prints its own help (exit 0) for an unknown subcommand: look for history's usage line
		if (!/Usage:\s+docker buildx history/.test(help)) throw new Error('buildx has no history command');
	} catch (error) {
		return (modernCached = {ok: false, reason: `no buildx with history in ${modernConfig} (${firstLine(error)})`});
	}
	return (modernCached = {ok: true, reason: ''});
}

/** describe() for suites that need the modern stack: skipped with the reason locally, required under CI. */
export function describeModernDocker(name: string, body: () => void): void {
	const status = modernDockerStatus();
	if (!status.ok && !isCi) {
		console.warn(`[skip] ${name}: ${status.reason}`);
		describe.skip(`${name} (skipped: ${status.reason})`, body);
		return;
	}
	describe(name, body);
}
