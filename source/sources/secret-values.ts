// What a session must scrub: the secret values of its command line (lib/secret-args.ts) and the content of each
// `--secret` file it names, read from disk.
import {readFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {secretSourcesOf} from '../lib/secret-args.js';

/**
 * The session's secret values: those of its command line and the content of every `--secret` file it names (read
 * here, relative to the working directory; one that cannot be read is buildx's to report).
 */
export function secretValuesOf(args: readonly string[], env: NodeJS.ProcessEnv): string[] {
	const {values, files} = secretSourcesOf(args, env);
	for (const file of files) {
		try {
			values.push(readFileSync(path.resolve(file.replace(/^~(?=\/)/, os.homedir())), 'utf8'));
		} catch {
			// unreadable: the build fails on it, and there is no value to scrub
		}
	}
	return values;
}
