// The board in a real terminal (tmux): a live two-platform build, Ctrl-C from the keyboard, and afterwards the
// terminal is usable again (raw mode off, echo on, cursor shown) with no child build left running.
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {describeDocker} from '../helpers/docker.js';
import {cliPath, e2ePlatforms, makeContext, nonce, processesMentioning, waitFor} from '../helpers/e2e.js';

const session = `bxtop-e2e-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', args, {encoding: 'utf8'});
const screen = () => tmux('capture-pane', '-p', '-t', session);
/** docker / docker-buildx processes building `context` (the tmux shell that started bxtop mentions it too). */
const dockerProcesses = (context: string) => processesMentioning(context).filter(l => /docker/.test(l) && !l.includes('sh -c'));

describeDocker('the board in a real terminal', () => {
	afterAll(() => {
		try {
			tmux('kill-session', '-t', session);
		} catch {
			// already gone
		}
	});

	test('live board, Ctrl-C: builds cancelled, no orphans, terminal restored', async () => {
		const id = nonce();
		const context = makeContext([`RUN echo tty-${id} && sleep 60`]);
		const out = mkdtempSync(path.join(tmpdir(), 'bxtop-tty-'));
		const done = path.join(out, 'done');
		// after bxtop exits, record the terminal's mode and bxtop's exit code
		const script = `'${process.execPath}' '${cliPath}' build --no-record --platform ${e2ePlatforms().join(',')} --network=none ${context}; echo $? > ${out}/code; stty -a > ${out}/stty; touch ${done}`;
		tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', 'sh', '-c', `${script}; sleep 30`);
		await waitFor(() => screen().includes(`tty-${id}`), 30_000, 'the board to show the running step');
		const board = screen();
		expect(board).toMatch(/^bxtop builder \S+ \(docker\)/m);
		expect(board).toMatch(/linux\/amd64/);
		expect(board).toContain('q quit');
		tmux('send-keys', '-t', session, 'C-c');
		await waitFor(() => existsSync(done), 20_000, 'bxtop to exit');
		expect(readFileSync(path.join(out, 'code'), 'utf8').trim()).toBe('130');
		const stty = readFileSync(path.join(out, 'stty'), 'utf8');
		expect(stty).toMatch(/(^|\s)icanon(\s|$)/m);
		expect(stty).toMatch(/(^|\s)echo(\s|$)/m);
		expect(tmux('display-message', '-p', '-t', session, '#{cursor_flag}').trim()).toBe('1');
		expect(screen()).toMatch(/cancelled/);
		expect(dockerProcesses(context)).toEqual([]);
	}, 90_000);

	test('q quits the same way', async () => {
		const id = nonce();
		const context = makeContext([`RUN echo q-${id} && sleep 60`]);
		const out = mkdtempSync(path.join(tmpdir(), 'bxtop-tty-'));
		tmux('kill-session', '-t', session);
		const script = `'${process.execPath}' '${cliPath}' build --no-record --platform linux/amd64 --network=none ${context}; echo $? > ${out}/code`;
		tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', 'sh', '-c', `${script}; sleep 30`);
		await waitFor(() => screen().includes(`q-${id}`), 30_000, 'the board');
		tmux('send-keys', '-t', session, 'q');
		await waitFor(() => existsSync(path.join(out, 'code')), 20_000, 'bxtop to exit');
		expect(readFileSync(path.join(out, 'code'), 'utf8').trim()).toBe('130');
		expect(dockerProcesses(context)).toEqual([]);
	}, 90_000);
});
