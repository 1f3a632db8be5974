// The board in a real terminal (tmux) replaying the bundled real recording: NO_COLOR=1 leaves no colour sequence in
// the frame (bold, dim and inverse may stay, as no-color.org allows); FORCE_COLOR brings colour back, as chalk users
// expect; neither set, the board is in colour. No Docker needed.
import {afterEach, describe, expect, test} from 'vitest';
import {cliPath, waitFor} from '../helpers/e2e.js';
import {bundledRecording} from '../../source/app/demo.js';
import {killTmuxSession, tmux} from '../helpers/tmux.js';

const session = `bxtop-nocolor-${process.pid}`;
const kill = () => killTmuxSession(session);

// CI is unset too: chalk turns colour off on a CI machine (CI=true) whatever the terminal, and this test is about
// what a person at a terminal sees.
/** SGR sequences of the pane, as the terminal received them (tmux re-emits the attributes it holds). */
async function boardSequences(env: Record<string, string>): Promise<string[]> {
	kill();
	const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
	tmux('new-session', '-d', '-s', session, '-x', '80', '-y', '24', 'env', '-u', 'NO_COLOR', '-u', 'FORCE_COLOR', '-u', 'CI', '-u', 'CONTINUOUS_INTEGRATION', ...vars, process.execPath, cliPath, 'replay', bundledRecording(), '--speed', '64');
	await waitFor(() => tmux('capture-pane', '-p', '-t', session).includes('end'), 20_000, 'the replay to reach its end');
	const screen = tmux('capture-pane', '-p', '-e', '-t', session);
	kill();
	return screen.match(/\x1b\[[0-9;]*m/g) ?? [];
}

const isColour = (sgr: string) => sgr.slice(2, -1).split(';').some(p => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));

describe('NO_COLOR and FORCE_COLOR on the board', () => {
	afterEach(kill);

	test('default: colours', async () => {
		expect((await boardSequences({})).filter(isColour).length).toBeGreaterThan(3);
	}, 30_000);

	test('NO_COLOR=1: no colour sequence, the selected row still inverse', async () => {
		const sequences = await boardSequences({NO_COLOR: '1'});
		expect(sequences.filter(isColour)).toEqual([]);
		expect(sequences.some(s => s.slice(2, -1).split(';').includes('7'))).toBe(true);
	}, 30_000);

	test('NO_COLOR=1 FORCE_COLOR=1: colours', async () => {
		expect((await boardSequences({NO_COLOR: '1', FORCE_COLOR: '1'})).filter(isColour).length).toBeGreaterThan(3);
	}, 30_000);
});
