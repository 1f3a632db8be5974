// `bxtop demo` (what `npm start` runs): the main job on a built-in default. With Docker and buildx reachable it
// builds the bundled example (examples/demo: two platforms, no base image, no network) on the live board; without
// them, or with --replay, it replays the bundled recording of a real multi-platform build, so a fresh machine
// without Docker still shows the product.
import {existsSync, mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {execa} from 'execa';
import {runReplayCommand} from './replay-mode.js';
import {runBuildCommand} from './live-mode.js';
import type {SessionFlags} from './cli-options.js';
import type {SessionIo} from './run-session.js';
import {UserFacingError} from '../sources/preflight.js';

const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
export const bundledRecordingsDir = path.join(packageRoot, 'recordings');
const exampleDir = path.join(packageRoot, 'examples', 'demo');

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

export async function runDemo(flags: SessionFlags, io: SessionIo, options: {forceReplay?: boolean; argv?: string[]} = {}): Promise<number> {
	if (!options.forceReplay && existsSync(exampleDir) && (await isDockerReachable())) {
		io.stderr.write(`bxtop demo: Docker is reachable: building ${path.relative(process.cwd(), exampleDir) || exampleDir} for linux/amd64 and linux/arm64 (bxtop demo --replay replays a recording instead)\n`);
		// The demo's own recordings go to a temporary directory, not into the project that runs it.
		const recordFile = flags.recordFile ?? path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-demo-')), 'demo.bxrec');
		return runBuildCommand(['--platform', 'linux/amd64,linux/arm64', '-t', 'bxtop-demo:latest', exampleDir], {
			flags: {...flags, recordFile},
			io,
			argv: options.argv ?? ['demo'],
		});
	}
	const file = bundledRecording();
	io.stderr.write(`bxtop demo: replaying ${path.relative(process.cwd(), file)} (a real recorded build); q quits\n`);
	return runReplayCommand(file, flags, io);
}
