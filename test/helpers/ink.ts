// Waits for what the terminal shows, never for a fixed time (STYLE.md): polls lastFrame until it matches.
import type React from 'react';
import {stripVTControlCharacters} from 'node:util';

export async function waitForFrame(lastFrame: () => string | undefined, predicate: (frame: string) => boolean, timeoutMs = 3000): Promise<string> {
	const deadline = Date.now() + timeoutMs;
	let frame = stripVTControlCharacters(lastFrame() ?? '');
	while (!predicate(frame)) {
		if (Date.now() > deadline) throw new Error(`frame never matched; last frame:\n${frame}`);
		await new Promise(resolve => setImmediate(resolve));
		frame = stripVTControlCharacters(lastFrame() ?? '');
	}
	return frame;
}

export const keys = {up: '\u001B[A', down: '\u001B[B', left: '\u001B[D', right: '\u001B[C', enter: '\r', escape: '\u001B'};

/**
 * ink-testing-library's render with a terminal of `columns` (its own is fixed at 100, and Ink lays the root out at
 * the terminal's width): frames are what a terminal that wide would show.
 */
export async function renderWithColumns(tree: React.ReactElement, columns: number): Promise<{lastFrame: () => string | undefined; unmount: () => void}> {
	const {render} = await import('ink');
	const {EventEmitter} = await import('node:events');
	let last: string | undefined;
	const stdout = Object.assign(new EventEmitter(), {columns, rows: 1000, write: (frame: string) => void (last = frame)});
	const stderr = Object.assign(new EventEmitter(), {write: () => {}});
	const stdin = Object.assign(new EventEmitter(), {isTTY: true, setEncoding() {}, setRawMode() {}, resume() {}, pause() {}, ref() {}, unref() {}, read: () => null});
	const instance = render(tree, {stdout: stdout as never, stderr: stderr as never, stdin: stdin as never, debug: true, exitOnCtrlC: false, patchConsole: false});
	return {lastFrame: () => last, unmount: () => instance.unmount()};
}
