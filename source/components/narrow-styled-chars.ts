// A faster way to Ink's styled characters for the lines a board is made of. Ink's tokeniser
// (@alcalzone/ansi-tokenize) runs every line through Intl.Segmenter and checks every grapheme for full width and
// emoji: in a live board's profile that was most of the time spent making the rows that changed (a clock, an
// elapsed time, a log line). Nearly every such line is printable ASCII, box drawing and a few symbols, coloured
// by SGR sequences: there each character is its own grapheme, one column wide, and the styles are the SGR codes met
// so far. This gives, for such a line, the characters and styles the tokeniser gives (its own tokenize() on each
// distinct SGR sequence, its own reduceAnsiCodesIncremental to apply them), and undefined for any other line, which
// then goes to the tokeniser itself. test/components/narrow-styled-chars.test.ts compares the two.

export type AnsiCode = {type: 'ansi'; code: string; endCode: string};
export type StyledChar = {type: 'char'; value: string; fullWidth: boolean; styles: AnsiCode[]};
export type AnsiToken = AnsiCode | {type: 'char'; value: string; fullWidth: boolean};
/** The two functions of Ink's tokeniser this follows. */
export type Tokeniser = {
	tokenize(text: string): AnsiToken[];
	reduceAnsiCodesIncremental(codes: AnsiCode[], newCodes: AnsiCode[]): AnsiCode[];
};

/**
 * Blocks of code points whose every character is its own grapheme (Unicode's grapheme break class Other: no
 * combining mark, joiner, variation selector or prepended character): Latin-1 (without U+00AD, a control for the
 * segmenter), dashes, quotes, bullets and the ellipsis, arrows, mathematical operators, technical symbols, box
 * drawing, blocks, geometric shapes, miscellaneous symbols, dingbats and braille (the spinner). Some of them are
 * drawn two columns wide (emoji such as ✅): each character is also checked against Ink's own width once.
 */
const otherBlocks: Array<readonly [number, number]> = [
	[0xa0, 0xac],
	[0xae, 0xff],
	[0x2010, 0x2027],
	[0x2190, 0x23ff],
	[0x2500, 0x27bf],
	[0x2800, 0x28ff],
];

function inOtherBlock(codePoint: number): boolean {
	for (const [from, to] of otherBlocks) if (codePoint >= from && codePoint <= to) return true;
	return false;
}

/**
 * `styledChars(line)`: the tokeniser's styled characters for a line of printable ASCII, SGR sequences and
 * one-column characters of the blocks above; undefined for any other line. `stringWidth` is Ink's (string-width),
 * the measure Ink lays a character out by.
 */
export function createNarrowStyledChars({tokenize, reduceAnsiCodesIncremental}: Tokeniser, stringWidth: (text: string) => number): (line: string) => StyledChar[] | undefined {
	/** SGR sequence -> its codes as the tokeniser reads them (undefined: it does not read it as codes alone). */
	const sequences = new Map<string, AnsiCode[] | undefined>();
	/** Code point of the blocks above -> whether it is one column wide and not full width to the tokeniser. */
	const narrow = new Map<number, boolean>();

	function codesOf(sequence: string): AnsiCode[] | undefined {
		if (sequences.has(sequence)) return sequences.get(sequence);
		const tokens = tokenize(sequence);
		const codes = tokens.length > 0 && tokens.every(token => token.type === 'ansi') ? (tokens as AnsiCode[]) : undefined;
		if (sequences.size < 256) sequences.set(sequence, codes);
		return codes;
	}

	function isNarrow(codePoint: number): boolean {
		if (!inOtherBlock(codePoint)) return false;
		let known = narrow.get(codePoint);
		if (known === undefined) {
			const character = String.fromCharCode(codePoint);
			const [token, ...rest] = tokenize(character);
			known = rest.length === 0 && token?.type === 'char' && !token.fullWidth && stringWidth(character) === 1;
			narrow.set(codePoint, known);
		}
		return known;
	}

	return function styledChars(line: string): StyledChar[] | undefined {
		const chars: StyledChar[] = [];
		let styles: AnsiCode[] = [];
		for (let i = 0; i < line.length; i++) {
			const c = line.charCodeAt(i);
			if (c === 0x1b) {
				if (line.charCodeAt(i + 1) !== 0x5b) return undefined; // [
				let end = i + 2;
				while (end < line.length && isSgrParameter(line.charCodeAt(end))) end++;
				if (line.charCodeAt(end) !== 0x6d) return undefined; // m
				const codes = codesOf(line.slice(i, end + 1));
				if (codes === undefined) return undefined;
				styles = reduceAnsiCodesIncremental(styles, codes);
				i = end;
				continue;
			}
			// one styles array for a run of characters: no cell is changed once it is made (Ink copies it per character)
			if ((c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && isNarrow(c))) chars.push({type: 'char', value: line[i]!, fullWidth: false, styles});
			else return undefined;
		}
		return chars;
	};
}

/** Digits and semicolons: what the tokeniser accepts between `ESC [` and `m`. */
function isSgrParameter(c: number): boolean {
	return c === 0x3b || (c >= 0x30 && c <= 0x39);
}
