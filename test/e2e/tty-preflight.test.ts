// The board of `bxtop build` in a real terminal (tmux) before docker has answered its preflight: the first frame
// says what is being asked; q then quits with 130 (its --json result: cancelled) and leaves no docker process; an
// unreachable daemon leaves its one-line error and no board. The real docker CLI talks to a SYNTHETIC daemon: a unix socket that accepts and
// never answers (what a hung daemon does), or no socket at all.
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {cliPath, makeContext, waitFor} from '../helpers/e2e.js';
import {killTmuxSession, tmux} from '../helpers/tmux.js';

const session = `bxtop-preflight-${process.pid}`;
// -J: a line the terminal wrapped comes back whole
const screen = () => tmux('capture-pane', '-p', '-J', '-t', session);
const killSession = () => killTmuxSession(session);

const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-preflight-'));
const silentSocket = path.join(dir, 'silent.sock');
const held: net.Socket[] = [];
const silentDaemon = net.createServer(socket => void held.push(socket));

beforeAll(() => new Promise<void>(resolve => silentDaemon.listen(silentSocket, resolve)));
afterAll(() => {
	killSession();
	for (const socket of held) socket.destroy();
	silentDaemon.close();
});

/** Processes whose environment points docker at `socket`: the preflight's docker CLIs and their buildx plugin. */
function processesTalkingTo(socket: string): string[] {
	const found: string[] = [];
	for (const pid of readdirSync('/proc').filter(name => /^\d+$/.test(name))) {
		try {
			if (!readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`DOCKER_HOST=unix://${socket}`)) continue;
			const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
			if (/docker/.test(command) && !/\bsh -c\b|tmux/.test(command)) found.push(`${pid} ${command}`);
		} catch {
			// gone, or not ours to read
		}
	}
	return found;
}

/** Starts `bxtop build` in a 120x30 tmux terminal; its exit code, --json summary and terminal mode land in files of `out`. */
function startBuild(dockerHost: string, context: string): string {
	const out = mkdtempSync(path.join(dir, 'run-'));
	killSession();
	const script = `DOCKER_HOST='${dockerHost}' '${process.execPath}' '${cliPath}' build --no-record --json ${out}/summary.json --network=none ${context}; echo $? > ${out}/code; stty -a > ${out}/stty; touch ${out}/done`;
	tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', 'sh', '-c', `${script}; sleep 30`);
	return out;
}

test('the first frame says docker is being asked; q then quits with 130, no docker process left, terminal restored', async () => {
	const context = makeContext(['RUN true']);
	const out = startBuild(`unix://${silentSocket}`, context);
	await waitFor(() => screen().includes('asking docker for the builder'), 20_000, 'the starting frame');
	expect(screen()).toMatch(/^bxtop asking docker for the builder, its driver and platforms/m);
	await waitFor(() => processesTalkingTo(silentSocket).length > 0, 5_000, "preflight's docker processes");
	tmux('send-keys', '-t', session, 'q');
	await waitFor(() => existsSync(path.join(out, 'done')), 10_000, 'bxtop to exit');
	expect(readFileSync(path.join(out, 'code'), 'utf8').trim()).toBe('130');
	const after = screen();
	expect(after).toContain('bxtop: quit before the session started: no build ran');
	expect(after).not.toContain('asking docker'); // the starting frame cleared itself
	// --json says what the exit code says: nothing ran, and the session was cancelled, not completed
	const summary = JSON.parse(readFileSync(path.join(out, 'summary.json'), 'utf8')) as {result: string; builds: unknown[]};
	expect(summary.result).toBe('cancelled');
	expect(summary.builds).toEqual([]);
	const stty = readFileSync(path.join(out, 'stty'), 'utf8');
	expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
	expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
	expect(tmux('display-message', '-p', '-t', session, '#{cursor_flag}').trim()).toBe('1');
	await waitFor(() => processesTalkingTo(silentSocket).length === 0, 5_000, "preflight's docker processes to be gone");
}, 60_000);

test('an unreachable daemon: its one-line error is all the terminal shows, exit 2', async () => {
	const context = makeContext(['RUN true']);
	const missing = path.join(dir, 'no-daemon.sock');
	const out = startBuild(`unix://${missing}`, context);
	await waitFor(() => existsSync(path.join(out, 'done')), 20_000, 'bxtop to exit');
	expect(readFileSync(path.join(out, 'code'), 'utf8').trim()).toBe('2');
	// the first line on the terminal is the error (docker's own wording after the colon differs between versions)
	expect(screen().split('\n')[0]).toMatch(new RegExp(`^bxtop: Docker daemon unreachable at unix://${missing}: Cannot connect to the Docker daemon`));
	expect(screen()).not.toContain('asking docker');
	expect(tmux('display-message', '-p', '-t', session, '#{cursor_flag}').trim()).toBe('1');
}, 60_000);
