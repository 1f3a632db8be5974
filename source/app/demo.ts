// `bxtop demo` (what `npm start` runs): the main job on a built-in default. With Docker and buildx reachable it
// builds the bundled example (examples/demo: two platforms, no base image, no network) on the live board; without
// them, or with --replay, it replays the bundled recording of a real multi-platform build, so a fresh machine
// without Docker still shows the product.
import {cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {packageRoot} from '../lib/package-root.js';
import {execa} from 'execa';
import {runReplayCommand} from './replay-mode.js';
import {runBuildCommand} from './live-mode.js';
import type {SessionFlags} from './cli-options.js';
import type {SessionIo} from './run-session.js';
import {UserFacingError} from '../sources/preflight.js';

export const bundledRecordingsDir = path.join(packageRoot(), 'recordings');
const exampleDir = path.join(packageRoot(), 'examples', 'demo');

export function bundledRecording(): string {
	const names = existsSync(bundledRecordingsDir) ? readdirSync(bundledRecordingsDir).filter(n => /\.bxrec(\.gz)?$/.test(n)).sort() : [];
	const preferred = names.find(n => n.includes('demo')) ?? names[names.length - 1];
	if (!preferred) throw new UserFacingError(`no bundled recording in ${bundledRecordingsDir}`);
	return path.join(bundledRecordingsDir, preferred);
}

/** Docker with buildx answers (quickly): the condition for the live demo. */
async function isDockerReachable(): Promise<boolean> {
	const version = await execa('docker', ['version', '--format', '{{.Server.Version}}'], {reject: false, timeout: 5000, stdin: 'ignore'});
	if (version.exitCode !== 0) return false;
	const buildx = await execa('docker', ['buildx', 'version'], {reject: false, timeout: 5000, stdin: 'ignore'});
	return buildx.exitCode === 0;
}

/** Bytes of fresh random data in each of the example's payload directories (three per platform). */
const payloadBytes = 24_000_000;

/**
 * A temporary copy of examples/demo with fresh random payload files: with `--no-cache` the context transfer and
 * every COPY run again on every demo, so the board shows steps advancing and bytes moving, not a cached 0.7 s.
 */
function demoContext(): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-demo-ctx-'));
	cpSync(exampleDir, dir, {recursive: true});
	for (const arch of ['amd64', 'arm64']) for (const part of ['1', '2', '3']) writeFileSync(path.join(dir, 'payload', arch, part, 'data.bin'), randomBytes(payloadBytes));
	return dir;
}

export async function runDemo(flags: SessionFlags, io: SessionIo, options: {forceReplay?: boolean; argv?: string[]} = {}): Promise<number> {
	if (!options.forceReplay && existsSync(exampleDir) && (await isDockerReachable())) {
		io.stderr.write(`bxtop demo: Docker is reachable: building ${path.relative(process.cwd(), exampleDir) || exampleDir} for linux/amd64 and linux/arm64 with --no-cache and fresh payload data (bxtop demo --replay replays a recording instead)\n`);
		// The demo's own recordings go to a temporary directory, not into the project that runs it.
		const recordFile = flags.recordFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-demo-')), 'demo.bxrec');
		const context = demoContext();
		try {
			return await runBuildCommand(['--no-cache', '--platform', 'linux/amd64,linux/arm64', '-t', 'bxtop-demo:latest', context], {
				flags: {...flags, recordFile},
				io,
				argv: options.argv ?? ['demo'],
			});
		} finally {
			rmSync(context, {recursive: true, force: true});
		}
	}
	const file = bundledRecording();
	io.stderr.write(`bxtop demo: replaying ${path.relative(process.cwd(), file)} (a real recorded build); q quits\n`);
	return runReplayCommand(file, flags, io);
}
