// Credential shapes for the redaction tests: one per rule of secretlint's recommended preset (each checked to be
// found by secretlint itself, so the oracle is known to see it), and the cases of issue 12 that no rule covers
// (a Sentry DSN, a Google API key, a secret build arg without a shape, a --secret file's content). All made up:
// generated from a seed, never real credentials.
import {lintSource} from '@secretlint/core';
import {creator} from '@secretlint/secretlint-rule-preset-recommend';

/** A deterministic stream of characters from `alphabet` (xorshift): the same shapes every run, no real key. */
function generator(seed: number) {
	let x = seed >>> 0 || 1;
	return (alphabet: string, length: number) => {
		let out = '';
		for (let i = 0; i < length; i++) {
			x ^= x << 13;
			x ^= x >>> 17;
			x ^= x << 5;
			out += alphabet[(x >>> 0) % alphabet.length];
		}
		return out;
	};
}

const alnum = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const b64 = `${alnum}+/`;
const hex = '0123456789abcdef';

export type Credential = {
	name: string;
	/** The text a build prints. */
	printed: string;
	/** The parts that must not survive anywhere (the printed text itself when absent). */
	secrets?: string[];
	/** The secretlint rule that finds it (undefined: a case no rule of the preset covers). */
	rule?: string;
};

/** A PEM private key block: base64 body starting with the ASN.1 SEQUENCE bytes (`MI`), 64 columns. */
export function pemBlock(seed: number, label = 'RSA PRIVATE KEY'): {block: string; lines: string[]} {
	const gen = generator(seed);
	const body = `MIIEow${gen(b64, 378)}`;
	const lines = body.match(/.{1,64}/g)!;
	return {block: [`-----BEGIN ${label}-----`, ...lines, `-----END ${label}-----`].join('\n'), lines};
}

/** A 1Password service account token: `ops_` and the base64 of a JSON object (the rule decodes it). */
function onePasswordToken(seed: number): string {
	const gen = generator(seed);
	for (let pad = 0; ; pad++) {
		const json = JSON.stringify({signInAddress: 'my.1password.com', userAuth: {method: 'SRPg-4096', alg: 'PBES2g-HS256', salt: gen(alnum, 22 + pad)}, email: `${gen(hex, 8)}@1passwordserviceaccounts.com`, srpX: gen(hex, 64), muk: {alg: 'A256GCM', ext: true, k: gen(alnum, 43)}, secretKey: `A3-${gen(alnum, 6)}`, throttleSecret: {seed: gen(hex, 64)}, deviceUuid: gen(alnum, 26)});
		const token = Buffer.from(json).toString('base64');
		if (token.endsWith('fQ==') || token.endsWith('fQ')) return `ops_${token.replace(/=+$/, '')}`;
	}
}

