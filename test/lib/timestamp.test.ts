import {expect, test} from 'vitest';
import {timestampMs} from '../../source/lib/timestamp.js';
import {readReal} from '../helpers/captures.js';

test('timestampMs equals Date.parse on every timestamp of a real capture and on odd forms', () => {
	const stamps = readReal('01-cold-multiplatform-oci.stderr.rawjson').match(/"\d{4}-\d\d-\d\dT[^"]+"/g)!.map(s => s.slice(1, -1));
	expect(stamps.length).toBe(237);
	for (const s of [...stamps, '2026-11-29T10:41:58Z', '2026-11-29T10:41:58.4Z', '2026-11-29T10:41:58.46Z', '2026-11-29T10:41:58.460+01:00', '2026-12-31T23:59:59.999999999Z']) {
		expect(timestampMs(s)).toBe(Date.parse(s));
	}
	expect(timestampMs('not a time')).toBeUndefined();
	expect(timestampMs('2026-02-30T00:00:00Z')).toBe(Date.parse('2026-02-30T00:00:00Z') || undefined);
	expect(timestampMs('2026-13-01T00:00:00Z')).toBeUndefined();
	expect(timestampMs(undefined)).toBeUndefined();
});

test('timestampMs equals Date.parse over dates spread across four centuries, leap days and month ends', () => {
	// a pseudo-random walk (fixed seed) over 1900-2300, plus every month end of a leap and a common year
	let seed = 7;
	const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
	const stamps: string[] = [];
	for (let i = 0; i < 5000; i++) stamps.push(new Date(Date.UTC(1900, 0, 1) + next(400 * 365) * 86_400_000 + next(86_400_000)).toISOString());
	for (const year of [2024, 2026, 2100, 2000]) for (let month = 1; month <= 12; month++) {
		const mm = String(month).padStart(2, '0');
		for (const day of [28, 29, 30, 31]) stamps.push(`${year}-${mm}-${day}T23:59:59.999999999Z`);
	}
	for (const s of stamps) {
		const expected = Date.parse(s);
		expect(timestampMs(s)).toBe(Number.isNaN(expected) ? undefined : expected);
		const nanos = s.replace(/\.(\d{3})Z$/, '.$1456789Z'); // BuildKit's nanosecond form
		expect(timestampMs(nanos)).toBe(Number.isNaN(expected) ? undefined : expected);
	}
});
