// tmux for the terminal tests. Killing a session that was the server's last makes the server exit, and a
// new-session sent while it is still exiting fails with "server exited unexpectedly": such a call is tried again.
import {execFileSync} from 'node:child_process';

export function tmux(...args: string[]): string {
	for (let attempt = 1; ; attempt++) {
		try {
			return execFileSync('tmux', args, {encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']});
		} catch (error) {
			const stderr = String((error as {stderr?: unknown}).stderr ?? '');
			if (attempt >= 5 || !/server exited unexpectedly/.test(stderr)) throw error;
			execFileSync('sleep', ['0.3']);
		}
	}
}

/** Ends a tmux session; one that is not running (never started, or already ended) is fine. */
export function killTmuxSession(session: string): void {
	try {
		tmux('kill-session', '-t', session);
	} catch {
		// none running
	}
}
