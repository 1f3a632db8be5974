import {describe, expect, test} from 'vitest';
import {boardColorMode, stripColors} from '../../source/lib/no-color.js';

describe('stripColors: colour sequences go, bold / dim / inverse stay (no-color.org)', () => {
	test('Ink / chalk output', () => {
		expect(stripColors('\x1b[1m\x1b[36mbxtop \x1b[39m\x1b[22mbuilder')).toBe('\x1b[1mbxtop \x1b[22mbuilder');
		expect(stripColors('\x1b[7m\x1b[1mbackend\x1b[22m\x1b[27m \x1b[35mlinux/arm64 emu\x1b[39m')).toBe('\x1b[7m\x1b[1mbackend\x1b[22m\x1b[27m linux/arm64 emu');
		expect(stripColors('\x1b[2mhost: sampling…\x1b[22m')).toBe('\x1b[2mhost: sampling…\x1b[22m');
		expect(stripColors('\x1b[90mgray\x1b[39m \x1b[41mbg\x1b[49m \x1b[38;5;202m256\x1b[39m \x1b[38;2;1;2;3mtrue\x1b[39m \x1b[48;2;9;9;9mbg\x1b[49m')).toBe('gray bg 256 true bg');
		// combined parameters keep what is not a colour; a plain reset stays a reset
		expect(stripColors('\x1b[1;31mx\x1b[0m')).toBe('\x1b[1mx\x1b[0m');
		expect(stripColors('\x1b[m')).toBe('\x1b[m');
		// cursor movement and erase sequences (Ink's redraw) are not SGR: untouched
		expect(stripColors('\x1b[2K\x1b[1A\x1b[G')).toBe('\x1b[2K\x1b[1A\x1b[G');
	});
});

describe('boardColorMode: NO_COLOR, and FORCE_COLOR as chalk reads it', () => {
	test.each([
		[{}, 'chalk'],
		[{NO_COLOR: '1'}, 'strip'],
		[{NO_COLOR: ''}, 'chalk'], // present but empty: no-color.org says it does not count
		[{NO_COLOR: '1', FORCE_COLOR: '1'}, 'chalk'], // FORCE_COLOR wins, as in Node and chalk
		[{NO_COLOR: '1', FORCE_COLOR: ''}, 'chalk'],
		[{FORCE_COLOR: '0'}, 'chalk'], // chalk itself turns every style off
	] as const)('%j -> %s', (env, mode) => {
		expect(boardColorMode(env)).toBe(mode);
	});
});
