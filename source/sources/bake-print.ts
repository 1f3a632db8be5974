// `docker buildx bake --print`: the resolved bake definition bxtop plans its builds from (lib/bake-plan.ts), with
// every inline Dockerfile written to a file a child build can read (its stdin is not a Dockerfile). It runs in a
// process group of its own that bxtop's exit kills (runDocker): q while it hangs (a bake file that is a FIFO, a
// slow remote definition) leaves no docker process behind. No timeout: the starting frame shows, and q quits.
import {mkdtempSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {UserFacingError} from '../domain/errors.js';
import {runDocker, type DockerRun} from './docker-command.js';
import {parseBakePrint, type BakePrint} from '../lib/bake-plan.js';

export async function readBakePrint(builder: string | undefined, printArgs: readonly string[]): Promise<BakePrint> {
	const printed = await runDocker(['buildx', 'bake', ...(builder ? ['--builder', builder] : []), '--print', ...printArgs]);
	if (printed.exitCode !== 0) throw new UserFacingError(`docker buildx bake --print failed: ${failureReason(printed)}`);
	let print: BakePrint;
	try {
		print = parseBakePrint(printed.stdout);
		inlineDockerfilesToFiles(print);
	} catch (error) {
		throw new UserFacingError(`cannot read bake targets: ${(error as Error).message}`);
	}
	return print;
}

/** Why bake --print failed: its last error line, else how it ended. */
function failureReason(printed: DockerRun): string {
	if (printed.code) return `docker could not be started (${printed.code})`;
	const said = printed.stderr.split('\n').filter(l => /ERROR|error/.test(l)).pop() ?? printed.stderr.trim();
	if (said) return said;
	return printed.signal ? `killed by ${printed.signal}` : `exit code ${printed.exitCode}`;
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
