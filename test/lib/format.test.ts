import {expect, test} from 'vitest';
import {formatAge, formatBytes, formatDuration, formatRate} from '../../source/lib/format.js';

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

test('an age changes every 5 s under a minute, then every minute: du\'s row is not redrawn on every frame', () => {
	expect(formatAge(-20)).toBe('just now');
	expect(formatAge(4_999)).toBe('just now');
	expect(formatAge(5_000)).toBe('5s ago');
	expect(formatAge(9_900)).toBe('5s ago');
	expect(formatAge(59_999)).toBe('55s ago');
	expect(formatAge(60_000)).toBe('1m ago');
	expect(formatAge(3_599_999)).toBe('59m ago');
	expect(formatAge(3_723_000)).toBe('1h02m ago');
	expect(formatAge(Number.NaN)).toBe('?');
});
