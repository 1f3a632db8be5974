// bxtop's version, from package.json (source/app/ and dist/app/ are both two levels below the package root).
// A module of its own: `bxtop --version` must not load the app.
import {readFileSync} from 'node:fs';

export const bxtopVersion = readVersion();

function readVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version?: string};
		return pkg.version ?? '0.0.0';
	} catch {
		return '0.0.0';
	}
}
