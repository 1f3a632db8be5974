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
	expect(timestampMs(undefined)).toBeUndefined();
});
