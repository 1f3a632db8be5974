// The layers of source/ (README, design): each folder imports only from its own layer and the ones below it. Imports
// are read by TypeScript's own pre-processor (static, type-only, re-exports and dynamic `import()` alike).
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import {describe, expect, test} from 'vitest';

/** Bottom first. `domain/` is the wire and event types; the entry files (cli.ts, main.tsx) sit on top. */
const layers = ['domain', 'lib', 'state', 'sources', 'record', 'plain', 'report', 'components', 'app', '.'] as const;

const sourceRoot = path.join(import.meta.dirname, '..', 'source');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(full);
		return /\.tsx?$/.test(entry.name) ? [full] : [];
	});
}

function layerOf(file: string): string {
	const relative = path.relative(sourceRoot, file);
	return relative.includes(path.sep) ? relative.split(path.sep)[0]! : '.';
}

/** Every project import of every source file, as [importer, imported] paths relative to source/. */
function projectImports(): {from: string; to: string}[] {
	return sourceFiles(sourceRoot).flatMap(file => {
		const {importedFiles} = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
		return importedFiles
			.map(i => i.fileName)
			.filter(name => name.startsWith('.'))
			.map(name => ({from: path.relative(sourceRoot, file), to: path.relative(sourceRoot, path.resolve(path.dirname(file), name))}));
	});
}

describe('layers', () => {
	const imports = projectImports();

	test('the graph was read (a parser that finds nothing would pass every rule)', () => {
		expect(imports.length).toBeGreaterThan(300);
		expect(imports).toContainEqual({from: path.join('state', 'reducer.ts'), to: path.join('domain', 'events.js')});
		expect(imports.some(i => i.from === 'main.tsx' && i.to.startsWith('app'))).toBe(true); // dynamic import()s too
	});

	test('every folder of source/ is a known layer', () => {
		const folders = new Set(sourceFiles(sourceRoot).map(layerOf));
		expect([...folders].filter(f => !(layers as readonly string[]).includes(f))).toEqual([]);
	});

	test('source/ imports nothing outside itself (tests, bench and scripts are not part of the package)', () => {
		expect(imports.filter(i => i.to.startsWith('..')).map(i => `${i.from} -> ${i.to}`)).toEqual([]);
	});

	test('no import runs from a lower layer to a higher one', () => {
		const rank = (file: string) => (layers as readonly string[]).indexOf(layerOf(path.join(sourceRoot, file)));
		const upward = imports.filter(i => rank(i.to) > rank(i.from)).map(i => `${i.from} -> ${i.to}`);
		expect(upward).toEqual([]);
	});

	test('domain/ imports nothing of the project but itself', () => {
		const out = imports.filter(i => layerOf(path.join(sourceRoot, i.from)) === 'domain' && layerOf(path.join(sourceRoot, i.to)) !== 'domain');
		expect(out).toEqual([]);
	});
});
