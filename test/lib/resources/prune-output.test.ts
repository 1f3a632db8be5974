import {describe, expect, it} from 'vitest';
import {parsePruneLine, parsePruneOutput} from '../../../source/lib/prune-output.js';
import {readReal} from '../../helpers/captures.js';

describe('buildx prune output (real captures)', () => {
	it('keep-storage 100MB: 60 records streamed, Total: 3.221GB', () => {
		const result = parsePruneOutput(readReal('05-prune-keep-storage-100MB.txt'));
		expect(result.records.length).toBe(60);
		expect(result.reclaimedBytes).toBe(3_221_000_000);
		expect(result.recordsBytes).toBe(3_221_421_114);
		expect(result.otherLines).toEqual([]);
		// the rows of a prune are padded less than du's: one tab after RECLAIMABLE
		expect(result.records[1]).toEqual({
			id: 'edz5bzuvbplc29a6mp08gul6p',
			sizeBytes: 24_580,
			isReclaimable: true,
			isShared: false,
			isMutable: false,
			lastUsed: 'About a minute ago',
		});
	});

	it('prune --all: one record, Total: 24.58kB', () => {
		const result = parsePruneOutput(readReal('06-prune-all.txt'));
		expect(result.records.map(r => [r.id, r.isMutable, r.sizeBytes])).toEqual([['p3aop7nkl9qxj4srkzwtbk6ki', true, 24_580]]);
		expect(result.reclaimedBytes).toBe(24_580);
	});

	it.each([
		['00-prune-all-before-start.txt', 41, 2_010_000_000],
		['08-prune-all-before-plain.txt', 29, 1_560_000_000],
		['12-prune-all-before-forcecolor.txt', 26, 1_560_000_000],
		['13-prune-all-before-forcecolor-plain.txt', 26, 1_560_000_000],
	])('%s: %i records, Total %i bytes', (file, count, total) => {
		const result = parsePruneOutput(readReal(file));
		expect(result.records.length).toBe(count);
		expect(result.reclaimedBytes).toBe(total);
		expect(result.otherLines).toEqual([]);
	});

	it('classifies lines one at a time (the runner streams them)', () => {
		expect(parsePruneLine('ID\t\t\t\t\t\tRECLAIMABLE\tSIZE\t\tLAST ACCESSED')).toEqual({kind: 'header'});
		expect(parsePruneLine('Total:\t0B')).toEqual({kind: 'total', reclaimedBytes: 0});
		expect(parsePruneLine('ERROR: no builder "nope" found')).toEqual({kind: 'other', text: 'ERROR: no builder "nope" found'});
	});
});
