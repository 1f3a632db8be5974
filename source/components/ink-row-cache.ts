// Ink 6 rebuilds its whole cell grid on every frame: `Output.get()` tokenises every line written, copies each
// character into a fresh width x height grid and turns every row back into ANSI text, whatever changed (Ink's own
// caches live one frame). On a 130x40 board that was most of a frame's CPU, nearly all of it spent on rows that are
// the same as in the last frame. This replaces `get()` with one that keeps, per row, the text made from that row's
// writes, and makes only rows it has not seen: a row's text is a function of the terminal width and the ordered
// (x, line) writes into it, so it is reused when those are the same. A row that changed is made the way Ink's get()
// makes it (the same cells, from Ink's own tokeniser, with its tokenised segments kept from earlier frames), except
// that two neighbouring cells of the same style skip Ink's style diff (`diffAnsiCodes`, three Sets per cell): the
// diff of a style with itself is empty, and that a line of one-column characters and SGR codes (nearly every line
// of a board) is read by narrow-styled-chars.ts, which gives the tokeniser's characters without its grapheme
// segmenter. Everything else (layout, clipping, transformers, the writer) stays Ink's.
//
// Output is internal to Ink (not in its exports map). bxtop's bundle (scripts/bundle.mjs) calls `patchInkOutput`
// from Ink's own output.js as it loads, so the class patched is the one Ink's renderer uses; unbundled (tests, the
// benches) `installInkRowCache` loads output.js from the file next to Ink's entry, the module instance Ink uses there.
// Only the Ink and tokeniser versions this was checked against are patched (test/components/ink-row-cache.test.tsx
// compares it with Ink's own get() frame by frame over real recordings); any other keeps Ink's own get().
import {readFileSync} from 'node:fs';
import {createRequire} from 'node:module';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {createNarrowStyledChars, type AnsiCode, type StyledChar, type Tokeniser} from './narrow-styled-chars.js';

/** The Ink version whose Output this was checked against. */
export const checkedInkVersion = /^6\.8\./;
/** The @alcalzone/ansi-tokenize version whose styledCharsToString the raster follows (Ink 6.8 asks for ^0.2.4). */
export const checkedTokeniserVersion = /^0\.2\.5$/;

type Transformer = (line: string, index: number) => string;
type Clip = {x1?: number; x2?: number; y1?: number; y2?: number};
type Operation = {type: 'write'; x: number; y: number; text: string; transformers: Transformer[]} | {type: 'clip'; clip: Clip} | {type: 'unclip'};
type InkOutput = {
	width: number;
	height: number;
	operations: Operation[];
	caches: {getWidestLine(text: string): number; getStringWidth(text: string): number; getStyledChars(line: string): StyledChar[]};
	write(x: number, y: number, text: string, options: {transformers: Transformer[]}): void;
	get(): {output: string; height: number};
};
type OutputClass = (new (options: {width: number; height: number}) => InkOutput) & {prototype: InkOutput};
type SliceAnsi = (text: string, from: number, to: number) => string;
/** The functions of @alcalzone/ansi-tokenize (Ink's tokeniser) that read lines and turn cells' styles into ANSI codes, and its version. */
export type AnsiStyles = Tokeniser & {diffAnsiCodes(from: AnsiCode[], to: AnsiCode[]): AnsiCode[]; ansiCodesToString(codes: AnsiCode[]): string; version: string};

export type InkRowCache = {
	/** Ink's own get(), as it was before the replacement. */
	inkGet: InkOutput['get'];
	/** The replacement; `Output.prototype.get` while installed. */
	cachedGet: InkOutput['get'];
	Output: OutputClass;
	/** Rows served from the cache and rows made, since the start. */
	stats: {hits: number; misses: number};
	/** Makes a row the cache has not seen (replaceable: the frames bench collects the rows it is given). */
	rasterRow: (width: number, writes: RowWrite[]) => string;
	/** The same row from Ink's own get() on a one-row Output (the benchmark's comparison). */
	inkRasterRow: (width: number, writes: RowWrite[]) => string;
};

/** A line written into a row, at column x. */
export type RowWrite = {x: number; line: string};

let patched: InkRowCache | undefined;
/** The bundle offered its Ink (patched or not): the Ink in node_modules, if any, is not the one that draws. */
let offered = false;
let loading: Promise<InkRowCache | undefined> | undefined;

/**
 * Replaces Output's get() with the row cache when `inkVersion` is the checked one (once; later calls return the
 * same). Called by the bundle from inside Ink's output.js, and by installInkRowCache.
 */
export function patchInkOutput(Output: OutputClass, sliceAnsi: SliceAnsi, inkVersion: string, ansi: AnsiStyles): InkRowCache | undefined {
	offered = true;
	if (patched) return patched;
	if (!checkedInkVersion.test(inkVersion) || !checkedTokeniserVersion.test(ansi.version) || typeof Output?.prototype?.get !== 'function') return undefined;
	patched = createRowCache(Output, sliceAnsi, ansi);
	Output.prototype.get = patched.cachedGet;
	return patched;
}

