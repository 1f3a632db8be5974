// dist/ is the bundle `npm run build` makes (scripts/bundle.mjs), which `npm test` builds first: the commands run
// from it (the e2e tests spawn dist/cli.js), so what is checked here is what the bundle itself must hold.
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {execFileSync} from 'node:child_process';
import {expect, test} from 'vitest';

const dist = path.join(import.meta.dirname, '..', 'dist');
const chunks = () => readdirSync(path.join(dist, 'chunks')).filter(name => name.endsWith('.js'));

/** The code of these chunks and of every chunk they load at once, statically (`import ... from`, `export ... from`, bare `import "./x"`). */
function codeLoadedWith(names: string[]): string[] {
	const reached = new Set<string>();
	const walk = (name: string) => {
		if (reached.has(name)) return;
		reached.add(name);
		for (const m of readFileSync(path.join(dist, 'chunks', name), 'utf8').matchAll(/^(?:import|export) (?:.* from )?"\.\/([^"]+)";$/gm)) walk(m[1]!);
	};
	names.forEach(walk);
	return [...reached].map(name => readFileSync(path.join(dist, 'chunks', name), 'utf8'));
}

test('Ink\'s output.js in the bundle patches its own Output class with the row cache, for the Ink version installed', () => {
	const {version} = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'node_modules', 'ink', 'package.json'), 'utf8')) as {version: string};
	const calls = chunks().flatMap(name => readFileSync(path.join(dist, 'chunks', name), 'utf8').match(/^\w*patchInkOutput\w*\(Output\w*, sliceAnsi\w*, "[^"]+", \{\n\tdiffAnsiCodes\w*(?:: \w+)?,\n\tansiCodesToString\w*(?:: \w+)?,\n\ttokenize\w*(?:: \w+)?,\n\treduceAnsiCodesIncremental\w*(?:: \w+)?,\n\tversion: "[^"]+"\n\}\);$/gm) ?? []);
	expect(calls).toHaveLength(1);
	expect(calls[0]).toContain(`"${version}"`);
});

