// The directory of bxtop's package.json, found upward from this module: the same answer from source/lib/ (tests),
// from the bundle's chunks in dist/ and from a copy of the bundle anywhere inside the package.
import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

let found: string | undefined;

export function packageRoot(): string {
	if (found !== undefined) return found;
	let dir = path.dirname(fileURLToPath(import.meta.url));
	for (;;) {
		const file = path.join(dir, 'package.json');
		if (existsSync(file) && isBxtop(file)) return (found = dir);
		const parent = path.dirname(dir);
		if (parent === dir) throw new Error(`bxtop's package.json was not found above ${fileURLToPath(import.meta.url)}`);
		dir = parent;
	}
}

function isBxtop(file: string): boolean {
	try {
		return (JSON.parse(readFileSync(file, 'utf8')) as {name?: string}).name === 'bxtop';
	} catch {
		return false;
	}
}
