// A minimal reproduction of why bxtop keeps Ink 6.8's `incrementalRendering` off: it leaves the previous frame's
// lines on the screen (seen in tmux as stale header lines). Ink ends a frame that is shorter than the terminal with
// a newline, so the cursor rests on the row BELOW the frame; the incremental writer then moves up one row fewer
// than the frame is high (cursorUp(lines - 1)), so every frame lands one row lower than the one before; the lines it
// skips as unchanged are not drawn at the new place, so the screen keeps every earlier frame's changed line and the
// frame's own header and footer are lost or overwritten. The standard writer erases the old frame line by line.
// Ink 6.8 is the last Ink for Node 20 (7.x needs Node 22). If the first test fails, Ink fixed it: try the option again.
import React from 'react';
import {EventEmitter} from 'node:events';
import {expect, test} from 'vitest';
import {Box, render, Text} from 'ink';

/** Just enough of a terminal for what Ink writes: text, newlines, CSI cursor moves and erases; colours ignored. */
function terminal(rows: number, columns: number) {
	const screen = Array.from({length: rows}, () => ' '.repeat(columns));
	let row = 0;
	let column = 0;
	const put = (ch: string) => {
		const line = screen[row]!;
		screen[row] = line.slice(0, column) + ch + line.slice(column + 1);
		column = Math.min(columns - 1, column + 1);
	};
	const newline = () => {
		column = 0;
		if (row === rows - 1) {
			screen.shift();
			screen.push(' '.repeat(columns));
		} else row++;
	};
	const write = (data: string) => {
		for (let i = 0; i < data.length; i++) {
			const ch = data[i]!;
			if (ch === '\n') newline();
			else if (ch === '\r') column = 0;
			else if (ch === '\u001B' && data[i + 1] === '[') {
				const match = /^\[([?0-9;]*)([A-Za-z])/.exec(data.slice(i + 1))!;
				i += match[0].length;
				const n = Number(match[1] || '1');
				switch (match[2]) {
					case 'A':
						row = Math.max(0, row - n);
						break;
					case 'B':
						row = Math.min(rows - 1, row + n);
						break;
					case 'E':
						row = Math.min(rows - 1, row + n);
						column = 0;
						break;
					case 'G':
						column = n - 1;
						break;
					case 'K':
						screen[row] = match[1] === '2' ? ' '.repeat(columns) : screen[row]!.slice(0, column).padEnd(columns);
						break;
					default: // colours, cursor visibility, synchronized output
				}
			} else put(ch);
		}
	};
	return {write, text: () => screen.map(l => l.trimEnd()).join('\n').trimEnd()};
}

function fakeStdout(screen: ReturnType<typeof terminal>) {
	return Object.assign(new EventEmitter(), {isTTY: true, columns: 40, rows: 12, write: (data: string) => (screen.write(data), true)});
}

function Frame({n}: {n: number}) {
	return (
		<Box flexDirection="column">
			<Text>bxtop header</Text>
			<Text>counter {n}</Text>
			<Text>footer</Text>
		</Box>
	);
}

async function draw(incrementalRendering: boolean): Promise<string> {
	const screen = terminal(12, 40);
	const stdout = fakeStdout(screen);
	const ink = render(<Frame n={0} />, {stdout: stdout as unknown as NodeJS.WriteStream, patchConsole: false, exitOnCtrlC: false, maxFps: 1000, incrementalRendering});
	for (let n = 1; n <= 3; n++) {
		await new Promise(resolve => setTimeout(resolve, 5));
		ink.rerender(<Frame n={n} />);
	}
	await new Promise(resolve => setTimeout(resolve, 5));
	const text = screen.text();
	ink.unmount();
	return text;
}

test('Ink 6.8 incrementalRendering leaves each earlier frame\'s lines behind (the bug bxtop avoids)', async () => {
	// three updates of the counter: all four counters stay on the screen, and the footer is gone
	expect(await draw(true)).toBe(['bxtop header', 'counter 0', 'counter 1', 'counter 2', 'counter 3'].join('\n'));
});

test('the standard renderer, which bxtop uses, redraws the frame in place', async () => {
	expect(await draw(false)).toBe(['bxtop header', 'counter 3', 'footer'].join('\n'));
});
