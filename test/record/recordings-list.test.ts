import {describe, expect, test} from 'vitest';
import {copyFileSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {listRecordings} from '../../source/record/recordings-list.js';
import {sessionFromCapture, writeRecording} from '../helpers/recordings.js';
import {runCli} from '../helpers/e2e.js';

describe('choosing a recording', () => {
	test('listRecordings: newest first, with date, targets, duration and result; unreadable files say why', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-list-'));
		const cold = await writeRecording(sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson'));
		const failed = await writeRecording(sessionFromCapture('09-fail-multiplatform-rawjson.stderr.rawjson', ['linux/amd64', 'linux/arm64'], 1));
		copyFileSync(cold, path.join(dir, 'a-cold.bxrec'));
		copyFileSync(failed, path.join(dir, 'b-failed.bxrec'));
		writeFileSync(path.join(dir, 'c-broken.bxrec'), 'not a recording\n');
		const listings = await listRecordings(dir);
		expect(listings.map(l => path.basename(l.file))).toEqual(['b-failed.bxrec', 'a-cold.bxrec', 'c-broken.bxrec']);
		expect(listings[0]!.label).toBe('2026-11-29 10:46  backend-cpu  0.2s  failed');
		expect(listings[1]!.label).toBe('2026-11-29 10:41  backend-cpu  47.1s  completed');
		expect(listings[2]!.label).toMatch(/^c-broken\.bxrec  \(unreadable: .*not JSON: not a bxtop recording\)$/);
	});

	test('replay without a file and without a terminal lists the recordings and says how to play one', async () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'bxtop-list-'));
		const run = await runCli(['replay'], {cwd});
		expect(run.code).toBe(2);
		expect(run.stderr).toBe('bxtop: no recordings in recordings/: run a build with bxtop first, or give a file\n');
	});
});

describe('recording problems never stop the session', () => {
	test('an unwritable recording path: one visible warning, the session goes on', async () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'bxtop-unwritable-'));
		const capture = path.join(path.dirname(new URL(import.meta.url).pathname), '../fixtures/real/02-warm-multiplatform-oci.stderr.rawjson');
		const {readFileSync} = await import('node:fs');
		const run = await runCli(['watch', '-', '--plain', '--record', '/dev/null/cannot/x.bxrec'], {cwd, input: readFileSync(capture, 'utf8')});
		expect(run.code).toBe(0);
		expect(run.stdout + run.stderr).toMatch(/recording stopped: .*ENOTDIR.*\/dev\/null\/cannot\/x\.bxrec/);
		expect(run.stdout).toMatch(/\[watch linux\/amd64\] done in/);
	});
});
