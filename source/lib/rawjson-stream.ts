// Splits what `docker buildx build --progress=rawjson` writes to stderr into JSON objects and plain text lines.
//
// buildx 0.13 writes every SolveStatus as an indented object over many lines (a line holding `{` alone opens it,
// `}` alone at column 0 closes it); newer buildx writes one compact object per line. Plain text (`ERROR: ...`,
// warnings, the Dockerfile excerpt of a failure) is interleaved at column 0. Inside an indented object every line
// starts with white space, because JSON strings cannot hold raw newlines: a column-0 line other than `}` therefore
// means the object was cut short, which is reported once and skipped while the rest of the stream still counts.

/** A plain text line between the objects (`ERROR: ...`). */
export class TextLine {
	constructor(readonly line: string) {}
}

/** buildx's own `ERROR: ...` line: the build failed (what a stream without an exit code has to go by). */
export function isBuildxErrorLine(line: string): boolean {
	return /^ERROR\b/.test(line);
}

/** An object that could not be parsed: reported once, and the stream goes on. */
export class MalformedJson {
	constructor(
		readonly message: string,
		readonly snippet: string,
	) {}
}

/**
 * What the splitter yields, in stream order: a parsed JSON value as it is, a TextLine or a MalformedJson. Values are
 * not wrapped (the hot path allocates one thing per object, not two); JSON.parse never makes class instances, so
 * `instanceof` tells the three apart.
 */
export type RawjsonItem = unknown;

/** Past this many characters without a closing brace the fast path gives up and reads line by line. */
const fastPathMaxChars = 1 << 20;

function tryParse(text: string): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return undefined;
	}
}

/** The most lines one indented object may span before we give up on it (a real SolveStatus is far smaller). */
const maxObjectLines = 200_000;

export class RawjsonSplitter {
	private carry = '';
	private objectLines: string[] | undefined;

	/** Feed a chunk (any boundaries); returns the items completed by it. */
	push(chunk: string): RawjsonItem[] {
		const out: RawjsonItem[] = [];
		const carry = this.carry;
		if (carry === '') {
			this.carry = this.scan(chunk, out);
			return out;
		}
		// What was carried is an unfinished object or line: join it with only as much of the chunk as finishes it,
		// rather than copying the whole (large) chunk into one joined string each time.
		const isObject = this.objectLines === undefined && carry.charCodeAt(0) === 123 && carry.charCodeAt(1) === 10;
		const cut = isObject ? closeAcross(carry, chunk) : chunk.indexOf('\n') + 1;
		if (cut <= 0) {
			this.carry = this.scan(carry + chunk, out);
			return out;
		}
		const rest = this.scan(carry + chunk.slice(0, cut), out);
		this.carry = this.scan(rest === '' ? chunk.slice(cut) : rest + chunk.slice(cut), out);
		return out;
	}

	/** Reads the complete items of `text` into `out`; returns the unfinished rest. */
	private scan(text: string, out: RawjsonItem[]): string {
		let start = 0;
		for (;;) {
			// Fast path for buildx 0.13's indented objects: find the closing "\n}\n" and parse the whole slice
			// at once. If the slice is not valid JSON (an object cut short by text), the line path sorts it out.
			if (this.objectLines === undefined && text.charCodeAt(start) === 123 && text.charCodeAt(start + 1) === 10) {
				const close = closingLine(text, start);
				if (close === -1) {
					if (text.length - start < fastPathMaxChars) break; // wait for the rest of this object
				} else {
					const value = tryParse(text.slice(start, close + 2));
					if (value !== undefined) {
						out.push(value);
						start = close + 3;
						continue;
					}
				}
			}
			const nl = text.indexOf('\n', start);
			if (nl === -1) break;
			let end = nl;
			if (end > start && text.charCodeAt(end - 1) === 13) end--; // CRLF
			this.line(text.slice(start, end), out);
			start = nl + 1;
		}
		return start === 0 ? text : text.slice(start);
	}