/**
 * The row cache on the Ink bxtop draws with: already there in the bundle, loaded from node_modules otherwise.
 * Never rejects: without the cache the board is Ink's own, only slower.
 */
export function installInkRowCache(): Promise<InkRowCache | undefined> {
	if (patched || offered) return Promise.resolve(patched);
	loading ??= loadFromNodeModules().catch(() => undefined);
	return loading;
}

/** A require that resolves as Ink's output.js does: Ink's own dependencies (slice-ansi, the tokeniser), not bxtop's. */
export function inkRequire(): NodeJS.Require {
	return createRequire(path.join(path.dirname(createRequire(import.meta.url).resolve('ink')), 'output.js'));
}

/** Ink's tokeniser (an ESM-only package: require.resolve finds its package.json, whose exports name the module). */
export async function importInkTokeniser<Module>(): Promise<{module: Module; version: string} | undefined> {
	const tokeniserPackage = inkRequire().resolve('@alcalzone/ansi-tokenize/package.json');
	const tokeniser = JSON.parse(readFileSync(tokeniserPackage, 'utf8')) as {version: string; exports?: {'.'?: {import?: string}}};
	const entry = tokeniser.exports?.['.']?.import;
	if (typeof entry !== 'string') return undefined;
	return {module: (await import(pathToFileURL(path.join(path.dirname(tokeniserPackage), entry)).href)) as Module, version: tokeniser.version};
}

async function loadFromNodeModules(): Promise<InkRowCache | undefined> {
	const inkDir = path.dirname(createRequire(import.meta.url).resolve('ink'));
	const {version} = JSON.parse(readFileSync(path.join(inkDir, '..', 'package.json'), 'utf8')) as {version: string};
	if (!checkedInkVersion.test(version)) return undefined;
	const {default: Output} = (await import(pathToFileURL(path.join(inkDir, 'output.js')).href)) as {default: OutputClass};
	// slice-ansi (for clipped writes) and the tokeniser as Ink's output.js resolves them
	const {default: sliceAnsi} = (await import(pathToFileURL(inkRequire().resolve('slice-ansi')).href)) as {default: SliceAnsi};
	const tokeniser = await importInkTokeniser<AnsiStyles>();
	if (!tokeniser || !checkedTokeniserVersion.test(tokeniser.version)) return undefined;
	const {diffAnsiCodes, ansiCodesToString, tokenize, reduceAnsiCodesIncremental} = tokeniser.module;
	return patchInkOutput(Output, sliceAnsi, version, {diffAnsiCodes, ansiCodesToString, tokenize, reduceAnsiCodesIncremental, version: tokeniser.version});
}

/** Ink's blank cell; shared, as no cell is changed once in the row. */
const blankCell: StyledChar = {type: 'char', value: ' ', fullWidth: false, styles: []};

/** The same codes in the same order: diffAnsiCodes between them is empty (every code of each is in the other). */
function isSameStyle(a: AnsiCode[], b: AnsiCode[]): boolean {
	if (a === b) return true;
	if (a.length !== b.length) return false;
	for (let i = 0; i < a.length; i++) if (a[i]!.code !== b[i]!.code || a[i]!.endCode !== b[i]!.endCode) return false;
	return true;
}

/** Rows kept: two generations of this many, so a row unused for two generations is dropped (a board has < 100). */
const generationSize = 512;
/** Tokenised segments kept (about; the last row's are added past it): each an array of styled characters, about 5 KB a 100-column line. */
const segmentLimit = 256;

