// `npm run build`: bundles source/cli.ts and everything it loads (bxtop's modules and its dependencies) into dist/,
// one chunk per lazily loaded command, so that start-up reads a few files instead of hundreds and no command pays
// for a module it does not use (Ink alone loads es-toolkit's whole compat barrel for one `throttle`). TypeScript is
// checked by tsc before this runs; rolldown (vite's bundler, already installed for vitest) only strips the types.
// Ink's output.js gets one call appended: bxtop's row cache (source/components/ink-row-cache.ts) patches the class
// there, as it loads, with the tokeniser's functions as output.js resolves them.
import {readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const inkDir = path.dirname(require.resolve('ink'));
const inkVersion = JSON.parse(readFileSync(path.join(inkDir, '..', 'package.json'), 'utf8')).version;
const inkOutput = path.join(inkDir, 'output.js');
const rowCache = path.join(root, 'source', 'components', 'ink-row-cache.ts');
// the tokeniser as Ink's output.js resolves it: the row cache is applied only to the version it follows
const tokeniserVersion = JSON.parse(readFileSync(createRequire(inkOutput).resolve('@alcalzone/ansi-tokenize/package.json'), 'utf8')).version;

let applied = 0;

/** Appends the row cache's patch to Ink's output.js (its `Output` class and its `sliceAnsi` import are in scope there; the tokeniser is Ink's dependency). */
const inkRowCachePlugin = {
	name: 'bxtop-ink-row-cache',
	transform(code, id) {
		if (path.resolve(id) !== inkOutput) return null;
		if (!/^export default class Output\b/m.test(code) || !/^import sliceAnsi from 'slice-ansi';/m.test(code)) {
			throw new Error(`Ink ${inkVersion}'s output.js is not the shape the row cache patches: check source/components/ink-row-cache.ts`);
		}
		applied++;
		const imports = `import {patchInkOutput as bxtopPatchInkOutput} from ${JSON.stringify(rowCache)};\nimport {diffAnsiCodes as bxtopDiffAnsiCodes, ansiCodesToString as bxtopAnsiCodesToString, tokenize as bxtopTokenize, reduceAnsiCodesIncremental as bxtopReduceAnsiCodesIncremental} from '@alcalzone/ansi-tokenize';`;
		return `${code}\n${imports}\nbxtopPatchInkOutput(Output, sliceAnsi, ${JSON.stringify(inkVersion)}, {diffAnsiCodes: bxtopDiffAnsiCodes, ansiCodesToString: bxtopAnsiCodesToString, tokenize: bxtopTokenize, reduceAnsiCodesIncremental: bxtopReduceAnsiCodesIncremental, version: ${JSON.stringify(tokeniserVersion)}});\n`;
	},
};

// yoga-layout's emscripten loader fetch()es its own embedded wasm (a data: URL) whenever fetch exists; on Node that
// first touch of fetch loads undici, Node's HTTP client, and web streams: 30-40 ms of every board's first frame.
// Hidden from that one file, the loader decodes the embedded base64 itself, as it does where fetch is absent.
// yoga-layout as Ink resolves it (Ink's dependency, not bxtop's)
const yogaLoader = path.join(path.dirname(createRequire(path.join(inkDir, 'index.js')).resolve('yoga-layout')), '..', 'binaries', 'yoga-wasm-base64-esm.js');
const yogaWithoutFetchPlugin = {
	name: 'bxtop-yoga-without-fetch',
	transform(code, id) {
		if (path.resolve(id) !== yogaLoader) return null;
		const uses = code.match(/typeof fetch\b/g)?.length ?? 0;
		if (uses !== 2) throw new Error(`yoga-layout's loader tests fetch ${uses} times (expected 2): check scripts/bundle.mjs`);
		yogaPatched++;
		return code.replace(/typeof fetch\b/g, '"undefined"');
	},
};
let yogaPatched = 0;

// Ink measures every text node on every frame with widest-line (string-width over each line: a grapheme segmenter
// and its objects for any line that is not plain ASCII), whether the text changed or not: in a replay of a real
// session that was a fifth of all the memory bxtop allocated. widest-line is a pure function of its one string, so
// the bundle keeps its answers (a bounded map, emptied when full).
const widestLineFile = path.join(path.dirname(createRequire(path.join(inkDir, 'index.js')).resolve('widest-line')), 'index.js');
const widestLinePlugin = {
	name: 'bxtop-widest-line-memo',
	transform(code, id) {
		if (path.resolve(id) !== widestLineFile) return null;
		if (!/^export default function widestLine\(string\) \{$/m.test(code)) throw new Error(`widest-line changed: check scripts/bundle.mjs`);
		widestLinePatched++;
		return `${code.replace('export default function widestLine(string) {', 'function widestLineUncached(string) {')}
const widths = new Map();
export default function widestLine(string) {
	let width = widths.get(string);
	if (width === undefined) {
		if (widths.size >= 4096) widths.clear();
		width = widestLineUncached(string);
		widths.set(string, width);
	}
	return width;
}
`;
	},
};
let widestLinePatched = 0;

// Ink's measure-text keeps the size of every distinct text it ever measured in a module-level Map that is never
// emptied: elapsed times, byte counts and log lines are new strings every frame, so over an hour-long session it only
// grows. The bundle empties it when it holds 4,096 texts.
const measureTextFile = path.join(inkDir, 'measure-text.js');
const measureTextPlugin = {
	name: 'bxtop-measure-text-bound',
	transform(code, id) {
		if (path.resolve(id) !== measureTextFile) return null;
		const set = '    cache.set(text, dimensions);';
		if (!code.includes('const cache = new Map();') || !code.includes(set)) throw new Error(`Ink's measure-text.js changed: check scripts/bundle.mjs`);
		measureTextPatched++;
		return code.replace(set, `    if (cache.size >= 4096) cache.clear();\n${set}`);
	},
};
let measureTextPatched = 0;

rmSync(path.join(root, 'dist'), {recursive: true, force: true});
const {output} = await build({
	cwd: root,
	input: {cli: path.join(root, 'source', 'cli.ts')},
	platform: 'node',
	resolve: {extensionAlias: {'.js': ['.ts', '.tsx', '.js']}},
	transform: {jsx: 'react-jsx', define: {'process.env.NODE_ENV': '"production"'}},
	// Ink imports react-devtools-core only when DEV=true; bxtop does not ship it
	external: ['react-devtools-core'],
	plugins: [inkRowCachePlugin, yogaWithoutFetchPlugin, widestLinePlugin, measureTextPlugin],
	logLevel: 'warn',
	// the patch is appended after Ink's code, so every line of output.js keeps its place in the source map
	onLog(level, log, defaultHandler) {
		if (log.code === 'SOURCEMAP_BROKEN' && [inkRowCachePlugin, yogaWithoutFetchPlugin, widestLinePlugin, measureTextPlugin].some(plugin => plugin.name === log.plugin)) return;
		defaultHandler(level, log);
	},
	output: {
		dir: path.join(root, 'dist'),
		format: 'esm',
		entryFileNames: '[name].js',
		chunkFileNames: 'chunks/[name]-[hash].js',
		sourcemap: true,
		// V8 keeps each module's source in the heap as long as its functions may still compile, as one-byte text only if
		// every character is Latin-1: spinner frames, box characters and a dash in one of Ink's doc comments made the
		// board's 850 KB chunk 1.7 MB. Non-ASCII characters in code are escaped, and doc comments (only people read
		// them; licences and bundler annotations stay) left out: replay's peak RSS fell by 4-5 MB.
		charset: 'ascii',
		comments: {legal: true, annotation: true, jsdoc: false},
		codeSplitting: {
			groups: [
				// buildx's version parsing is shared by preflight and the board (prune keys); in its own chunk, so the
				// board, replay's too, does not load preflight's code with it
				{name: 'buildx-inspect', test: /source[\\/]lib[\\/]buildx-inspect\.ts$/},
			],
		},
	},
});
// an Ink that moved its output.js would otherwise leave the board unpatched without a word
if (applied !== 1) throw new Error(`the row cache was appended to Ink's output.js ${applied} times (expected once): check scripts/bundle.mjs`);
if (yogaPatched !== 1) throw new Error(`yoga-layout's loader was patched ${yogaPatched} times (expected once): check scripts/bundle.mjs`);
if (widestLinePatched !== 1) throw new Error(`widest-line was memoised ${widestLinePatched} times (expected once): check scripts/bundle.mjs`);
if (measureTextPatched !== 1) throw new Error(`Ink's measure-text was bounded ${measureTextPatched} times (expected once): check scripts/bundle.mjs`);

// The bundle holds other packages' code, so it carries their licences: dist/THIRD-PARTY-NOTICES.txt names every
// package a chunk took a module from (found from the chunks' module ids), once per name and version, with its
// licence, the text of each of its licence files and its NOTICE file (es-toolkit's carries Lodash's copyright). A
// package that ships no licence file (yoga-layout) gets the standard text of the licence its package.json names,
// when that is MIT, with the copyright line of its own bundled sources; any other such package fails the build.
const modulesOfPackage = new Map();
for (const chunk of output) {
	for (const id of chunk.moduleIds ?? []) {
		const file = id.replace(/^\0/, '');
		const match = /^(.*[\\/]node_modules[\\/](?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(file);
		if (!match) continue;
		if (!modulesOfPackage.has(match[1])) modulesOfPackage.set(match[1], []);
		modulesOfPackage.get(match[1]).push(file);
	}
}
const mitText = `Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.`;
const licenceOf = pkg =>
	typeof pkg.license === 'string' ? pkg.license : (pkg.license?.type ?? pkg.licenses?.map(l => l.type ?? l).join(' OR ') ?? 'unknown');
const noticeTexts = (dir, pkg, modules) => {
	const files = readdirSync(dir)
		.filter(name => /^(licen[cs]e|copying|notice)(\b|[-._])/i.test(name))
		.sort();
	if (files.length > 0) return files.map(name => readFileSync(path.join(dir, name), 'utf8').trim());
	const copyright = modules.map(file => /Copyright \(c\)[^\n*]*/.exec(readFileSync(file, 'utf8'))?.[0].trim()).find(Boolean);
	if (licenceOf(pkg) !== 'MIT' || !copyright) throw new Error(`${pkg.name} ships no licence file and no MIT copyright line was found: check scripts/bundle.mjs`);
	return [`MIT License (the package ships no licence file: the standard MIT text, with the copyright line of its sources)\n\n${copyright}\n\n${mitText}`];
};
const packages = new Map();
for (const [dir, modules] of modulesOfPackage) {
	const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const key = `${pkg.name}@${pkg.version}`;
	if (!packages.has(key)) packages.set(key, {pkg, texts: noticeTexts(dir, pkg, modules)});
}
if (packages.size === 0) throw new Error('no bundled package found for THIRD-PARTY-NOTICES.txt: check scripts/bundle.mjs');
const sections = [...packages.values()]
	.sort((a, b) => a.pkg.name.localeCompare(b.pkg.name) || a.pkg.version.localeCompare(b.pkg.version))
	.map(({pkg, texts}) => `${pkg.name} ${pkg.version} (${licenceOf(pkg)})\n${'-'.repeat(72)}\n${texts.join(`\n\n${'- '.repeat(36).trim()}\n\n`)}\n`);
writeFileSync(
	path.join(root, 'dist', 'THIRD-PARTY-NOTICES.txt'),
	`bxtop's dist/ bundles code of these ${packages.size} packages, under their licences:\n\n${sections.join('\n')}`,
);
