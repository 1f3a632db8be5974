// Secrets must never reach the screen or a recording: build secret sources, build args whose names look secret,
// and well-known token shapes inside log lines are replaced by ***.

export const redacted = '***';

const secretName = /(TOKEN|SECRET|PASSW(OR)?D|PASSPHRASE|(^|_)KEY($|_)|APIKEY|API_KEY|PRIVATE|CREDENTIAL|AUTH|COOKIE|SESSION)/i;

const tokenShapes: RegExp[] = [
	/\bhf_[A-Za-z0-9]{20,}\b/g, // Hugging Face
	/\bgh[pousr]_[A-Za-z0-9]{20,}\b/g, // GitHub
	/\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
	/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, // AWS access key id
	/\bglpat-[A-Za-z0-9_-]{20,}\b/g, // GitLab
	/\bxox[baprs]-[A-Za-z0-9-]{10,}\b/g, // Slack
	/\bnpm_[A-Za-z0-9]{36}\b/g,
	/\bsk-[A-Za-z0-9_-]{20,}\b/g, // OpenAI-style keys
	/\bdckr_pat_[A-Za-z0-9_-]{20,}\b/g, // Docker Hub
];
const bearer = /\b(Bearer|Basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
const urlCredentials = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s:/@]+):([^\s/@]+)@/gi;

export function isSecretName(name: string): boolean {
	return secretName.test(name);
}

/** Every text a pattern below could match passes this test. Case classes rather than the i flag: V8 runs the
 * alternation about a third faster, and for ASCII letters they match the same. */
const mayHoldToken = /hf_|gh[pousr]_|github_pat_|AKIA|ASIA|glpat-|xox|npm_|sk-|dckr_pat_|[Bb][Ee][Aa][Rr][Ee][Rr]|[Bb][Aa][Ss][Ii][Cc]|[Tt][Oo][Kk][Ee][Nn]/;

/** Replaces token shapes, Authorization values and credentials in URLs. */
export function redactText(text: string): string {
	// Fast path: the hot loop sees mostly ordinary log text (URLs only matter when they carry user:pass@).
	const hasCredentialsUrl = text.includes('@') && text.includes('://');
	if (!hasCredentialsUrl && !mayHoldToken.test(text)) return text;
	let out = text;
	for (const shape of tokenShapes) out = out.replace(shape, redacted);
	out = out.replace(bearer, (_m, scheme: string) => `${scheme} ${redacted}`);
	out = out.replace(urlCredentials, (_m, scheme: string, user: string) => `${scheme}${user}:${redacted}@`);
	return out;
}

/** Flags whose value may carry a secret, and how to redact the value. */
const valueFlags = new Set(['--build-arg', '--secret', '--ssh', '--set', '--env', '-e']);

/**
 * Redacts a docker / bxtop argv: `--secret id=x,src=PATH` and `--ssh default=PATH` keep only their ids;
 * `--build-arg NAME=value` keeps the value unless NAME looks secret; any value gets token-shape redaction.
 */
export function redactArgv(argv: readonly string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const eq = arg.indexOf('=');
		const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
		if (valueFlags.has(flag)) {
			const inline = flag !== arg;
			const value = inline ? arg.slice(eq + 1) : argv[i + 1];
			if (value === undefined) {
				out.push(arg);
				continue;
			}
			const safe = redactFlagValue(flag, value);
			if (inline) out.push(`${flag}=${safe}`);
			else {
				out.push(arg, safe);
				i++;
			}
			continue;
		}
		out.push(redactText(arg));
	}
	return out;
}

function redactFlagValue(flag: string, value: string): string {
	if (flag === '--secret') {
		// id=NAME[,src=PATH|env=VAR] : only the id is safe to keep.
		const id = /(?:^|,)id=([^,]*)/.exec(value)?.[1];
		return id ? `id=${id},${redacted}` : redacted;
	}
	if (flag === '--ssh') {
		const id = value.split('=')[0];
		return value.includes('=') ? `${id}=${redacted}` : value;
	}
	const eq = value.indexOf('=');
	if (eq > 0) {
		// --build-arg NAME=value, --set target.args.NAME=value, --env NAME=value
		const name = value.slice(0, eq);
		const last = name.split('.').pop() ?? name;
		if (isSecretName(last)) return `${name}=${redacted}`;
		return `${name}=${redactText(value.slice(eq + 1))}`;
	}
	return redactText(value);
}

/**
 * The literal values behind secrets, to scrub wherever they echo: secret-looking build args given a value
 * (`--build-arg HF_TOKEN=abc`) or taken from the environment (`--build-arg HF_TOKEN`), and `--secret` values read
 * from the environment (`env=VAR`, or an id that names a variable). Pure: the environment is passed in.
 */
export function collectSecretValues(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): string[] {
	const values: string[] = [];
	const add = (value: string | undefined) => {
		if (value && value.length >= 4) values.push(value);
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		let value: string | undefined;
		let flag = arg;
		if (arg === '--build-arg' || arg === '--env' || arg === '-e' || arg === '--secret') value = argv[i + 1];
		else if (arg.startsWith('--build-arg=') || arg.startsWith('--secret=')) {
			flag = arg.slice(0, arg.indexOf('='));
			value = arg.slice(flag.length + 1);
		}
		if (!value) continue;
		if (flag === '--secret') {
			const fields = Object.fromEntries(value.split(',').map(f => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
			if (fields.env) add(env[fields.env]);
			else if (!fields.src && fields.id) add(env[fields.id]);
			continue;
		}
		const eq = value.indexOf('=');
		if (eq > 0) {
			if (isSecretName(value.slice(0, eq))) add(value.slice(eq + 1));
		} else if (isSecretName(value)) add(env[value]);
	}
	return values;
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