function createRowCache(Output: OutputClass, sliceAnsi: SliceAnsi, ansi: AnsiStyles): InkRowCache {
	const {diffAnsiCodes, ansiCodesToString} = ansi;
	const inkGet = Output.prototype.get;
	const stats = {hits: 0, misses: 0};
	let young = new Map<string, string>();
	let old = new Map<string, string>();
	// Ink's per-frame caches (tokenised lines, character widths), kept across frames until they hold segmentLimit
	// lines: a changed row is mostly segments that did not change (its target, platform, step label)
	let segments = new Output({width: 0, height: 0}).caches;
	// the lines narrowStyledChars reads (most of them), kept and renewed with Ink's: their characters are one column wide
	let narrowLines = new Map<string, StyledChar[]>();
	const narrowStyledChars = createNarrowStyledChars(ansi, text => segments.getStringWidth(text));
	// (an Ink without that map would count as full: the cache is then renewed on every miss, never left to grow)
	const segmentCount = () => narrowLines.size + ((segments as unknown as {styledChars?: Map<string, unknown>}).styledChars?.size ?? Infinity);

	function rowText(width: number, writes: RowWrite[]): string {
		// each line after its length, so no text (build logs may hold any control character) can fake a boundary
		let key = String(width);
		for (const write of writes) key += ` ${write.x},${write.line.length}:${write.line}`;
		let text = young.get(key);
		if (text === undefined) {
			text = old.get(key);
			if (text === undefined) {
				stats.misses++;
				if (segmentCount() > segmentLimit) {
					segments = new Output({width: 0, height: 0}).caches;
					narrowLines = new Map();
				}
				text = cache.rasterRow(width, writes);
			} else stats.hits++;
			young.set(key, text);
			if (young.size > generationSize) {
				old = young;
				young = new Map();
			}
		} else stats.hits++;
		return text;
	}

	// Ink 6.8's get() for one row: its cells (blank, then each write's characters, a wide one followed by empty
	// cells of its style), holes left by a write past the end dropped, then styledCharsToString and trimEnd.
	function rasterRow(width: number, writes: RowWrite[]): string {
		const cells: StyledChar[] = [];
		for (let x = 0; x < width; x++) cells.push(blankCell);
		for (const write of writes) {
			let x = write.x;
			let narrow = narrowLines.get(write.line);
			if (narrow === undefined) {
				narrow = narrowStyledChars(write.line);
				if (narrow !== undefined) narrowLines.set(write.line, narrow);
			}
			if (narrow !== undefined) {
				for (const character of narrow) cells[x++] = character;
				continue;
			}
			for (const character of segments.getStyledChars(write.line)) {
				cells[x] = character;
				const characterWidth = Math.max(1, segments.getStringWidth(character.value));
				for (let i = 1; i < characterWidth; i++) cells[x + i] = {type: 'char', value: '', fullWidth: false, styles: character.styles};
				x += characterWidth;
			}
		}
		const line = cells.filter(cell => cell !== undefined);
		let text = '';
		for (let i = 0; i < line.length; i++) {
			const {styles, value} = line[i]!;
			if (i === 0) text += ansiCodesToString(styles);
			else if (!isSameStyle(line[i - 1]!.styles, styles)) text += ansiCodesToString(diffAnsiCodes(line[i - 1]!.styles, styles));
			text += value;
		}
		if (line.length > 0) text += ansiCodesToString(diffAnsiCodes(line.at(-1)!.styles, []));
		return text.trimEnd();
	}

	function inkRasterRow(width: number, writes: RowWrite[]): string {
		const row = new Output({width, height: 1});
		row.caches = segments;
		for (const write of writes) row.write(write.x, 0, write.line, {transformers: []});
		return inkGet.call(row).output;
	}

	// The walk over the operations is Ink 6.8's Output.get(), line for line, except that a line lands in its row's
	// list of writes instead of in a cell grid.
	function cachedGet(this: InkOutput): {output: string; height: number} {
		const rows: RowWrite[][] = [];
		for (let y = 0; y < this.height; y++) rows.push([]);
		const clips: Clip[] = [];
		for (const operation of this.operations) {
			if (operation.type === 'clip') clips.push(operation.clip);
			if (operation.type === 'unclip') clips.pop();
			if (operation.type !== 'write') continue;
			const {text, transformers} = operation;
			let {x, y} = operation;
			let lines = text.split('\n');
			const clip = clips.at(-1);
			if (clip) {
				const clipHorizontally = typeof clip.x1 === 'number' && typeof clip.x2 === 'number';
				const clipVertically = typeof clip.y1 === 'number' && typeof clip.y2 === 'number';
				if (clipHorizontally) {
					const width = this.caches.getWidestLine(text);
					if (x + width < clip.x1! || x > clip.x2!) continue;
				}
				if (clipVertically) {
					if (y + lines.length < clip.y1! || y > clip.y2!) continue;
				}
				if (clipHorizontally) {
					lines = lines.map(line => {
						const from = x < clip.x1! ? clip.x1! - x : 0;
						const width = this.caches.getStringWidth(line);
						const to = x + width > clip.x2! ? clip.x2! - x : width;
						return sliceAnsi(line, from, to);
					});
					if (x < clip.x1!) x = clip.x1!;
				}
				if (clipVertically) {
					const from = y < clip.y1! ? clip.y1! - y : 0;
					const height = lines.length;
					const to = y + height > clip.y2! ? clip.y2! - y : height;
					lines = lines.slice(from, to);
					if (y < clip.y1!) y = clip.y1!;
				}
			}
			let offsetY = 0;
			for (let [index, line] of lines.entries()) {
				const row = rows[y + offsetY];
				// as in Ink: a line outside the grid is skipped, and so (same row index) is every line after it
				if (!row) continue;
				// (a transformer that returned a newline would be drawn into this row by Ink and split by the one-row
				// Output; bxtop has no <Transform>, and Ink's own transformers return one line)
				for (const transformer of transformers) line = transformer(line, index);
				row.push({x, line});
				offsetY++;
			}
		}
		return {output: rows.map(writes => rowText(this.width, writes)).join('\n'), height: rows.length};
	}

	const cache: InkRowCache = {inkGet, cachedGet, Output, stats, rasterRow, inkRasterRow};
	return cache;
}
