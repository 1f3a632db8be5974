import {expect, test} from 'vitest';
import {stripAnsi} from '../../source/lib/ansi.js';

test('strips the sequences terminal output carries, and only them', () => {
	// rich's bars (pip with FORCE_COLOR): truecolor SGR, cursor hide/show, erase line
	expect(stripAnsi('\x1b[?25l\x1b[38;2;249;38;114m━━━━\x1b[0m\x1b[38;5;237m╺━\x1b[0m 52.2/120.0 MB\x1b[2K\x1b[?25h')).toBe('━━━━╺━ 52.2/120.0 MB');
	// docker stats' redraw, a window title with spaces (OSC ended by BEL and by ST), tput's charset reset, keypad mode
	expect(stripAnsi('\x1b[2J\x1b[H{"a":1}')).toBe('{"a":1}');
	expect(stripAnsi('\x1b]0;my build title\x07ok \x1b]8;;http://127.0.0.1/\x1b\\link\x1b]8;;\x1b\\')).toBe('ok link');
	expect(stripAnsi('\x1b(Bplain\x1b=\x1b>')).toBe('plain');
	expect(stripAnsi('no escapes: [1m] 50% \r')).toBe('no escapes: [1m] 50% \r');
});
