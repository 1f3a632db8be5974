// A /proc file a sampler reads every second, kept open: each reading is positional reads from offset 0, for which
// the kernel renders the file afresh. readFile opens, stats, reads and closes it each time, two to three times the
// CPU (0.32-0.38 ms against 0.13-0.17 ms for /proc/stat, /proc/meminfo and /proc/net/dev together, read to their
// end, on the 2-core development machine). A failed read closes the handle; the next one opens the file again.
import {open, type FileHandle} from 'node:fs/promises';

export type ProcFile = {
	/** The file's text now, or undefined when it cannot be read (no such file: not Linux, or a closed reader). */
	read: () => Promise<string | undefined>;
	close: () => Promise<void>;
};

/** More than any /proc file a sampler reads (/proc/stat's interrupt counts on a large machine are tens of KB). */
const maxBytes = 4 * 1024 * 1024;

export function openProcFile(path: string): ProcFile {
	let handle: Promise<FileHandle> | undefined;
	let buffer = Buffer.allocUnsafe(16 * 1024);
	let isClosed = false;
	// one reading at a time: they share the buffer
	let previous: Promise<unknown> = Promise.resolve();
	const drop = async () => {
		const dropped = handle;
		handle = undefined;
		await dropped?.then(
			h => h.close(),
			() => undefined,
		);
	};
	const readNow = async (): Promise<string | undefined> => {
		if (isClosed) return undefined;
		try {
			handle ??= open(path, 'r');
			const file = await handle;
			// to the end: a file the kernel renders a record at a time (/proc/net/dev, a line per interface) gives
			// about a page per read, whatever the buffer's size
			let length = 0;
			for (;;) {
				if (length === buffer.length) {
					if (length >= maxBytes) throw new Error(`${path} is ${maxBytes} bytes or more`);
					const bigger = Buffer.allocUnsafe(length * 2);
					buffer.copy(bigger, 0, 0, length);
					buffer = bigger;
				}
				const {bytesRead} = await file.read(buffer, length, buffer.length - length, length);
				if (bytesRead === 0) return buffer.toString('utf8', 0, length);
				length += bytesRead;
			}
		} catch {
			await drop().catch(() => undefined);
			return undefined;
		}
	};
	return {
		read: () => {
			const reading = previous.then(readNow, readNow);
			previous = reading;
			return reading;
		},
		close: async () => {
			isClosed = true;
			await previous.catch(() => undefined);
			await drop().catch(() => undefined);
		},
	};
}
