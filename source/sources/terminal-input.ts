// Keys for a session whose stdin is not the keyboard (`bxtop watch -` reads the build's output there).
import {openSync} from 'node:fs';
import tty from 'node:tty';

/** While stdin carries the build's output, keys come from the terminal itself (when there is one). */
export function openTty(): NodeJS.ReadStream | undefined {
	try {
		return new tty.ReadStream(openSync('/dev/tty', 'r')) as NodeJS.ReadStream;
	} catch {
		return undefined;
	}
}
