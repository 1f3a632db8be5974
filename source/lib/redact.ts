// Secrets must never reach the screen or a recording. Two kinds are replaced by ***: the literal values bxtop
// knows are secret (the content of `--secret` files and variables, values of build args whose names look secret),
// and credential shapes in any text (token prefixes, PEM private keys, Authorization values, URL user-info,
// `NAME=value` where NAME looks secret). Pure and synchronous: it runs on the live stream, chunk by chunk.
// secretlint (lib/secretlint-scrub.ts) runs after it on everything bxtop writes.

export const redacted = '***';

/** Parts of a name that make it secret wherever they appear (`dbPassword`, `MY_API_TOKEN`). */
const secretWords = /TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|APIKEY|API_KEY|PRIVATE|CREDENTIAL|CREDS|AUTH|COOKIE|SESSION|SIGNING|BEARER|DSN/i;
/** Short words that are secret only as a whole segment of the name (`DB_PASS`, not `BYPASS`; `SSH_KEY`, not `KEYBOARD`). */
const secretSegments = new Set(['KEY', 'KEYS', 'PASS', 'PWD', 'PW', 'CERT', 'CERTS', 'SALT', 'PIN', 'OTP', 'JWT', 'SIG', 'SIGNATURE', 'PAT', 'HMAC']);

/** Every name with a secret segment passes this test (cheaper than splitting every name). */
const maySegment = /key|pass|pwd|pw|cert|salt|pin|otp|jwt|sig|pat|hmac/i;

export function isSecretName(name: string): boolean {
	if (secretWords.test(name)) return true;
	if (!maySegment.test(name)) return false;
	// split on separators and camelCase humps: dbPass -> db, Pass
	for (const part of name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/)) if (secretSegments.has(part.toUpperCase())) return true;
	return false;
}

