// bxtop's version, from package.json (source/lib/ and dist/lib/ are both two levels below the package root), read
// once. A module of its own: `bxtop --version` must not load the app.
import {readFileSync} from 'node:fs';

export const bxtopVersion = readVersion();

function readVersion(): string {
	try {
		const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {version?: string};
		return pkg.version ?? 'unknown';
	} catch {
		return 'unknown';
	}
}
