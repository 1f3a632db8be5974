// How many of this process's file descriptors are open on a file (Linux: /proc/self/fd). Compared by device and
// inode: the links' names are not reliable for /proc (an open /proc/net/dev reads `/proc/<pid>/net/dev (deleted)`
// in this machine's container).
import {readdirSync, statSync} from 'node:fs';

export function descriptorsOpenOn(file: string): number {
	const target = statSync(file);
	let count = 0;
	for (const fd of readdirSync('/proc/self/fd')) {
		try {
			const open = statSync(`/proc/self/fd/${fd}`);
			if (open.dev === target.dev && open.ino === target.ino) count++;
		} catch {
			// closed while we looked (readdir's own descriptor, for one)
		}
	}
	return count;
}
