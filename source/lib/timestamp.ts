// BuildKit timestamps (`2026-11-29T10:41:58.460997895Z`) to epoch ms. Date.parse is slow on nanosecond strings
// and the hot path parses several per status object; consecutive timestamps share their minute, so the minute is
// parsed once and cached, the rest read digit by digit. Anything unusual falls back to Date.parse.

let cachedMinute = '';
let cachedMinuteMs = 0;
// BuildKit re-sends the same `started` with every progress update of a status: remember the last answer.
let lastIso = '';
let lastMs: number | undefined;

export function timestampMs(iso: string | undefined): number | undefined {
	if (!iso) return undefined;
	if (iso === lastIso) return lastMs;
	lastMs = parse(iso);
	lastIso = iso;
	return lastMs;
}

function parse(iso: string): number | undefined {
	const n = iso.length;
	if (n < 20 || iso.charCodeAt(10) !== 84 /* T */ || iso.charCodeAt(n - 1) !== 90 /* Z */ || iso.charCodeAt(16) !== 58) return slow(iso);
	if (!iso.startsWith(cachedMinute) || cachedMinute === '') {
		const minute = iso.slice(0, 16);
		const parsed = Date.parse(`${minute}:00Z`);
		if (Number.isNaN(parsed)) return slow(iso);
		cachedMinute = minute;
		cachedMinuteMs = parsed;
	}
	const s1 = iso.charCodeAt(17) - 48;
	const s2 = iso.charCodeAt(18) - 48;
	if (s1 < 0 || s1 > 6 || s2 < 0 || s2 > 9) return slow(iso);
	let ms = 0;
	if (n > 20) {
		if (iso.charCodeAt(19) !== 46 /* . */) return slow(iso);
		// milliseconds: the first three fraction digits, truncated like Date.parse
		for (let i = 20, scale = 100; i < 23; i++, scale /= 10) {
			if (i >= n - 1) break;
			const d = iso.charCodeAt(i) - 48;
			if (d < 0 || d > 9) return slow(iso);
			ms += d * scale;
		}
	}
	return cachedMinuteMs + (s1 * 10 + s2) * 1000 + ms;
}

function slow(iso: string): number | undefined {
	const parsed = Date.parse(iso);
	return Number.isNaN(parsed) ? undefined : parsed;
}
