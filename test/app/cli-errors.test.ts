// Bad input gets one clear line and loses nothing else (no Docker needed: `watch` reads a real capture).
import {readFileSync} from 'node:fs';
import {expect, test} from 'vitest';
import {runCli} from '../helpers/e2e.js';
import {realDir} from '../helpers/captures.js';

const capture = readFileSync(`${realDir}/02-warm-multiplatform-oci.stderr.rawjson`, 'utf8');

test('watch of a file that does not exist: one line, exit 2', async () => {
	const run = await runCli(['watch', '/nonexistent/build.json', '--plain', '--no-record']);
	expect(run.code).toBe(2);
	expect(run.stderr).toBe('bxtop: watch: cannot read /nonexistent/build.json: ENOENT\n');
});

test('an unwritable --json path is reported; the session and its exit code stand', async () => {
	const run = await runCli(['watch', '-', '--plain', '--no-record', '--json', '/nonexistent/dir/summary.json'], {input: capture});
	expect(run.code).toBe(0);
	expect(run.stderr).toBe('bxtop: could not write --json /nonexistent/dir/summary.json: ENOENT\n');
	expect(run.stdout).toContain('bxtop: 1 build: 1 done, 0 failed');
});

test('unknown commands and bad flag values: one line, exit 2', async () => {
	const unknown = await runCli(['frobnicate']);
	expect([unknown.code, unknown.stderr]).toEqual([2, 'bxtop: unknown command "frobnicate" (try bxtop --help)\n']);
	const bad = await runCli(['build', '--concurrency', 'lots', '.']);
	expect([bad.code, bad.stderr]).toEqual([2, 'bxtop: --concurrency takes a positive number, not "lots"\n']);
});
