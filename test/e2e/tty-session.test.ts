// The board in a real terminal (tmux): a live two-platform build, Ctrl-C from the keyboard, and afterwards the
// terminal is usable again (raw mode off, echo on, cursor shown) with no child build left running; a real prune
// from the board. Once per CI stack (test/helpers/stacks.ts).
import {existsSync, mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {describeEachStack} from '../helpers/stacks.js';
import {cliPath, e2ePlatforms, makeContext, nonce, processesMentioning, waitFor} from '../helpers/e2e.js';
import {killTmuxSession, tmux} from '../helpers/tmux.js';

const session = `bxtop-e2e-${process.pid}`;
const screen = () => tmux('capture-pane', '-p', '-t', session);
const killSession = () => killTmuxSession(session);
/** docker / docker-buildx processes building `context` (the tmux shell that started bxtop mentions it too). */
const dockerProcesses = (context: string) => processesMentioning(context).filter(l => /docker/.test(l) && !l.includes('sh -c'));

describeEachStack('the board in a real terminal', stack => {
	afterAll(killSession);
	// tmux starts the shell with its server's environment: the stack's DOCKER_HOST + DOCKER_CONFIG go on the command
	const bxtop = `env ${Object.entries(stack.env).map(([k, v]) => `${k}='${v}'`).join(' ')} '${process.execPath}' '${cliPath}'`;

	test('live board, Ctrl-C: builds cancelled, no orphans, terminal restored', async () => {
		const id = nonce();
		const context = makeContext([`RUN echo tty-${id} && sleep 60`]);
		const out = mkdtempSync(path.join(tmpdir(), 'bxtop-tty-'));
		const done = path.join(out, 'done');
		killSession();
		// after bxtop exits, record the terminal's mode and bxtop's exit code
		const script = `${bxtop} build --no-record --platform ${e2ePlatforms(stack.env).join(',')} --network=none ${context}; echo $? > ${out}/code; stty -a > ${out}/stty; touch ${done}`;
		tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', 'sh', '-c', `${script}; sleep 30`);
		await waitFor(() => screen().includes(`tty-${id}`), 30_000, 'the board to show the running step');
		const board = screen();
		expect(board).toMatch(/^bxtop builder \S+ \(docker\)/m);
		expect(board).toContain(`(docker) BuildKit ${stack.buildkitVersion}`); // the stack's own daemon
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
		killSession();
		const script = `${bxtop} build --no-record --platform linux/amd64 --network=none ${context}; echo $? > ${out}/code`;
		tmux('new-session', '-d', '-s', session, '-x', '120', '-y', '30', 'sh', '-c', `${script}; sleep 30`);
		await waitFor(() => screen().includes(`q-${id}`), 30_000, 'the board');
		tmux('send-keys', '-t', session, 'q');
		await waitFor(() => existsSync(path.join(out, 'code')), 20_000, 'bxtop to exit');
		expect(readFileSync(path.join(out, 'code'), 'utf8').trim()).toBe('130');
		expect(dockerProcesses(context)).toEqual([]);
	}, 90_000);

	test('p in the live board prunes the build cache for real: the reclaimed bytes match du\'s estimate', async () => {
		const id = nonce();
		// a RUN step that leaves private cache behind once its image is gone
		const context = makeContext([`RUN dd if=/dev/zero of=/blob-${id} bs=1M count=3 2>/dev/null && echo ${id}`]);
		const out = mkdtempSync(path.join(tmpdir(), 'bxtop-tty-'));
		const json = path.join(out, 'summary.json');
		killSession();
		// --output type=cacheonly leaves no image behind, so the step's cache is unused (reclaimable, private)
		const script = `${bxtop} build --no-record --platform linux/amd64 --network=none --output type=cacheonly --json ${json} ${context}; echo $? > ${out}/code`;
		tmux('new-session', '-d', '-s', session, '-x', '130', '-y', '40', 'sh', '-c', `${script}; sleep 30`);
		await waitFor(() => screen().includes('finished: q quits') && /build cache \S+: .* records \(du /.test(screen()), 60_000, 'the build to finish and du to be measured');
		tmux('send-keys', '-t', session, 'p');
		await waitFor(() => screen().includes('$ docker buildx prune --builder default --force'), 10_000, 'the prune dialog');
		expect(screen()).toMatch(/du estimate: about \S+ \S+ to reclaim/);
		tmux('send-keys', '-t', session, 'y');
		await waitFor(() => /reclaimed \S+ \S+ \(\d+ records\) in /.test(screen()), 60_000, 'the prune to finish and show what it reclaimed');
		tmux('send-keys', '-t', session, 'Escape');
		await waitFor(() => !screen().includes('$ docker buildx prune'), 10_000, 'the dialog to close');
		tmux('send-keys', '-t', session, 'q');
		await waitFor(() => existsSync(path.join(out, 'code')), 20_000, 'bxtop to exit');
		const summary = JSON.parse(readFileSync(json, 'utf8')) as {resources: {prunes: {status: string; reclaimedBytes?: number; estimateBytes?: number; command: string}[]}};
		expect(summary.resources.prunes).toHaveLength(1);
		const [prune] = summary.resources.prunes;
		expect(prune!.command).toBe('docker buildx prune --builder default --force');
		expect(prune!.status).toBe('done');
		expect(prune!.reclaimedBytes).toBeGreaterThan(3_000_000);
		// du's estimate (reclaimable minus shared) is what the prune frees, to du's 4 significant digits
		expect(Math.abs(prune!.reclaimedBytes! - prune!.estimateBytes!)).toBeLessThanOrEqual(prune!.estimateBytes! * 0.01);
	}, 120_000);
});