const tokenShapes: RegExp[] = [
	/\bhf_[A-Za-z0-9]{20,}\b/g, // Hugging Face
	/\bgh[pousr]_[A-Za-z0-9_]{20,}\b/g, // GitHub
	/\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
	/\b(AKIA|ASIA|A3T[A-Z0-9]|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b/g, // AWS access key id
	/\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
	/\bx(?:ox[abposr]|app)-[A-Za-z0-9-]{10,}\b/g, // Slack
	/\bnpm_[A-Za-z0-9_]{36}\b/g,
	/\bsk-[A-Za-z0-9_-]{20,}/g, // OpenAI, Anthropic (sk-ant-...)
	/\bdckr_pat_[A-Za-z0-9_-]{20,}\b/g, // Docker Hub
	/\bAIza[0-9A-Za-z_-]{30,}/g, // Google API key
	/\bSG\.[\w-]{16,}\.[\w-]{16,}/g, // SendGrid
	/\bshp(?:pa|ca|at|ss)_[a-zA-Z0-9]{32,}\b/g, // Shopify
	/\blin_api_[a-zA-Z0-9_]{32,}\b/g, // Linear
	/\bops_ey[A-Za-z0-9+/=]{100,}/g, // 1Password service account
	/\bhooks\.slack\.com\/services\/T[a-zA-Z0-9]+\/B[a-zA-Z0-9]+\/[a-zA-Z0-9]+/g,
	/\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/g, // a JWT
];
/** A private key block, also JSON-escaped (`\n` as two characters) and cut short (no END yet). */
const pemBlock = /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;
const bearer = /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** scheme://user:password@ and scheme://user@ (a Sentry DSN's key is its user); not name@sha256:digest. */
const urlUserInfo = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@"'<>]+)(?::([^\s/@"'<>]*))?@(?!sha\d+:)/gi;
/** Account names that say who, not what proves it: `ssh://git@github.com` stays as it is. */
const publicUsers = new Set(['git', 'hg', 'svn', 'anonymous', 'ftp', redacted]);
/** NAME=value, NAME: value, "name": "value" where NAME looks secret (env dumps, .npmrc `_authToken=`,
 * `aws_secret_access_key = ...`, JSON). */
const assignment = /(?<![A-Za-z0-9_])([A-Za-z_][A-Za-z0-9_.-]*)(["']?\s*(?:=|:\s|:(?=["']))\s*["']?)([^\s"',;]+)/g;
/** Characters of a name before `=` / `: ` (a table: cheaper than a regex per character). */
const nameChars = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-') nameChars[c.charCodeAt(0)] = 1;

/** Whether some `NAME=` or `NAME: ` in `text` has a secret-looking NAME: a look at the word before each operator
 * (native indexOf, few hits per line) instead of a pattern tried at every position. */
function mayAssignSecret(text: string): boolean {
	for (const op of ['=', ': ', '":', "':"]) {
		for (let at = text.indexOf(op); at >= 0; at = text.indexOf(op, at + 1)) {
			let end = at;
			while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '"' || text[end - 1] === "'")) end--;
			let start = end;
			while (start > 0 && end - start < 64 && nameChars[text.charCodeAt(start - 1)] === 1) start--;
			if (end > start && isSecretName(text.slice(start, end))) return true;
		}
	}
	return false;
}

/** An assignment's value that is not a secret: a digest, a variable reference, an empty or boolean word. */
const notSecretValue = /^(?:sha\d+:|\$\{?[A-Za-z_]|\*\*\*|(?:true|false|none|null|yes|no|0|1)$)/i;

/** Every text a token shape could match passes this test. Three small alternations rather than one: the cost of
 * an alternation grows with its branches at every position, and most log lines hold no `_` or `-` at all, so the
 * branches that need one only run when a native includes() finds it (case classes rather than the i flag: V8 runs
 * them about a third faster, and for ASCII letters they match the same). */
const mayHoldTokenAlways = /A(?:[KS]IA|3T|GPA|IDA|ROA|IPA|NPA|NVA|Iza)|eyJ|SG\.|hooks\.slack|[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc]|[Tt][Oo][Kk][Ee][Nn]/;
const mayHoldTokenUnderscore = /hf_|gh[pousr]_|github_pat_|npm_|dckr_pat_|shp|lin_api_|ops_ey/;
const mayHoldTokenDash = /glpat-|x(?:ox[abposr]|app)-|sk-|-----BEGIN/;

function mayHoldToken(text: string): boolean {
	return mayHoldTokenAlways.test(text) || (text.includes('_') && mayHoldTokenUnderscore.test(text)) || (text.includes('-') && mayHoldTokenDash.test(text));
}

/** Replaces credential shapes: tokens, private keys, Authorization values, URL user-info, secret assignments. */
export function redactText(text: string): string {
	// Fast path: the hot loop sees mostly ordinary log text.
	const hasUserInfo = text.includes('@') && text.includes('://');
	const hasAssignment = mayAssignSecret(text);
	if (!hasUserInfo && !hasAssignment && !mayHoldToken(text)) return text;
	let out = text;
	if (out.includes('-----BEGIN')) out = out.replace(pemBlock, redacted);
	for (const shape of tokenShapes) out = out.replace(shape, redacted);
	out = out.replace(bearer, (_m, scheme: string) => `${scheme} ${redacted}`);
	if (hasUserInfo) {
		out = out.replace(urlUserInfo, (match, scheme: string, user: string, password: string | undefined) => {
			if (password === undefined) return publicUsers.has(user) ? match : `${scheme}${redacted}@`;
			// a token as the user (`https://TOKEN:x-oauth-basic@github.com/`) goes too
			const keepUser = password !== 'x-oauth-basic' && user.length < 20;
			return `${scheme}${keepUser ? user : redacted}:${redacted}@`;
		});
	}
	if (hasAssignment) out = redactAssignments(out);
	return out;
}

/** A loop rather than replace(): a value that is not secret may itself be the name of the next assignment
 * (`key: aws_secret_access_key = ...`), so the scan resumes at the value, not after it. */
function redactAssignments(text: string): string {
	let out = '';
	let copied = 0;
	assignment.lastIndex = 0;
	for (let m = assignment.exec(text); m; m = assignment.exec(text)) {
		const [, name, op, value] = m as unknown as [string, string, string, string];
		const valueAt = m.index + name.length + op.length;
		if (isSecretAssignment(name, op, value)) {
			out += text.slice(copied, valueAt) + redacted;
			copied = valueAt + value.length;
			assignment.lastIndex = copied;
		} else assignment.lastIndex = valueAt;
	}
	return copied === 0 ? text : out + text.slice(copied);
}

/** `=` with any name that looks secret; `:` (prose as much as config) only with a strong word and a value that
 * looks like a credential, so `Session: 3` and `cache key: sha256:...` stay. */
function isSecretAssignment(name: string, op: string, value: string): boolean {
	if (notSecretValue.test(value)) return false;
	if (op.includes('=')) return isSecretName(name);
	return secretWords.test(name) && value.length >= 8 && /\d/.test(value);
}

/** Redacts text and whole JSON values; knows the session's literal secret values. */
export type Redactor = {
	/** Every known secret value and credential shape in `text` replaced by ***. */
	text: (text: string) => string;
	/** A JSON value (an event, a build record, a summary) with every string redacted: the same object when nothing
	 * changed, a copy of the changed branches otherwise. */
	value: <T>(value: T) => T;
	/** Text from bxtop's own side (its argv, its messages, the buildx client's lines): redacted, and local paths
	 * made shareable by the session's path rule. A build's logs name the container's paths and use `text`. */
	local: (text: string) => string;
	/** `value` with `local` for every string. */
	localValue: <T>(value: T) => T;
	/** Where a live stream must hold back the end of `text`: a secret may go on in the next chunk. */
	holdFrom: (text: string) => number;
	/** Whether the end of `text` is an unfinished secret (a key block, the start of a known value) that the next
	 * chunk must be joined to, whatever it starts with; an unfinished word ends at the next non-word character. */
	isOpen: (text: string) => boolean;
	/** The literal values it scrubs (longest first). */
	values: readonly string[];
};

/** Characters a token can hold: a run of them at the end of a chunk may be the first half of a secret. */
const wordChars = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.:/+=@') wordChars[c.charCodeAt(0)] = 1;
/** Whether the character at `index` can be part of a token (a table: a regex test per character costs more). */
export const isWordChar = (text: string, index: number): boolean => wordChars[text.charCodeAt(index)] === 1;
/** The longest token held whole (a 1Password service account token runs to about 1300 characters). */
const maxHeldWord = 2048;
/** A PEM block is held until its END line, up to this size (an RSA-4096 key is about 3.3 kB). */
const maxHeldBlock = 16_384;

/** Where the run of word characters at the end of `text` starts (text.length when there is none). A backward scan:
 * an end-anchored regex would try every position of a long chunk. */
function trailingWordStart(text: string): number {
	let i = text.length;
	const stop = Math.max(0, text.length - maxHeldWord);
	while (i > stop && isWordChar(text, i - 1)) i--;
	return i;
}

/** Where an unfinished `-----BEGIN ...` block at the end of `text` starts (text.length when there is none). */
function openBlockStart(text: string): number {
	const begin = text.lastIndexOf('-----BEGIN', text.length);
	if (begin < 0 || text.length - begin > maxHeldBlock) return text.length;
	return /-----END[A-Z0-9 ]*-----/.test(text.slice(begin)) ? text.length : begin;
}

/** Where the longest end of `text` that begins a secret value starts (text.length when none does). */
function openValueStart(text: string, values: readonly string[]): number {
	let start = text.length;
	for (const value of values) {
		const from = Math.max(0, text.length - value.length + 1);
		for (let i = text.indexOf(value[0]!, from); i >= 0 && i < start; i = text.indexOf(value[0]!, i + 1)) {
			if (value.startsWith(text.slice(i))) {
				start = i;
				break;
			}
		}
	}
	return start;
}

export function createRedactor(secretValues: readonly string[] = [], sharePaths: (text: string) => string = text => text): Redactor {
	// longest first, so a value that contains another goes whole
	const values = [...new Set(secretValues.flatMap(literalForms))].sort((a, b) => b.length - a.length);
	const scrub = (input: string): string => {
		let out = input;
		for (const v of values) if (out.includes(v)) out = out.split(v).join(redacted); // values holds the escaped forms too
		return out;
	};
	const text = (input: string): string => redactText(values.length > 0 ? scrub(input) : input);
	const value = <T>(input: T): T => mapStrings(input, text);
	const openStart = (input: string): number => {
		let start = input.length;
		if (input.includes('-----BEGIN')) start = openBlockStart(input);
		if (values.length > 0) start = Math.min(start, openValueStart(input, values));
		return start;
	};
	const holdFrom = (input: string): number => Math.min(trailingWordStart(input), openStart(input));
	const isOpen = (input: string): boolean => openStart(input) < input.length;
	const local = (input: string): string => text(sharePaths(input));
	const localValue = <T>(input: T): T => mapStrings(input, local);
	return {text, value, local, localValue, holdFrom, isOpen, values};
}

/** The shapes only: for text bxtop did not see come with its secrets (a capture, an old recording). */
export const shapeRedactor = createRedactor();

/** A value as it may appear: itself, trimmed (`$(cat file)` drops the newline), each long line of a multi-line
 * value (`.npmrc`, a key file printed line by line), JSON-escaped. Too short to be told from ordinary text: none. */
function literalForms(value: string): string[] {
	const forms = new Set<string>();
	const add = (v: string) => {
		if (v.length >= 4) forms.add(v);
	};
	add(value);
	add(value.trim());
	if (value.includes('\n')) for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) add(line.trim());
	for (const form of [...forms]) add(JSON.stringify(form).slice(1, -1));
	return [...forms];
}

/** Replaces each literal secret value (and its JSON-escaped form) by ***. */
export function scrubValues(text: string, values: readonly string[]): string {
	let out = text;
	for (const value of values) {
		if (out.includes(value)) out = out.split(value).join(redacted);
		const escaped = JSON.stringify(value).slice(1, -1);
		if (escaped !== value && out.includes(escaped)) out = out.split(escaped).join(redacted);
	}
	return out;
}

/** `input` with `map` applied to every string in it (object keys stay). Unchanged branches are not copied. */
export function mapStrings<T>(input: T, map: (text: string) => string): T {
	if (typeof input === 'string') return map(input) as T;
	if (typeof input !== 'object' || input === null) return input;
	if (Array.isArray(input)) {
		let out: unknown[] | undefined;
		for (let i = 0; i < input.length; i++) {
			const item: unknown = input[i];
			const next = mapStrings(item, map);
			if (next !== item) (out ??= input.slice())[i] = next;
		}
		return (out ?? input) as T;
	}
	let out: Record<string, unknown> | undefined;
	const record = input as Record<string, unknown>;
	for (const key in record) {
		const item = record[key];
		const next = mapStrings(item, map);
		if (next !== item) (out ??= {...record})[key] = next;
	}
	return (out ?? input) as T;
}
