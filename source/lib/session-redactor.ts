// One redactor per session: its secret values, and local paths made shareable (relative to the working directory,
// home as ~, the system temp directory as <tmp>). Live, watch and replay sessions write through it, and the shared
// report (`bxtop report --share`) with the report's working directory.
import os from 'node:os';
import {createRedactor, type Redactor} from './redact.js';
import {createPathSharer} from './share-paths.js';

export function sessionRedactor(secretValues: readonly string[] = [], cwd: string = process.cwd()): Redactor {
	return createRedactor(secretValues, createPathSharer({cwd, home: os.homedir(), tmp: os.tmpdir()}));
}
