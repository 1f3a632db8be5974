// A /proc file a sampler reads every second, kept open: each reading is positional reads from offset 0, for which
// the kernel renders the file afresh. readFile opens, stats, reads and closes it each time, two to three times the
// CPU (0.32-0.38 ms against 0.13-0.17 ms for /proc/stat, /proc/meminfo and /proc/net/dev together, read to their
// end, on the 2-core development machine). The reads are synchronous: the kernel renders these files from memory
// in microseconds and they cannot block on a device, while each asynchronous read is a trip through libuv's thread
// pool and one more wake-up of the event loop (a second's three files: 200-340 µs that way, 30-130 µs synchronously,
// in a microbenchmark; `npm run bench:live` cannot tell the two apart, 2026-12-04). A failed read closes the
// descriptor; the next one opens the file again.
import {closeSync, openSync, readSync} from 'node:fs';

export type ProcFile = {
	/** The file's text now, or undefined when it cannot be read (no such file: not Linux, or a closed reader). */
	read: () => string | undefined;
	close: () => void;
};

/** More than any /proc file a sampler reads (/proc/stat's interrupt counts on a large machine are tens of KB). */
const maxBytes = 4 * 1024 * 1024;

export function openProcFile(path: string): ProcFile {
	let fd: number | undefined;
	let buffer = Buffer.allocUnsafe(16 * 1024);
	let isClosed = false;
	const drop = () => {
		if (fd === undefined) return;
		const dropped = fd;
		fd = undefined;
		try {
			closeSync(dropped);
		} catch {
			// already gone: nothing to release
		}
	};
	return {
		read: () => {
			if (isClosed) return undefined;
			try {
				fd ??= openSync(path, 'r');
				// to the end: a file the kernel renders a record at a time (/proc/net/dev, a line per interface)
				// gives about a page per read, whatever the buffer's size
				let length = 0;
				for (;;) {
					if (length === buffer.length) {
						if (length >= maxBytes) throw new Error(`${path} is ${maxBytes} bytes or more`);
						const bigger = Buffer.allocUnsafe(length * 2);
						buffer.copy(bigger, 0, 0, length);
						buffer = bigger;
					}
					const bytesRead = readSync(fd, buffer, length, buffer.length - length, length);
					if (bytesRead === 0) return buffer.toString('utf8', 0, length);
					length += bytesRead;
				}
			} catch {
				drop();
				return undefined;
			}
		},
		close: () => {
			isClosed = true;
			drop();
		},
	};
}
