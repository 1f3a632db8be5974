// runDocker (preflight's questions, `bake --print`) against SYNTHETIC `docker` scripts first on PATH: its output and
// exit code, a process group that ignores SIGTERM at the timeout is SIGKILLed (the signal is told), and a docker
// that is not there is an error code, not a throw.
import {chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {runDocker} from '../../source/sources/docker-command.js';
import {waitFor} from '../helpers/e2e.js';

const dirs: string[] = [];
const tempDir = () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-docker-command-'));
	dirs.push(dir);
	return dir;
};
afterAll(() => {
	for (const dir of dirs) rmSync(dir, {recursive: true, force: true});
});

/** A directory holding a `docker` shell script with this body, and the env that puts it first on PATH. */
function fakeDocker(body: string): NodeJS.ProcessEnv {
	const dir = tempDir();
	const file = path.join(dir, 'docker');
	writeFileSync(file, `#!/bin/sh\n${body}\n`);
	chmodSync(file, 0o755);
	return {...process.env, PATH: `${dir}:${process.env.PATH ?? '/usr/bin:/bin'}`};
}

/** A process's state letter (Z: a zombie), or 'gone'. */
function processState(pid: string): string {
	try {
		return readFileSync(`/proc/${pid}/stat`, 'utf8').split(' ')[2]!;
	} catch {
		return 'gone';
	}
}

test('stdout and stderr without their final newline, and the exit code', async () => {
	const env = fakeDocker(`printf 'out %s\\n' "$*"; echo 'ERROR: no' >&2; exit 3`);
	expect(await runDocker(['buildx', 'bake', '--print'], {env})).toEqual({exitCode: 3, stdout: 'out buildx bake --print', stderr: 'ERROR: no'});
});

test('a group that ignores SIGTERM at the timeout gets SIGKILL 2 s later, its children too', async () => {
	// the shell ignores TERM, and so does the sleep it starts (an ignored signal stays ignored across exec)
	const pidFile = path.join(tempDir(), 'sleep.pid');
	const env = fakeDocker(`trap '' TERM; echo started; sleep 30 & echo $! > '${pidFile}'; wait; echo never`);
	const start = Date.now();
	// 1 s: the script has long set its trap when SIGTERM comes, even on a loaded runner
	const run = await runDocker(['version'], {env, timeoutMs: 1_000});
	const elapsed = Date.now() - start;
	expect(run).toEqual({signal: 'SIGKILL', stdout: 'started', stderr: ''});
	expect(elapsed).toBeGreaterThanOrEqual(3_000);
	expect(elapsed).toBeLessThan(12_000);
	// the script's own child was in the group: gone too (a zombie at most, until init reaps it; the kill lands
	// within moments of the pipes' close)
	const sleepPid = readFileSync(pidFile, 'utf8').trim();
	await waitFor(() => ['gone', 'Z'].includes(processState(sleepPid)), 2_000, 'the sleep to be killed');
});

test('no docker on PATH: ENOENT, not a throw', async () => {
	const env = {...process.env, PATH: tempDir()};
	expect(await runDocker(['version'], {env})).toEqual({code: 'ENOENT', stdout: '', stderr: ''});
});
