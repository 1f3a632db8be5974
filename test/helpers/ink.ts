// Waits for what the terminal shows, never for a fixed time (STYLE.md): polls lastFrame until it matches.
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
