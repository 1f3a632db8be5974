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

/** Sends a signal to a child's whole process group (docker and its buildx plugin); a group already gone is fine. */
export function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
	if (pid === undefined) return;
	try {
		process.kill(-pid, sig);
	} catch {
		// already gone
	}
}
