// bxtop's version, from package.json, read once. A module of its own: `bxtop --version` must not load the app.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {packageRoot} from './package-root.js';

export const bxtopVersion = readVersion();

function readVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as {version?: string};
		return pkg.version ?? 'unknown';
	} catch {
		return 'unknown';
	}
}
