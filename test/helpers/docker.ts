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
