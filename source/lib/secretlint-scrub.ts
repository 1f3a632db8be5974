// secretlint's recommended rules (a maintained rule set: AWS, GCP, private keys, npm, basic auth, Slack, SendGrid,
// Shopify, GitHub, OpenAI, Anthropic, Linear, 1Password, database connection strings) as the last pass over
// everything bxtop writes: a recording's queued events, a --json summary, a report. It is asynchronous and costs
// about a millisecond a call, so it runs on batches (one call for every string of a flush), never per log chunk;
// `npm run bench` measures it (README: "Secrets"). Loaded on first use: a session that writes nothing never pays
// for the import.
import {mapStrings, redacted} from './redact.js';

type Lint = (content: string) => Promise<Array<readonly [number, number]>>;

let loading: Promise<Lint> | undefined;

function linter(): Promise<Lint> {
	loading ??= (async () => {
		const [{lintSource}, {creator}, {secretLintProfiler}] = await Promise.all([
			import('@secretlint/core'),
			import('@secretlint/secretlint-rule-preset-recommend'),
			import('@secretlint/profiler'),
		]);
		// secretlint 11 profiles every run whether anyone asks or not: a performance mark per rule per call, kept
		// for ever in its own list and Node's timeline, with a scan of that list per mark. A session flushing twice a
		// second for an hour (7,200 calls) then spends most of its CPU there and keeps growing
		// (secretlint/secretlint#1633; fixed upstream in #1673, in versions that need Node 22). bxtop never reads the
		// profile, so its marks go nowhere.
		secretLintProfiler.mark = () => {};
		const config = {
			rules: [
				{
					id: creator.meta.id,
					rule: creator,
					// a build that prints `secretlint-disable` must not switch detection off for the rest of the text
					rules: [{id: '@secretlint/secretlint-rule-filter-comments', disabled: true}],
				},
			],
		};
		return async (content: string) => {
			const result = await lintSource({source: {content, contentType: 'text', filePath: 'bxtop.txt', ext: '.txt'}, options: {config, noPhysicFilePath: true}});
			return result.messages.map(message => message.range);
		};
	})();
	return loading;
}

/**
 * Starts loading secretlint now (a recorder opening): its import takes a few hundred ms, and the first flush must
 * not wait for it on top of the flush interval (a kill -9 soon after start would lose more than a second).
 */
export function preloadSecretlint(): void {
	linter().catch(() => {}); // a failure is reported by the first scrub that needs it
}

/** The ranges of `text` secretlint reports ([start, end) offsets). */
export async function secretlintRanges(text: string): Promise<Array<readonly [number, number]>> {
	if (text === '') return [];
	return (await linter())(text);
}

/** Each string with what secretlint finds in it replaced by ***: one secretlint call for the whole batch. */
export async function scrubStrings(strings: readonly string[]): Promise<string[]> {
	if (strings.length === 0) return [];
	// One newline between strings: a rule sees each string's start and end as a line's, and a PEM block spread
	// over several strings (a log cut in chunks) is still seen whole.
	const starts: number[] = [];
	let offset = 0;
	for (const s of strings) {
		starts.push(offset);
		offset += s.length + 1;
	}
	const ranges = await secretlintRanges(strings.join('\n'));
	if (ranges.length === 0) return [...strings];
	const cuts = strings.map(() => [] as Array<[number, number]>);
	for (const [start, end] of ranges) {
		for (let i = indexAt(starts, start); i < strings.length && starts[i]! < end; i++) {
			const from = Math.max(0, start - starts[i]!);
			const to = Math.min(strings[i]!.length, end - starts[i]!);
			if (to > from) cuts[i]!.push([from, to]);
		}
	}
	return strings.map((s, i) => cutOut(s, cuts[i]!));
}

/** JSON values (events, a summary, a report) with what secretlint finds in any of their strings replaced by ***. */
export async function scrubValues<T>(values: readonly T[]): Promise<T[]> {
	const strings: string[] = [];
	for (const value of values) mapStrings(value, s => (strings.push(s), s));
	const scrubbed = await scrubStrings(strings);
	let changed = false;
	for (let i = 0; i < strings.length; i++) if (scrubbed[i] !== strings[i]) changed = true;
	if (!changed) return [...values];
	let next = 0;
	// the same walk in the same order: the i-th string met is the i-th scrubbed
	return values.map(value => mapStrings(value, () => scrubbed[next++]!));
}

/** A report or summary text as a whole (Markdown, JSON): what secretlint finds replaced by ***. */
export async function scrubText(text: string): Promise<string> {
	return (await scrubStrings([text]))[0]!;
}

/** The index of the string that holds offset `at` (the last start at or before it). */
function indexAt(starts: readonly number[], at: number): number {
	let lo = 0;
	let hi = starts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (starts[mid]! <= at) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

function cutOut(text: string, cuts: Array<[number, number]>): string {
	if (cuts.length === 0) return text;
	cuts.sort((a, b) => a[0] - b[0]);
	let out = '';
	let at = 0;
	for (const [from, to] of cuts) {
		if (to <= at) continue;
		out += text.slice(at, Math.max(at, from)) + (from >= at ? redacted : '');
		at = to;
	}
	return out + text.slice(at);
}
