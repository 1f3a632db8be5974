// BuildKit timestamps (`2026-11-29T10:41:58.460997895Z`) to epoch ms. Date.parse is slow on nanosecond strings
// and the hot path parses several per status object, so the usual UTC form is read digit by digit and turned into
// a day number with integer arithmetic. Anything unusual (offsets, leap seconds, odd lengths) goes to Date.parse.
// (A cache of the last minute cost more than this: comparing 16 characters is about as much work as reading them.)

export function timestampMs(iso: string | undefined): number | undefined {
	if (!iso) return undefined;
	const n = iso.length;
	// YYYY-MM-DDTHH:MM:SS then Z, or .fraction then Z
	if (n < 20 || iso.charCodeAt(n - 1) !== 90 /* Z */ || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58) {
		return slow(iso);
	}
	const year = digits(iso, 0, 4);
	const month = digits(iso, 5, 2);
	const day = digits(iso, 8, 2);
	const hour = digits(iso, 11, 2);
	const minute = digits(iso, 14, 2);
	const second = digits(iso, 17, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) || hour > 23 || minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0) {
		return slow(iso);
	}
	let ms = 0;
	if (n > 20) {
		if (iso.charCodeAt(19) !== 46 /* . */ || n === 21) return slow(iso);
		// milliseconds: the first three fraction digits, truncated like Date.parse; the rest must still be digits
		for (let i = 20, scale = 100; i < n - 1; i++) {
			const d = iso.charCodeAt(i) - 48;
			if (d < 0 || d > 9) return slow(iso);
			if (scale >= 1) {
				ms += d * scale;
				scale /= 10;
			}
		}
	} else if (iso.charCodeAt(19) !== 90) return slow(iso);
	return ((daysFromCivil(year, month, day) * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + ms;
}

/** The number the `count` digits at `start` spell, or -1 when one is not a digit. */
function digits(text: string, start: number, count: number): number {
	let value = 0;
	for (let i = start; i < start + count; i++) {
		const d = text.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return -1;
		value = value * 10 + d;
	}
	return value;
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
