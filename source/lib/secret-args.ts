// What a docker / bxtop command line says about secrets: the argv as it may be shown (secret values and sources
// replaced by ***), and where the secret values come from (build args, variables, `--secret` files), so they can
// be scrubbed wherever they echo. Pure: the environment is passed in, files are named, not read.
import {isSecretName, redactText, redacted} from './redact.js';

/** Flags whose value may carry a secret, and how to redact the value. */
const valueFlags = new Set(['--build-arg', '--secret', '--ssh', '--set', '--env', '-e']);

/**
 * Redacts a docker / bxtop argv: `--secret id=x,src=PATH` and `--ssh default=PATH` keep only their ids;
 * `--build-arg NAME=value` keeps the value unless NAME looks secret; any value gets credential-shape redaction.
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

/** Where the secret values of a command line are: literal values, and files whose content is secret. */
export type SecretSources = {values: string[]; files: string[]};

/**
 * The secrets of a command line: secret-looking build args given a value (`--build-arg HF_TOKEN=abc`) or taken
 * from the environment (`--build-arg HF_TOKEN`, `--set t.args.DB_PASS=x`), `--secret` values read from the
 * environment (`env=VAR`, `type=env,src=VAR`, or an id that names a variable), and `--secret` files
 * (`src=FILE`, `source=FILE`; as given, relative to the build's working directory).
 */
export function secretSourcesOf(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): SecretSources {
	const sources: SecretSources = {values: [], files: []};
	const add = (value: string | undefined) => {
		if (value && value.length >= 4) sources.values.push(value);
	};
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		let value: string | undefined;
		let flag = arg;
		if (arg === '--build-arg' || arg === '--env' || arg === '-e' || arg === '--secret' || arg === '--set') value = argv[i + 1];
		else if (/^--(build-arg|secret|set)=/.test(arg)) {
			flag = arg.slice(0, arg.indexOf('='));
			value = arg.slice(flag.length + 1);
		}
		if (!value) continue;
		if (flag === '--secret') {
			const fields = csvFields(value);
			const src = fields.src ?? fields.source;
			if (fields.env) add(env[fields.env]);
			else if (fields.type === 'env') add(env[src ?? fields.id ?? '']);
			else if (src) sources.files.push(src);
			else if (fields.id) add(env[fields.id]);
			continue;
		}
		const eq = value.indexOf('=');
		const name = (eq > 0 ? value.slice(0, eq) : value).split('.').pop()!;
		if (!isSecretName(name)) continue;
		if (eq > 0) add(value.slice(eq + 1));
		else if (flag !== '--set') add(env[name]);
	}
	return sources;
}

/** The literal secret values of a command line (those from files aside). */
export function collectSecretValues(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): string[] {
	return secretSourcesOf(argv, env).values;
}

function csvFields(value: string): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const field of value.split(',')) {
		const eq = field.indexOf('=');
		if (eq > 0) fields[field.slice(0, eq).trim()] = field.slice(eq + 1);
	}
	return fields;
}
