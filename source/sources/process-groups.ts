// Remembers the process groups of running child builds so that however bxtop ends (normal exit, an uncaught
// error, a signal we did not handle gracefully) none of them survives it.
const groups = new Set<number>();
let installed = false;

export function trackChild(pid: number): void {
	groups.add(pid);
	if (installed) return;
	installed = true;
	process.on('exit', killAll);
}

export function untrackChild(pid: number): void {
	groups.delete(pid);
}

function killAll(): void {
	for (const pid of groups) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// already gone
		}
	}
	groups.clear();
}
