// `bxtop bake` in a real terminal (tmux) while `docker buildx bake --print` hangs: its bake file is a FIFO nobody
// writes, so the real buildx plugin blocks in its read (and ignores SIGTERM there). q quits with 130 and leaves no
// docker process: bake --print runs in a process group of its own that bxtop's exit kills. Meanwhile the starting
// frame says it waits for bake --print.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {describeDocker} from '../helpers/docker.js';
import {cliPath, waitFor} from '../helpers/e2e.js';
import {killTmuxSession, tmux} from '../helpers/tmux.js';

const session = `bxtop-bake-quit-${process.pid}`;
const killSession = () => killTmuxSession(session);
const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-bake-quit-'));
const fifo = path.join(dir, 'defs.hcl');

afterAll(() => {
	killSession();
	// a failed run must not leave its docker processes behind: they are in a session of their own (tmux's hangup
	// does not reach them) and the plugin blocked on the FIFO ignores SIGTERM
	for (const {pid} of processesNaming(fifo)) {
		try {
			process.kill(pid, 'SIGKILL');
		} catch {
			// gone
		}
	}
	rmSync(dir, {recursive: true, force: true});
});

/** Processes (not the shell or tmux that started bxtop) whose command line names `file`. */
function processesNaming(file: string): {pid: number; argv: string[]}[] {
	const found: {pid: number; argv: string[]}[] = [];
	for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
		try {
			const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
			if (argv.includes(file) && !/^(sh|tmux)$/.test(path.basename(argv[0]!))) found.push({pid: Number(pid), argv});
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}

/** The docker CLI's and the buildx plugin's processes among them (bxtop's own node process names the file too). */
const dockerProcesses = () => processesNaming(fifo).filter(p => /^docker(-buildx)?$/.test(path.basename(p.argv[0]!)));

describeDocker('bxtop bake while bake --print hangs', () => {
	test('the starting frame names bake --print; q quits with 130, no docker process left, terminal restored', async () => {
		execFileSync('mkfifo', [fifo]);
		killSession();
		const script = `'${process.execPath}' '${cliPath}' bake --no-record -f '${fifo}'; echo $? > ${dir}/code; stty -a > ${dir}/stty; touch ${dir}/done`;
		tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', 'sh', '-c', `${script}; sleep 30`);
		// preflight answered and bake --print is blocked on the FIFO: the docker CLI and its buildx plugin
		await waitFor(() => dockerProcesses().some(p => path.basename(p.argv[0]!) === 'docker-buildx'), 30_000, "bake --print's buildx plugin");
		expect(dockerProcesses().map(p => path.basename(p.argv[0]!)).sort()).toEqual(['docker', 'docker-buildx']);
		// the starting frame says what is being waited for
		await waitFor(() => tmux('capture-pane', '-p', '-J', '-t', session).includes('reading the bake definition: docker buildx bake --print'), 5_000, 'the starting frame to name bake --print');
		tmux('send-keys', '-t', session, 'q');
		await waitFor(() => existsSync(path.join(dir, 'done')), 10_000, 'bxtop to exit');
		expect(readFileSync(path.join(dir, 'code'), 'utf8').trim()).toBe('130');
		expect(tmux('capture-pane', '-p', '-J', '-t', session)).toContain('bxtop: quit before the session started: no build ran');
		expect(readFileSync(path.join(dir, 'stty'), 'utf8')).toMatch(/(^|\s)icanon(\s|$)/m);
		await waitFor(() => processesNaming(fifo).length === 0, 5_000, 'no process left reading the bake file');
	}, 60_000);
});