	/** End of stream: flush a last line without newline; an object still open is malformed (truncated). */
	end(): RawjsonItem[] {
		const out: RawjsonItem[] = [];
		// What is left may be several lines (an object the fast path waited for): read them one by one.
		const rest = this.carry;
		this.carry = '';
		const lines = rest === '' ? [] : rest.split('\n');
		if (lines[lines.length - 1] === '') lines.pop(); // after the last newline there is no line
		for (const line of lines) this.line(line.endsWith('\r') ? line.slice(0, -1) : line, out);
		if (this.objectLines) {
			out.push(malformed('stream ended inside a JSON object', this.objectLines));
			this.objectLines = undefined;
		}
		return out;
	}

	private line(line: string, out: RawjsonItem[]): void {
		const open = this.objectLines;
		if (open) {
			if (line === '}') {
				open.push(line);
				this.objectLines = undefined;
				out.push(parseJoined(open));
				return;
			}
			const first = line.charCodeAt(0);
			const indented = first === 32 || first === 9;
			if (indented && open.length < maxObjectLines) {
				open.push(line);
				return;
			}
			this.objectLines = undefined;
			out.push(malformed(indented ? 'JSON object too long' : 'JSON object cut short by a text line', open));
			if (indented) return;
			// fall through: this column-0 line is a fresh start (text, or a new object)
		}

		if (line.charCodeAt(0) === 123 /* { */) {
			if (line === '{') {
				this.objectLines = [line];
				return;
			}
			try {
				out.push(JSON.parse(line));
			} catch (error) {
				out.push(new MalformedJson((error as Error).message, line.slice(0, 200)));
			}
			return;
		}
		if (line.trim() !== '') out.push(new TextLine(line));
	}
}

/** Where in `chunk` the indented object begun in `carry` ends (just after its "\n}\n"), or -1 if not in it. */
function closeAcross(carry: string, chunk: string): number {
	const n = carry.length;
	if (carry.charCodeAt(n - 2) === 10 && carry.charCodeAt(n - 1) === 125 && chunk.charCodeAt(0) === 10) return 1;
	if (carry.charCodeAt(n - 1) === 10 && chunk.charCodeAt(0) === 125 && chunk.charCodeAt(1) === 10) return 2;
	const close = closingLine(chunk, 0);
	return close === -1 ? -1 : close + 3;
}

/**
 * Where the next "\n}\n" (a `}` line closing an indented object) starts, or -1. Searches for `}` and checks its
 * neighbours: `}` is rare in indented JSON, while a search for the leading newline stops at every line.
 */
function closingLine(text: string, from: number): number {
	// Most objects are followed by the next one, and "}\n{" occurs only there (inside an object a `}` line is
	// indented and a `{` follows a comma or bracket), so one search usually finds the end. When text lines come
	// between, the first such boundary lies past them: that slice holds two objects and text, fails to parse, and
	// the caller reads those lines one by one.
	const boundary = text.indexOf('}\n{', from);
	if (boundary > from && text.charCodeAt(boundary - 1) === 10) return boundary - 1;
	return closingBrace(text, from, text.length);
}

/** The first "\n}\n" starting in [from, before), by searching for `}`. */
function closingBrace(text: string, from: number, before: number): number {
	for (let i = text.indexOf('}', from); i !== -1 && i < before; i = text.indexOf('}', i + 1)) {
		if (text.charCodeAt(i - 1) === 10 && text.charCodeAt(i + 1) === 10 && i - 1 >= from) return i - 1;
	}
	return -1;
}

function parseJoined(lines: string[]): RawjsonItem {
	const joined = lines.join('\n');
	try {
		return JSON.parse(joined) as unknown;
	} catch (error) {
		return new MalformedJson((error as Error).message, joined.slice(0, 200));
	}
}

function malformed(message: string, lines: string[]): RawjsonItem {
	return new MalformedJson(message, lines.slice(0, 6).join('\n').slice(0, 200));
}
