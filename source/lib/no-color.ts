// NO_COLOR on the board (no-color.org): Ink styles text through chalk, which reads FORCE_COLOR and the terminal but
// not NO_COLOR. With NO_COLOR set (and FORCE_COLOR not), the board's frames lose their colour sequences on the way
// to the terminal; bold, dim and inverse stay (no-color.org allows them, and inverse marks the selected row).

/**
 * `strip`: drop colours from the board's output. `chalk`: leave it to chalk, which honours FORCE_COLOR (`0` or
 * `false` turns every style off, anything else forces colour) and the terminal's support. FORCE_COLOR wins over
 * NO_COLOR, as in Node's own colour detection; an empty NO_COLOR does not count (no-color.org).
 */
export function boardColorMode(env: Record<string, string | undefined>): 'strip' | 'chalk' {
	if (env['FORCE_COLOR'] !== undefined) return 'chalk';
	return env['NO_COLOR'] ? 'strip' : 'chalk';
}

const sgr = /\x1b\[([0-9;]*)m/g;

/** The text without SGR colour parameters (foreground, background, 256-colour and true colour); others kept. */
export function stripColors(text: string): string {
	if (!text.includes('\x1b[')) return text;
	return text.replace(sgr, (whole: string, params: string) => {
		if (params === '') return whole; // a bare reset
		const parts = params.split(';');
		const kept: string[] = [];
		for (let i = 0; i < parts.length; i++) {
			const n = Number(parts[i]);
			if (n === 38 || n === 48 || n === 58) {
				// extended colour: 38;5;N or 38;2;R;G;B
				i += parts[i + 1] === '5' ? 2 : parts[i + 1] === '2' ? 4 : 0;
				continue;
			}
			if ((n >= 30 && n <= 39) || (n >= 40 && n <= 49) || (n >= 90 && n <= 97) || (n >= 100 && n <= 107) || n === 59) continue;
			kept.push(parts[i]!);
		}
		return kept.length === 0 ? '' : `\x1b[${kept.join(';')}m`;
	});
}
