// A /proc file a sampler reads every second, kept open: each reading is positional reads from offset 0, for which
// the kernel renders the file afresh. readFile opens, stats, reads and closes it each time, two to three times the
// CPU (0.32-0.38 ms against 0.13-0.17 ms for /proc/stat, /proc/meminfo and /proc/net/dev together, read to their
// end with asynchronous reads, on the 2-core development machine). The reads are now synchronous: there the kernel
// renders these files in microseconds and they cannot block on a device, while each asynchronous read is a trip
// through libuv's thread pool and one more wake-up of the event loop (the three files' wall time per second over a
// bare timer, in a microbenchmark: 200-340 µs asynchronously, 30-130 µs synchronously; `npm run bench:live` cannot
// tell the two apart, 2026-12-04). On a host with many CPUs or hundreds of interfaces /proc/stat and /proc/net/dev
// take longer to render, and that time is now the event loop's. A failed read closes the descriptor; the next one
// opens the file again.
import {closeSync, openSync, readSync} from 'node:fs';

export type ProcFile = {
	/** The file's text now, or undefined when it cannot be read (no such file: not Linux, or a closed reader). */
	read: () => string | undefined;
	close: () => void;
};

/** More than any /proc file a sampler reads (/proc/stat's interrupt counts on a large machine are tens of KB). */
const maxBytes = 4 * 1024 * 1024;

export function openProcFile(path: string): ProcFile {
	let buffer = Buffer.allocUnsafe(16 * 1024);
	/**
	 * The whole file: to the end, for a file the kernel renders a record at a time (/proc/net/dev, a line per
	 * interface) gives about a page per read, whatever the buffer's size.
	 */
	const readToEnd = (descriptor: number): string => {
		let length = 0;
		for (;;) {
			if (length === buffer.length) {
				if (length >= maxBytes) throw new Error(`${path} is ${maxBytes} bytes or more`);
				const bigger = Buffer.allocUnsafe(length * 2);
				buffer.copy(bigger, 0, 0, length);
				buffer = bigger;
			}
			const bytesRead = readSync(descriptor, buffer, length, buffer.length - length, length);
			if (bytesRead === 0) return buffer.toString('utf8', 0, length);
			length += bytesRead;
		}
	};
	let fd: number | undefined;
	let isClosed = false;
	const drop = () => {
		if (fd === undefined) return;
		try {
			closeSync(fd);
		} catch {
			// already gone: nothing to release
		} finally {
			fd = undefined;
		}
	};
	return {
		read: () => {
			if (isClosed) return undefined;
			try {
				fd ??= openSync(path, 'r');
				return readToEnd(fd);
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