test('the bundle\'s other patches are in: widest-line keeps its answers, yoga\'s loader does not see fetch, measure-text is bounded', () => {
	const ui = chunks().map(name => readFileSync(path.join(dist, 'chunks', name), 'utf8')).filter(code => /patchInkOutput\w*\(Output/.test(code));
	expect(ui).toHaveLength(1);
	expect(ui[0]!.match(/^function widestLineUncached\(string\) \{$/gm)).toHaveLength(1);
	expect(ui[0]).toContain('yoga-wasm-base64-esm.js');
	expect(ui[0]).not.toContain('typeof fetch');
	// and Ink's measure-text cache is emptied when full
	expect(ui[0]).toMatch(/if \((cache[$\w]*)\.size >= 4096\) \1\.clear\(\);\n\s*\1\.set\(text, dimensions\);/);
});

test('one chunk per lazily loaded command: --version loads no UI chunk, and a command\'s chunks are found from dist/', () => {
	expect(chunks().some(name => name.startsWith('replay-mode-'))).toBe(true);
	expect(chunks().some(name => name.startsWith('attach-mode-'))).toBe(true);
	const cli = readFileSync(path.join(dist, 'cli.js'), 'utf8');
	expect(cli.startsWith('#!/usr/bin/env node\n')).toBe(true);
	// the entry and main's chunk import the board's chunk (the one holding Ink's output.js) only dynamically
	const ui = chunks().find(name => /patchInkOutput\w*\(Output/.test(readFileSync(path.join(dist, 'chunks', name), 'utf8')))!;
	const main = chunks().find(name => name.startsWith('main-'))!;
	const staticImports = (file: string) => [...readFileSync(file, 'utf8').matchAll(/^import .* from "\.\/(?:chunks\/)?([^"]+)";$/gm)].map(m => m[1]);
	expect(ui).toBeDefined();
	expect(staticImports(path.join(dist, 'cli.js'))).not.toContain(ui);
	expect(staticImports(path.join(dist, 'chunks', main))).not.toContain(ui);
	expect(staticImports(path.join(dist, 'chunks', main)).length).toBeGreaterThan(0);
	// the files read at run time are found from the package root, wherever the chunk sits
	const version = execFileSync(process.execPath, [path.join(dist, 'cli.js'), '--version'], {encoding: 'utf8'}).trim();
	expect(version).toBe(`${(JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')) as {version: string}).version}`);
});

test('replaying a file loads neither execa nor secretlint\'s rules: what the board\'s and replay\'s chunks import statically', () => {
	// from main's chunk and every replay-mode chunk (rolldown splits the command's facade from its code)
	const code = codeLoadedWith(chunks().filter(n => n.startsWith('main-') || n.startsWith('replay-mode-')));
	expect(code.length).toBeGreaterThan(5);
	expect(code.some(c => /patchInkOutput\w*\(Output/.test(c))).toBe(true); // the board is in
	expect(code.some(c => c.includes('node_modules/execa/'))).toBe(false);
	expect(code.some(c => c.includes('node_modules/@secretlint/secretlint-rule-preset-recommend/'))).toBe(false);
	// and the chunk that holds execa exists (the live sessions' chunks load it)
	expect(chunks().some(name => readFileSync(path.join(dist, 'chunks', name), 'utf8').includes('node_modules/execa/'))).toBe(true);
});

test('preflight loads no execa: its docker processes start before execa\'s modules are read', () => {
	const preflight = chunks().filter(name => readFileSync(path.join(dist, 'chunks', name), 'utf8').includes('async function askDocker('));
	expect(preflight).toHaveLength(1);
	const code = codeLoadedWith(preflight);
	expect(code.some(c => c.includes('node_modules/execa/'))).toBe(false);
});

test('DEV=true (a common variable) does not stop the bundle: Ink would load React devtools, which bxtop does not ship', () => {
	const recording = path.join(import.meta.dirname, '..', 'recordings', 'demo-backend-cpu-2-warm.bxrec');
	const out = execFileSync(process.execPath, [path.join(dist, 'cli.js'), 'replay', recording, '--plain', '--speed', '64'], {encoding: 'utf8', env: {...process.env, DEV: 'true'}});
	expect(out).toMatch(/2 builds: 2 done, 0 failed/);
});

test('every file of the bundle is Latin-1 text: one character above U+00FF and V8 keeps that whole chunk\'s source as two-byte text', () => {
	for (const name of ['cli.js', ...chunks().map(chunk => path.join('chunks', chunk))]) {
		const wide = [...readFileSync(path.join(dist, name), 'utf8')].filter(character => character.codePointAt(0)! > 0xff);
		expect({name, wide: wide.slice(0, 5)}).toEqual({name, wide: []});
	}
	// the escapes still mean the characters: pip's bar, drawn with them, is read
	expect(chunks().some(name => readFileSync(path.join(dist, 'chunks', name), 'utf8').includes(String.raw`\u2501\u2578`))).toBe(true);
});

test('dist/THIRD-PARTY-NOTICES.txt names every package whose code the chunks hold (after their source maps), with its licence', () => {
	const notices = readFileSync(path.join(dist, 'THIRD-PARTY-NOTICES.txt'), 'utf8');
	// one section per package and version: its header line, a rule, then its licence texts up to the next header
	const sections = notices.split(/\n(?=\S+ \d\S* \(.+\)\n-{72}\n)/).slice(1);
	const withoutText = sections.filter(section => !/copyright|licen[cs]e/i.test(section.split('\n').slice(2).join('\n')));
	expect(withoutText.map(section => section.split('\n')[0])).toEqual([]);
	const named = new Set(sections.map(section => section.split(' ')[0]!));
	const bundled = new Set<string>();
	for (const name of readdirSync(path.join(dist, 'chunks')).filter(n => n.endsWith('.js.map'))) {
		const {sources} = JSON.parse(readFileSync(path.join(dist, 'chunks', name), 'utf8')) as {sources: string[]};
		for (const source of sources) {
			const match = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(source);
			if (match) bundled.add(match[1]!);
		}
	}
	expect(bundled.size).toBeGreaterThan(20);
	expect(bundled).toContain('react');
	expect(bundled).toContain('ink');
	expect([...bundled].filter(name => !named.has(name))).toEqual([]);
	// MIT's and Apache's texts are there, not only their names
	expect(notices).toContain('Permission is hereby granted, free of charge');
	expect(notices).toContain('Apache License');
});
