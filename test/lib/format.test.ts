import {expect, test} from 'vitest';
import {formatBytes, formatDuration, formatRate} from '../../source/lib/format.js';

test('sizes in decimal units, rounded before the unit is chosen; durations roll over at the minute', () => {
	expect(formatBytes(120_001_684)).toBe('120.0 MB');
	expect(formatBytes(999_960)).toBe('1.0 MB');
	expect(formatBytes(999)).toBe('999 B');
	expect(formatBytes(999.6)).toBe('1.0 kB');
	expect(formatRate(512.3333)).toBe('512 B/s');
	expect(formatDuration(41_234)).toBe('41.2s');
	expect(formatDuration(59_960)).toBe('1m00s');
	expect(formatDuration(432_000)).toBe('7m12s');
	expect(formatDuration(3_723_000)).toBe('1h02m03s');
});
