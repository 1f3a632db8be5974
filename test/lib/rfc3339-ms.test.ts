import {expect, test} from 'vitest';
import {rfc3339Ms} from '../../source/lib/proto-time.js';
import {readReal} from '../helpers/captures.js';

test('rfc3339Ms: every timestamp of a real capture, to the ms; odd forms and unset times are undefined, not NaN', () => {
	const stamps = readReal('01-cold-multiplatform-oci.stderr.rawjson').match(/"\d{4}-\d\d-\d\dT[^"]+"/g)!.map(s => s.slice(1, -1));
	expect(stamps.length).toBe(237);
	// BuildKit's nanosecond form: cut to the ms, not rounded
	expect(rfc3339Ms('2026-11-29T10:41:58.460997895Z')).toBe(Date.UTC(2026, 10, 29, 10, 41, 58, 460));
	for (const s of stamps) expect(rfc3339Ms(s)).toBe(Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, +s.slice(8, 10), +s.slice(11, 13), +s.slice(14, 16), +s.slice(17, 19), +(s.slice(20, 23).padEnd(3, '0') || 0)));
	expect(rfc3339Ms('2026-11-29T10:41:58.460+01:00')).toBe(Date.UTC(2026, 10, 29, 9, 41, 58, 460));
	// Go's zero time (a stored status log's missing times) and the epoch are BuildKit's "unset", not a time
	for (const odd of ['not a time', '', '2026-13-01T00:00:00Z', '0001-01-01T00:00:00Z', '1970-01-01T00:00:00Z', undefined, 5, null]) expect(rfc3339Ms(odd)).toBeUndefined();
});
