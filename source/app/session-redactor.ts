// One redactor per session: its secret values, and local paths made shareable (relative to the working directory,
// home as ~, the system temp directory as <tmp>). Live, watch and replay sessions write through it.
import os from 'node:os';
import {createRedactor, type Redactor} from '../lib/redact.js';
import {createPathSharer} from '../lib/share-paths.js';

export function sessionRedactor(secretValues: readonly string[] = []): Redactor {
	return createRedactor(secretValues, createPathSharer({cwd: process.cwd(), home: os.homedir(), tmp: os.tmpdir()}));
}
