import {describe, expect, it} from 'vitest';
import {readdirSync} from 'node:fs';
import {dockerBytesSize, dockerHumanSize, dockerHumanSize3, parseSize, parseSizePair} from '../../../source/lib/sizes.js';
import {readReal, realDir} from '../../helpers/captures.js';

describe('parseSize', () => {
	it('reads decimal and binary units as docker prints them', () => {
		expect(parseSize('52.43MB')).toBe(52_430_000);
		expect(parseSize('24.58kB')).toBe(24_580);
		expect(parseSize('3.221GB')).toBe(3_221_000_000);
		expect(parseSize('112B')).toBe(112);
		expect(parseSize('0B')).toBe(0);
		expect(parseSize('200.1MiB')).toBe(209_820_058);
		expect(parseSize('23.54GiB')).toBe(25_275_882_537);
		expect(parseSize('564KiB')).toBe(577_536);
	});

	it('ignores the shared mark of buildx du', () => {
		expect(parseSize('1.847MB*')).toBe(1_847_000);
		expect(parseSize('0B*')).toBe(0);
	});

	it('refuses what is not a size', () => {
		expect(parseSize('--')).toBeUndefined();
		expect(parseSize('12 parsecs')).toBeUndefined();
		expect(parseSize('')).toBeUndefined();
	});

	it('reads pairs', () => {
		expect(parseSizePair('200.1MiB / 23.54GiB')).toEqual([209_820_058, 25_275_882_537]);
		expect(parseSizePair('0B / 0B')).toEqual([0, 0]);
		expect(parseSizePair('-- / --')).toBeUndefined();
	});
});

describe('formatting like docker', () => {
	it('reproduces every size string of the real du and prune captures', () => {
		const files = readdirSync(realDir).filter(f => /buildx-du.*\.txt$|prune.*\.txt$/.test(f) && !f.endsWith('.meta.txt'));
		let checked = 0;
		for (const file of files) {
			for (const match of readReal(file).matchAll(/\t(\d[\d.]*(?:B|kB|MB|GB))\b/g)) {
				expect(dockerHumanSize(parseSize(match[1]!)!)).toBe(match[1]);
				checked++;
			}
		}
		expect(checked).toBe(575); // what grep -oP over the same files counts (567 before the bx029-* du captures)
	});

	it('formats memory in binary units and I/O with three digits', () => {
		expect(dockerBytesSize(229_482_496)).toBe('218.9MiB');
		expect(dockerBytesSize(25_276_502_016)).toBe('23.54GiB');
		expect(dockerBytesSize(0)).toBe('0B');
		expect(dockerHumanSize3(1_234_567)).toBe('1.23MB');
		expect(dockerHumanSize3(0)).toBe('0B');
	});
});
