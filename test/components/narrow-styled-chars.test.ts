// narrow-styled-chars must give exactly what Ink's tokeniser gives (its styledCharsFromTokens(tokenize(line))) for
// every line it reads, and leave every line it cannot read the same way to the tokeniser. The lines are what chalk
// and Ink write for a board (colours, bold, inverse, nested styles, the spinner, borders) and the shapes that must
// fall back (wide and combining characters, emoji, other escapes, controls).
import {pathToFileURL} from 'node:url';
import {expect, test} from 'vitest';
import {importInkTokeniser, inkRequire} from '../../source/components/ink-row-cache.js';
import {createNarrowStyledChars, type AnsiCode, type AnsiToken, type StyledChar, type Tokeniser} from '../../source/components/narrow-styled-chars.js';

// The tokeniser and string-width as Ink's output.js resolves them, as the row cache loads them: the comparison is
// with the code the board runs.
const tokeniser = await importInkTokeniser<
	Tokeniser & {
		ansiCodesToString: (codes: AnsiCode[]) => string;
		styledCharsFromTokens: (tokens: AnsiToken[]) => StyledChar[];
		styledCharsToString: (chars: StyledChar[]) => string;
	}
>();
const {ansiCodesToString, reduceAnsiCodesIncremental, styledCharsFromTokens, styledCharsToString, tokenize} = tokeniser!.module;
const {default: stringWidth} = (await import(pathToFileURL(inkRequire().resolve('string-width')).href)) as {default: (text: string) => number};

const styledChars = createNarrowStyledChars({tokenize, reduceAnsiCodesIncremental}, stringWidth);
const esc = '\u001B[';

const read = [
	'',
	'plain ASCII text: [1/5] RUN pip install -r requirements.txt  12.3s',
	`${esc}36m⠋ ${esc}39m${esc}7m${esc}1mbackend-cpu${esc}22m${esc}27m linux/arm64 emu`,
	`${esc}1m${esc}2mbold and dim${esc}22m after`,
	`${esc}31mred ${esc}32mgreen replaces it${esc}39m none`,
	`${esc}1;31mcompound${esc}0m reset ${esc}mempty reset`,
	`${esc}38;5;208m256 colours${esc}39m ${esc}48;2;10;20;30mtrue colour bg${esc}49m`,
	'┌──────┐ │ box │ └──────┘ ▁▂▃▄▅▆▇█ ✔ ✖ ≡ · … ◌ → ±é×',
	`${esc}90m${'─'.repeat(120)}${esc}39m`,
	`${esc}31mstyle left open at the end`,
	`${esc}4m${esc}24m${esc}9mstrike${esc}29m`,
];

const fallBack = [
	'漢字 wide',
	'an emoji 🐳',
	'✅ emoji presentation in a dingbat block',
	'e\u0301 combining accent',
	'soft\u00ADhyphen',
	'tab\there',
	'\u001B]8;;https://example.com\u0007link\u001B]8;;\u0007',
	'\u001B[2Kerase line',
	'\u001B(B charset',
	`${esc}31 space inside`,
	'\u009B31m single-byte CSI',
	'zero\u200Bwidth space',
	'✔\uFE0F variation selector',
];

test('lines of one-column characters and SGR codes: the tokeniser\'s own characters and styles, and the same text back', () => {
	for (const line of read) {
		const own = styledCharsFromTokens(tokenize(line));
		const narrow = styledChars(line);
		expect(narrow, line).toEqual(own);
		expect(styledCharsToString(narrow!)).toBe(styledCharsToString(own));
	}
	// the styles of a coloured run are the codes the tokeniser reduced, not just the last one
	const [spinner] = styledChars(`${esc}1m${esc}36mx${esc}39m${esc}22m`)!;
	expect(ansiCodesToString(spinner!.styles)).toBe(`${esc}1m${esc}36m`);
});

test('any other line (wide, combining, emoji, other escapes, controls) is left to the tokeniser', () => {
	for (const line of fallBack) expect(styledChars(line), JSON.stringify(line)).toBeUndefined();
	// and a character it refused stays refused on a second look (the answer is kept per code point)
	expect(styledChars('✅')).toBeUndefined();
	expect(styledChars('✔')).toEqual(styledCharsFromTokens(tokenize('✔')));
});