/** The wide set the end-to-end test prints and the unit tests redact. `seed` varies them between runs. */
export function credentialShapes(seed = 12): Credential[] {
	const gen = generator(seed);
	const pem = pemBlock(seed + 1);
	const ssh = pemBlock(seed + 2, 'OPENSSH PRIVATE KEY');
	const awsSecret = gen(alnum, 40);
	const awsKeyId = `AKIA${gen('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
	const npmrc = `${gen(hex, 8)}-${gen(hex, 4)}-${gen(hex, 4)}-${gen(hex, 12)}`;
	const basicPassword = gen(alnum, 16);
	const bearer = gen(alnum, 40);
	const dbPasswords = [gen(alnum, 14), gen(alnum, 14), gen(alnum, 14)];
	return [
		{name: 'aws secret access key', printed: `aws_secret_access_key = ${awsSecret}`, secrets: [awsSecret], rule: 'aws'},
		{name: 'aws access key id', printed: `AWS_ACCESS_KEY_ID=${awsKeyId}`, secrets: [awsKeyId]},
		{name: 'rsa private key', printed: pem.block, secrets: [pem.block, ...pem.lines], rule: 'privatekey'},
		{name: 'openssh private key', printed: ssh.block, secrets: [ssh.block, ...ssh.lines], rule: 'privatekey'},
		{name: 'npm access token', printed: `npm_${gen(alnum, 36)}`, rule: 'npm'},
		{name: 'npmrc auth token', printed: `//registry.npmjs.org/:_authToken=${npmrc}`, secrets: [npmrc], rule: 'npm'},
		{name: 'basic auth url', printed: `https://deploy:${basicPassword}@registry.example.com/simple`, secrets: [basicPassword], rule: 'basicauth'},
		{name: 'slack bot token', printed: `xoxb-${gen('0123456789', 12)}-${gen('0123456789', 13)}-${gen(alnum, 24)}`, rule: 'slack'},
		{name: 'slack webhook', printed: `https://hooks.slack.com/services/T${gen(alnum, 8)}/B${gen(alnum, 8)}/${gen(alnum, 24)}`, rule: 'slack'},
		{name: 'sendgrid key', printed: `SG.${gen(alnum, 22)}.${gen(alnum, 43)}`, rule: 'sendgrid'},
		{name: 'shopify token', printed: `shpat_${gen(hex, 32)}`, rule: 'shopify'},
		{name: 'github classic token', printed: `ghp_${gen(alnum, 36)}`, rule: 'github'},
		{name: 'github fine-grained token', printed: `github_pat_${gen(alnum, 22)}_${gen(alnum, 59)}`, rule: 'github'},
		{name: 'openai project key', printed: `sk-proj-${gen(alnum, 74)}T3BlbkFJ${gen(alnum, 74)}`, rule: 'openai'},
		{name: 'openai legacy key', printed: `sk-${gen(alnum, 20)}T3BlbkFJ${gen(alnum, 20)}`, rule: 'openai'},
		{name: 'anthropic key', printed: `sk-ant-api03-${gen(alnum, 93)}AA`, rule: 'anthropic'},
		{name: 'linear key', printed: `lin_api_${gen(alnum, 40)}`, rule: 'linear'},
		{name: '1password service account', printed: onePasswordToken(seed), rule: '1password'},
		{name: 'postgres url', printed: `postgres://admin:${dbPasswords[0]}@db.internal.example:5432/app`, secrets: [dbPasswords[0]!], rule: 'database-connection-string'},
		{name: 'mongodb url', printed: `mongodb+srv://root:${dbPasswords[1]}@cluster0.example.net/test`, secrets: [dbPasswords[1]!], rule: 'database-connection-string'},
		{name: 'mysql url', printed: `mysql://app:${dbPasswords[2]}@mysql.internal.example/db`, secrets: [dbPasswords[2]!], rule: 'database-connection-string'},
		// issue 12's cases that no rule of the preset covers
		{name: 'sentry dsn (user-info without a password)', printed: `https://${gen(hex, 32)}@o1.ingest.sentry.io/42`},
		{name: 'google api key', printed: `AIza${gen(`${alnum}_-`, 35)}`},
		{name: 'gitlab token', printed: `glpat-${gen(alnum, 20)}`},
		{name: 'hugging face token', printed: `hf_${gen(alnum, 34)}`},
		{name: 'bearer header', printed: `Authorization: Bearer ${bearer}`, secrets: [bearer]},
		{name: 'jwt', printed: `eyJ${gen(alnum, 20)}.eyJ${gen(alnum, 40)}.${gen(alnum, 43)}`},
	].map((c: Omit<Credential, 'secrets'> & {secrets?: string[]}) => ({...c, secrets: c.secrets ?? [c.printed]}));
}

const oracleConfig = {rules: [{id: creator.meta.id, rule: creator}]};

/**
 * What secretlint's recommended preset finds in `text`: `rule: matched text` for each finding. Read twice, as a
 * file without a name (the package.json rules) and as an .npmrc (the `_authToken=` rule), so every rule looks.
 */
export async function secretlintFindings(text: string): Promise<string[]> {
	const findings = new Set<string>();
	for (const filePath of [undefined, '.npmrc']) {
		const source = {content: text, contentType: 'text' as const, filePath: filePath ?? 'output', ext: filePath ? '.npmrc' : '.txt'};
		const result = await lintSource({source, options: {config: oracleConfig, noPhysicFilePath: filePath === undefined}});
		for (const m of result.messages) findings.add(`${m.ruleId.replace('@secretlint/secretlint-rule-', '')}: ${text.slice(m.range[0], m.range[1])}`);
	}
	return [...findings];
}

/** The secret parts that occur in `text`, literally or JSON-escaped. */
export function literalHits(text: string, secrets: readonly string[]): string[] {
	return secrets.filter(s => s.length >= 4 && (text.includes(s) || text.includes(JSON.stringify(s).slice(1, -1))));
}
