import {describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {humanAgeSeconds, parseDu, parseDuJson, parseDuTable, parseDuVerbose, summarizeDu} from '../../../source/lib/du-table.js';
import {readReal, syntheticDir} from '../../helpers/captures.js';

const local = (name: string) => readFileSync(new URL(`fixtures/${name}`, import.meta.url), 'utf8');

describe('buildx du table (real captures, docker-container builder)', () => {
	it('reads the 26 records and the footer after the cold build', () => {
		const parse = parseDuTable(readReal('01-after-cold.buildx-du.txt'));
		expect(parse.records.length).toBe(26);
		expect(parse.footer).toEqual({reclaimableBytes: 1_560_000_000, totalBytes: 1_560_000_000});
		expect(parse.records[0]).toEqual({
			id: 'iwimfu340s9hjt0ewfeqrsdfd',
			sizeBytes: 279_000_000,
			isReclaimable: true,
			isShared: false,
			isMutable: false,
			lastUsed: '4 seconds ago',
		});
		expect(parse.records[2]).toMatchObject({id: 'x358tnjr4ogzsd1msx0dsmen0', isMutable: true, sizeBytes: 243_100_000, lastUsed: '13 seconds ago'});
	});

	it('summarises with the footer figures (exact) rather than the rounded records', () => {
		const usage = parseDu(readReal('01-after-cold.buildx-du.txt'), 'table');
		expect({...usage, largest: usage.largest.length}).toEqual({
			totalBytes: 1_560_000_000,
			reclaimableBytes: 1_560_000_000,
			sharedBytes: 0,
			privateBytes: 1_560_000_000,
			recordCount: 26,
			largest: 10,
			format: 'table',
			reclaimableUnused24hBytes: 0,
			reclaimablePrivateBytes: 1_560_000_000,
		});
		expect(usage.largest.map(r => r.sizeBytes).slice(0, 4)).toEqual([279_000_000, 279_000_000, 243_100_000, 242_300_000]);
	});

	it.each([
		['00-before-cold', 0, 0, 0],
		['04-after-push', 3_221_000_000, 3_221_000_000, 61],
		['05-after-prune-keep-storage', 24_580, 24_580, 1],
		['06-after-prune-all', 0, 0, 0],
		['14-final', 1_560_000_000, 1_560_000_000, 26],
		['15-after-multinode', 1_563_000_000, 1_563_000_000, 30],
	])('%s: table and verbose agree', (name, total, reclaimable, records) => {
		for (const [file, format] of [
			[`${name}.buildx-du.txt`, 'table'],
			[`${name}.buildx-du-verbose.txt`, 'verbose'],
		] as const) {
			const usage = parseDu(readReal(file), format);
			expect([usage.totalBytes, usage.reclaimableBytes, usage.recordCount]).toEqual([total, reclaimable, records]);
		}
	});
});

describe('buildx du --verbose', () => {
	it('reads descriptions and record types', () => {
		const usage = parseDu(readReal('01-after-cold.buildx-du-verbose.txt'), 'verbose');
		expect(usage.bytesByType).toEqual({regular: 1_317_078_430, 'exec.cachemount': 243_100_000, 'source.local': 40_964});
		expect(usage.largest[2]).toEqual({
			id: 'x358tnjr4ogzsd1msx0dsmen0',
			sizeBytes: 243_100_000,
			isReclaimable: true,
			isShared: false,
			isMutable: true,
			description:
				'cached mount /root/.cache/pip from exec /bin/sh -c pip install --index-url http://127.0.0.1:8000/simple/ --trusted-host 127.0.0.1         "torch==${TORCH_VERSION}+${TORCH_VARIANT}"         -r requirements.txt with id "//root/.cache/pip"',
			recordType: 'exec.cachemount',
			lastUsed: 'Less than a second ago',
		});
		expect(usage.largest.find(r => r.id === 'w0es9gfp9vbe6l069s3n8ld0f')?.description).toMatch(/^mount \/ from exec \/bin\/sh -c pip install /);
	});

	it('reads a description that spans lines (a RUN heredoc) without losing the next fields', () => {
		const text = 'ID:\t\tabc\nMutable:\tfalse\nReclaimable:\ttrue\nShared:\t\tfalse\nSize:\t\t1.5MB\nDescription:\tmount / from exec /bin/sh -c cat <<EOF\nhello: world\nEOF\nUsage count:\t1\nType:\t\tregular\n\nReclaimable:\t1.5MB\nTotal:\t\t1.5MB\n';
		const parse = parseDuVerbose(text);
		expect(parse.records).toEqual([
			{id: 'abc', sizeBytes: 1_500_000, isReclaimable: true, isShared: false, isMutable: false, description: 'mount / from exec /bin/sh -c cat <<EOF\nhello: world\nEOF', recordType: 'regular'},
		]);
		expect(parse.footer).toEqual({reclaimableBytes: 1_500_000, totalBytes: 1_500_000});
	});
});

describe('buildx du on the docker driver (real captures from this machine)', () => {
	it('reads shared records and the Shared/Private footer', () => {
		const table = parseDu(local('docker-driver.buildx-du.real.txt'), 'table');
		expect([table.totalBytes, table.reclaimableBytes, table.sharedBytes, table.privateBytes, table.recordCount]).toEqual([
			5_703_000, 5_703_000, 1_847_000, 3_857_000, 7,
		]);
		// what `buildx prune` frees here: the shared records stay (they are the image store's layers)
		expect(table.reclaimablePrivateBytes).toBe(5_703_000 - 1_847_000);
		expect(table.largest.filter(r => r.isShared).map(r => r.id)).toEqual([
			'ul3f9d7lid0ifj8wbzppvm8w4',
			'yms1cfldnv9ypxvrmjo4ll3ex',
			'wajf3vx69e03mheh4r2sl0k8g',
		]);
		const verbose = parseDu(local('docker-driver.buildx-du-verbose.real.txt'), 'verbose');
		expect([verbose.totalBytes, verbose.sharedBytes, verbose.privateBytes, verbose.recordCount]).toEqual([5_703_000, 1_847_000, 3_857_000, 7]);
		expect(verbose.bytesByType).toEqual({regular: 3_829_000, 'source.local': 1_874_112});
	});
});

describe('buildx >= 0.28 output (synthetic, made from the real 0.13.1 records)', () => {
	it('--format json: totals are the sums of the rounded sizes (json has no footer)', () => {
		const usage = parseDu(readFileSync(`${syntheticDir}synthetic-buildx-du-format-json.jsonl`, 'utf8'), 'json');
		expect([usage.totalBytes, usage.reclaimableBytes, usage.sharedBytes, usage.privateBytes, usage.recordCount, usage.format]).toEqual([
			1_560_219_394, 1_560_219_394, 0, 1_560_219_394, 26, 'json',
		]);
		expect(usage.largest[0]).toEqual({
			id: 'iwimfu340s9hjt0ewfeqrsdfd',
			sizeBytes: 279_000_000,
			isReclaimable: true,
			isShared: false,
			isMutable: false,
			description: '[linux/arm64 runtime 3/5] COPY --from=builder /opt/venv /opt/venv',
			recordType: 'regular',
			lastUsed: '4 seconds ago',
		});
	});

	it('--verbose (pretty template with a Parents list) reads like the 0.13 blocks', () => {
		const pretty = parseDu(readFileSync(`${syntheticDir}synthetic-buildx-du-pretty.txt`, 'utf8'), 'verbose');
		const old = parseDu(readReal('01-after-cold.buildx-du-verbose.txt'), 'verbose');
		expect(pretty).toEqual(old);
	});

	it('accepts a JSON array and skips damaged lines', () => {
		expect(parseDuJson('[{"ID":"a","Size":"1kB","Reclaimable":true}]').records).toEqual([
			{id: 'a', sizeBytes: 1000, isReclaimable: true, isShared: false, isMutable: false},
		]);
		expect(parseDuJson('{"ID":"a","Size":"1kB"}\n{"ID":\n').records.length).toBe(1);
	});
});

describe('reclaimable unused for 24 h', () => {
	it('reads go-units HumanDuration back to seconds', () => {
		expect(humanAgeSeconds('Less than a second ago')).toBe(0);
		expect(humanAgeSeconds('4 seconds ago')).toBe(4);
		expect(humanAgeSeconds('About a minute ago')).toBe(60);
		expect(humanAgeSeconds('About an hour ago')).toBe(3600);
		expect(humanAgeSeconds('47 hours ago')).toBe(169_200);
		expect(humanAgeSeconds('3 weeks ago')).toBe(1_814_400);
		expect(humanAgeSeconds('soon')).toBeUndefined();
	});

	it('counts reclaimable records last used 24 h ago or more', () => {
		const text = [
			'ID\t\t\t\t\t\tRECLAIMABLE\tSIZE\t\tLAST ACCESSED',
			'a               \ttrue \t\t1MB     \t2 days ago',
			'b               \ttrue \t\t2MB     \t23 hours ago',
			'c               \tfalse\t\t4MB     \t3 weeks ago',
			'd               \ttrue \t\t8MB     \t24 hours ago',
			'Reclaimable:\t11MB',
			'Total:\t\t15MB',
		].join('\n');
		expect(summarizeDu(parseDuTable(text)).reclaimableUnused24hBytes).toBe(9_000_000);
	});
});
