// `bxtop demo` (what `npm start` runs): the built-in default. It replays the bundled recording of a real
// multi-platform build, so a fresh machine without Docker still shows the product.
import {existsSync, readdirSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import {runReplayCommand} from './replay-mode.js';
import type {SessionFlags} from './cli-options.js';
import type {SessionIo} from './run-session.js';
import {UserFacingError} from '../sources/preflight.js';

export const bundledRecordingsDir = fileURLToPath(new URL('../../recordings/', import.meta.url));

export function bundledRecording(): string {
	const names = existsSync(bundledRecordingsDir) ? readdirSync(bundledRecordingsDir).filter(n => /\.bxrec(\.gz)?$/.test(n)).sort() : [];
	const preferred = names.find(n => n.includes('demo')) ?? names[names.length - 1];
	if (!preferred) throw new UserFacingError(`no bundled recording in ${bundledRecordingsDir}`);
	return path.join(bundledRecordingsDir, preferred);
}

export async function runDemo(flags: SessionFlags, io: SessionIo): Promise<number> {
	const file = bundledRecording();
	io.stderr.write(`bxtop demo: replaying ${path.relative(process.cwd(), file)} (a real recorded build); q quits\n`);
	return runReplayCommand(file, flags, io);
}
