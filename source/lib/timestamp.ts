// BuildKit timestamps (`2026-11-29T10:41:58.460997895Z`) to epoch ms. Date.parse is slow on nanosecond strings
// and the hot path parses several per status object. Consecutive timestamps share their minute: the minute's epoch
// ms is computed once (digits and days_from_civil arithmetic) and kept with its 16-character prefix; a timestamp with
// the same prefix only has its seconds and fraction read. Anything unusual (offsets, leap seconds, odd lengths)
// goes to Date.parse.

/** `YYYY-MM-DDTHH:MM` of the last minute computed, as a flat string: startsWith against it is a short memcmp, while
 * against a slice of a longer string (what substring returns) V8 takes a slow path several times as costly. */
let minutePrefix = '';
let minuteMs = 0;

export function timestampMs(iso: string | undefined): number | undefined {
	if (!iso) return undefined;
	const n = iso.length;
	// ...:SS then Z, or ...:SS.fraction then Z
	if (n < 20 || iso.charCodeAt(16) !== 58 /* : */ || iso.charCodeAt(n - 1) !== 90 /* Z */) return slow(iso);
	if (minutePrefix === '' || !iso.startsWith(minutePrefix)) {
		const ms = minuteOf(iso);
		if (ms === undefined) return slow(iso);
		minutePrefix = Buffer.from(iso.slice(0, 16), 'latin1').toString('latin1');
		minuteMs = ms;
	}
	// A digit d is valid when both d and 9 - d are >= 0: OR-ing them into `bad` and testing its sign once replaces a
	// test per digit.
	const s1 = iso.charCodeAt(17) - 48;
	const s2 = iso.charCodeAt(18) - 48;
	let bad = s1 | s2 | (5 - s1) | (9 - s2);
	let ms = 0;
	if (n > 20) {
		if (iso.charCodeAt(19) !== 46 /* . */ || n === 21) return slow(iso);
		// milliseconds: the first three fraction digits, truncated like Date.parse (missing ones count as 0)
		const f1 = iso.charCodeAt(20) - 48;
		const f2 = n > 22 ? iso.charCodeAt(21) - 48 : 0;
		const f3 = n > 23 ? iso.charCodeAt(22) - 48 : 0;
		bad |= f1 | f2 | f3 | (9 - f1) | (9 - f2) | (9 - f3);
		ms = f1 * 100 + f2 * 10 + f3;
		// the rest (BuildKit sends nanoseconds) must still be digits
		for (let i = 23; i < n - 1; i++) {
			const d = iso.charCodeAt(i) - 48;
			bad |= d | (9 - d);
		}
	} else if (iso.charCodeAt(19) !== 90) return slow(iso);
	if (bad < 0) return slow(iso);
	return minuteMs + (s1 * 10 + s2) * 1000 + ms;
}

/** Epoch ms of the minute `YYYY-MM-DDTHH:MM` that starts `iso`, or undefined when it is not a valid one. */
function minuteOf(iso: string): number | undefined {
	if (iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58) return undefined;
	const y1 = iso.charCodeAt(0) - 48, y2 = iso.charCodeAt(1) - 48, y3 = iso.charCodeAt(2) - 48, y4 = iso.charCodeAt(3) - 48;
	const mo1 = iso.charCodeAt(5) - 48, mo2 = iso.charCodeAt(6) - 48, d1 = iso.charCodeAt(8) - 48, d2 = iso.charCodeAt(9) - 48;
	const h1 = iso.charCodeAt(11) - 48, h2 = iso.charCodeAt(12) - 48, mi1 = iso.charCodeAt(14) - 48, mi2 = iso.charCodeAt(15) - 48;
	const bad =
		y1 | y2 | y3 | y4 | mo1 | mo2 | d1 | d2 | h1 | h2 | mi1 | mi2 |
		(9 - y1) | (9 - y2) | (9 - y3) | (9 - y4) | (9 - mo1) | (9 - mo2) | (9 - d1) | (9 - d2) | (9 - h1) | (9 - h2) | (9 - mi1) | (9 - mi2);
	if (bad < 0) return undefined;
	const year = y1 * 1000 + y2 * 100 + y3 * 10 + y4;
	const month = mo1 * 10 + mo2;
	const day = d1 * 10 + d2;
	const hour = h1 * 10 + h2;
	const minute = mi1 * 10 + mi2;
	if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59) return undefined;
	return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000;
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
	const y = month <= 2 ? year - 1 : year;
	const era = Math.floor(y / 400);
	const yearOfEra = y - era * 400;
	const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
	const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
	return era * 146_097 + dayOfEra - 719_468;
}

function slow(iso: string): number | undefined {
	const parsed = Date.parse(iso);
	return Number.isNaN(parsed) ? undefined : parsed;
}
