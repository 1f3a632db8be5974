// Issue 12's secret matrix on a REAL build (old stack daemon, the built bxtop): a RUN step prints a wide set of
// credential shapes (one per rule of secretlint's recommended preset, and the cases no rule covers) that reach it
// as a --secret file, a --secret env variable, build args with secret-looking names, a file of the context and
// literals in the Dockerfile itself. The recording, the --json summary and the report must hold none of them:
// secretlint (the independent oracle) finds nothing, and a literal search finds none of the injected values.
// The same files must hold no local absolute path.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os, {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {describeDocker} from '../helpers/docker.js';
import {makeContext, nonce, runCli} from '../helpers/e2e.js';
import {credentialShapes, literalHits, pemBlock, secretlintFindings} from '../helpers/credentials.js';
import type {SessionSummary} from '../../source/report/json-summary.js';

const localPaths = /(?<![\w.~-])\/(?:tmp|root|home|work)\//;

describeDocker('no secret and no local path in what bxtop writes (real build)', () => {
	const homeDir = path.join(os.homedir(), `.bxtop-e2e-${nonce()}`);
	afterAll(() => rmSync(homeDir, {recursive: true, force: true}));

	test('the secret matrix: recording, --json summary and report pass secretlint and a literal search', {timeout: 180_000}, async () => {
		const id = nonce();
		const shapes = credentialShapes(id.length * 7919 + Date.now() % 1000);
		const fileSecret = `file-secret-${id}-no-known-shape`;
		const envSecret = `env-secret-${id}-also-shapeless`;
		const args: Record<string, string> = {
			MY_DB_PASS: `db-pass-${id}`,
			SENTRY_DSN: `https://${id}0123456789abcdef0123@o1.ingest.sentry.io/42`,
			API_PWD: `api-pwd-${id}`,
			GPG_SIGNING_KEY: `signing-${id}`,
			PASSWORD_SALT: `salt-${id}`,
			TLS_CERT: `cert-${id}`,
			AWS_CREDENTIALS: `creds-${id}`,
			HF_TOKEN: `hf-token-${id}`,
		};
		const inline = {google: `AIza${id.padEnd(35, 'Q')}`.slice(0, 39), github: `ghp_${id.padEnd(36, 'x')}`.slice(0, 40)};
		const pem = pemBlock(id.length + 77);
		const marker = `printed-${id}`;
		const secretsDir = mkdtempSync(path.join(tmpdir(), 'bxtop-secrets-'));
		const secretFile = path.join(secretsDir, 'secret.txt');
		writeFileSync(secretFile, `${fileSecret}\n`);
		const context = makeContext(
			[
				...Object.keys(args).map(name => `ARG ${name}`),
				'COPY shapes.txt /shapes.txt',
				// as debug output and failing installers do: the inputs printed, a literal in the Dockerfile itself
				`RUN --mount=type=secret,id=mysecret --mount=type=secret,id=envsecret echo ${marker} && cat /run/secrets/mysecret && cat /run/secrets/envsecret && echo && ` +
					Object.keys(args).map(name => `echo "${name}=$${name} raw $${name}"`).join(' && ') +
					` && cat /shapes.txt && echo "inline ${inline.google} ${inline.github}" && echo done-${id}`,
			],
			{'shapes.txt': [...shapes.map(s => `${s.name}: ${s.printed}`), `GCP: {"private_key": ${JSON.stringify(pem.block + '\n')}}`].join('\n') + '\n'},
		);
		mkdirSync(homeDir, {recursive: true});
		const recording = path.join(homeDir, 'secrets.bxrec'); // the home directory in --record: stored as ~
		const summaryFile = path.join(tmpdir(), `bxtop-secrets-${id}.json`);
		const run = await runCli(
			[
				'build', '--plain', '--no-cache', '--platform', 'linux/amd64', '--network=none',
				'--secret', `id=mysecret,src=${secretFile}`, '--secret', 'id=envsecret,env=BXTOP_E2E_ENV_SECRET',
				...Object.entries(args).flatMap(([name, value]) => ['--build-arg', `${name}=${value}`]),
				'--record', recording, '--json', summaryFile, context,
			],
			{env: {BXTOP_E2E_ENV_SECRET: envSecret}},
		);
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const reportMd = path.join(homeDir, 'report.md');
		const reportJson = path.join(homeDir, 'report.json');
		expect((await runCli(['report', recording, '-o', reportMd])).code).toBe(0);
		expect((await runCli(['report', recording, '-o', reportJson])).code).toBe(0);

		const written = {
			recording: readFileSync(recording, 'utf8'),
			summary: readFileSync(summaryFile, 'utf8'),
			reportMd: readFileSync(reportMd, 'utf8'),
			reportJson: readFileSync(reportJson, 'utf8'),
			plainOutput: run.stdout,
		};
		// not vacuous: the step ran and its output is in the recording, redacted
		expect(written.recording).toContain(marker);
		expect(written.recording).toContain(`done-${id}`);
		expect(written.recording).toContain('MY_DB_PASS=*** raw ***');
		expect(written.recording).toContain('sentry dsn (user-info without a password): https://***@o1.ingest.sentry.io/42');
		expect(JSON.parse(written.summary) as SessionSummary).toMatchObject({result: 'completed', builds: [{status: 'done'}]});
		expect(written.reportMd).toContain('linux/amd64');

		const injected = [
			fileSecret, envSecret, ...Object.values(args), inline.google, inline.github, pem.block, ...pem.lines,
			...shapes.flatMap(s => s.secrets!),
		];
		for (const [name, text] of Object.entries(written)) {
			expect(await secretlintFindings(text), `secretlint on the ${name}`).toEqual([]);
			expect(literalHits(text, injected), `injected values in the ${name}`).toEqual([]);
		}
		// local paths: the --record path under home, temp contexts and secret files, the metadata file
		for (const [name, text] of Object.entries(written).filter(([n]) => n !== 'plainOutput')) {
			expect(text.split('\n').filter(line => localPaths.test(line)), `local paths in the ${name}`).toEqual([]);
		}
		expect(written.recording).toContain('"--record","~/');
		expect(written.recording).toContain(`<tmp>/${path.basename(context)}`);
		rmSync(secretsDir, {recursive: true, force: true});
		rmSync(summaryFile, {force: true});
	});
});
