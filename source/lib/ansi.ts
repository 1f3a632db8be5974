// ANSI escape sequences, stripped one way wherever bxtop reads terminal output: build log lines, pip's coloured
// progress bars, `docker stats`' redraws. CSI with intermediate bytes, OSC ended by BEL or ST, charset selection
// and keypad modes. Not util.stripVTControlCharacters: its pattern cuts an OSC whose text has spaces in half
// ("\x1b]0;my title\x07" leaves "y title\x07").
const ansi = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-B]|\x1b[=>78]/g;

export function stripAnsi(text: string): string {
	return text.includes('\x1b') ? text.replace(ansi, '') : text; // most text has no escape: skip the regex
}
