// `bxtop report` as the CLI calls it: runReport(args, {stdout, stderr, cwd}) over recordings assembled from the
// REAL captures, in a temporary working directory.
import {mkdtempSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {parseReportArgs, runReport} from '../../source/report/run-report.js';
import {realSession, sessions, writeRecording} from './real-sessions.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-run-report-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const recordings = path.join(dir, 'recordings');
mkdirSync(recordings);
writeRecording(path.join(recordings, 'a-cold.bxrec'), realSession(sessions.cold));
writeRecording(path.join(recordings, 'b-warm.bxrec.gz'), realSession(sessions.warm));
// the cold one is the most recently modified: "latest" goes by modification time, not by name
utimesSync(path.join(recordings, 'b-warm.bxrec.gz'), new Date('2026-11-29T10:00:00Z'), new Date('2026-11-29T10:00:00Z'));
utimesSync(path.join(recordings, 'a-cold.bxrec'), new Date('2026-11-29T11:00:00Z'), new Date('2026-11-29T11:00:00Z'));

async function run(args: string[], cwd = dir) {
	let stdout = '';
	let stderr = '';
	const code = await runReport(args, {stdout: {write: t => (stdout += t)}, stderr: {write: t => (stderr += t)}, cwd});
	return {code, stdout, stderr};
}

describe('runReport', () => {
	test('no arguments: the latest recording in ./recordings, Markdown on stdout', async () => {
		const {code, stdout, stderr} = await run([]);
		expect(code).toBe(0);
		expect(stderr).toBe('');
		expect(stdout).toContain('# Docker Build Performance Metrics');
		expect(stdout).toContain('## Session 2026-11-29 10:41:54 UTC (`a-cold.bxrec`)');
		expect(stdout).not.toContain('TBD');
	});

	test('-o FILE writes the file and says so on stderr', async () => {
		const {code, stdout, stderr} = await run(['recordings/a-cold.bxrec', 'recordings/b-warm.bxrec.gz', '-o', 'BUILD_METRICS.md']);
		expect(code).toBe(0);
		expect(stdout).toBe('');
		expect(stderr).toBe('bxtop report: wrote BUILD_METRICS.md (2 recordings)\n');
		const text = readFileSync(path.join(dir, 'BUILD_METRICS.md'), 'utf8');
		expect(text).toContain('| 2026-11-29 10:42:50 | scenario | amd64, arm64 | 4.1s | -43.0s vs 2026-11-29 10:41 | Warm (20/20) |  |');
	});

	test('--format json on stdout; -o x.json picks JSON from the extension', async () => {
		const json = await run(['--format', 'json', 'recordings/b-warm.bxrec.gz']);
		expect(json.code).toBe(0);
		const parsed = JSON.parse(json.stdout) as {schemaVersion: number; sessions: {builds: {durationMs: number}[]}[]};
		expect(parsed.schemaVersion).toBe(1);
		expect(parsed.sessions[0]!.builds[0]!.durationMs).toBe(4145);
		const file = await run(['recordings/b-warm.bxrec.gz', '--output=out.json']);
		expect(file.code).toBe(0);
		expect(JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'))).toEqual(parsed);
	});

	test('a directory argument reports every recording in it', async () => {
		const {code, stdout} = await run(['recordings', '--format=json']);
		expect(code).toBe(0);
		expect((JSON.parse(stdout) as {recordingsRead: number}).recordingsRead).toBe(2);
	});

	test('missing and damaged files: clear errors, the rest still reported, exit code 1', async () => {
		writeFileSync(path.join(dir, 'notes.bxrec'), 'just some notes\n');
		const {code, stdout, stderr} = await run(['recordings/a-cold.bxrec', 'gone.bxrec', 'notes.bxrec', 'recordings/*.bxrec.bak']);
		expect(code).toBe(1);
		expect(stderr.split('\n')).toEqual([
			'bxtop report: gone.bxrec: no such file',
			'bxtop report: recordings/*.bxrec.bak: no recording matches this pattern (the shell did not expand it)',
			'bxtop report: notes.bxrec: line 1 is not JSON: not a bxtop recording',
			'',
		]);
		expect(stdout).toContain('> **Unreadable recording** `gone.bxrec`: no such file');
		expect(stdout).toContain('> **Unreadable recording** `notes.bxrec`: line 1 is not JSON: not a bxtop recording');
		expect(stdout).toContain('## Session 2026-11-29 10:41:54 UTC (`a-cold.bxrec`)');
	});

	test('a truncated recording is reported with its damage (exit 0: the readable part is there)', async () => {
		const text = readFileSync(path.join(recordings, 'a-cold.bxrec'), 'utf8');
		writeFileSync(path.join(dir, 'cut.bxrec'), text.slice(0, text.length - 40));
		const {code, stdout, stderr} = await run(['cut.bxrec']);
		expect(code).toBe(0);
		expect(stderr).toMatch(/^bxtop report: cut\.bxrec: line \d+: truncated or malformed JSON \(the readable part is reported\)\n$/);
		expect(stdout).toMatch(/> \*\*Damaged recording\*\*: line \d+: truncated or malformed JSON\. Figures below use the readable part\./);
	});

	test('nothing to report: exit 1 with the reason', async () => {
		const empty = mkdtempSync(path.join(tmpdir(), 'bxtop-run-report-empty-'));
		try {
			const {code, stdout, stderr} = await run([], empty);
			expect(code).toBe(1);
			expect(stdout).toBe('');
			expect(stderr).toBe(`bxtop report: recordings/: no recordings (*.bxrec) in ${path.join(empty, 'recordings')}; pass recording files or a directory\n`);
		} finally {
			rmSync(empty, {recursive: true, force: true});
		}
	});

	test('usage errors: exit 2 with the usage; --help: exit 0', async () => {
		const bad = await run(['--format', 'html']);
		expect(bad.code).toBe(2);
		expect(bad.stderr).toMatch(/^bxtop report: --format must be md or json, not "html"\n\nUsage: bxtop report/);
		expect((await run(['--frobnicate'])).stderr).toMatch(/^bxtop report: unknown option --frobnicate/);
		expect((await run(['-o'])).code).toBe(2);
		const help = await run(['--help']);
		expect(help.code).toBe(0);
		expect(help.stdout).toMatch(/^Usage: bxtop report/);
	});

	test('an unwritable output: exit 1, nothing written', async () => {
		const {code, stderr} = await run(['recordings/a-cold.bxrec', '-o', 'no/such/dir/out.md']);
		expect(code).toBe(1);
		expect(stderr).toMatch(/^bxtop report: cannot write no\/such\/dir\/out\.md: ENOENT/);
		expect(existsSync(path.join(dir, 'no'))).toBe(false);
	});

	test('parseReportArgs', () => {
		expect(parseReportArgs(['a.bxrec', '-o', 'x.md', '--format', 'json'])).toEqual({files: ['a.bxrec'], output: 'x.md', format: 'json', help: false});
		expect(parseReportArgs(['--output=x.md'])).toEqual({files: [], output: 'x.md', help: false});
	});
});
