// The docker driver's build cache from the Engine API, against buildx du of the same cache: the three captured one
// after another on this machine's dockerd 28 with nothing building in between (test/fixtures/real/README.md).
import {describe, expect, it} from 'vitest';
import {parseDu, parseDuJson, summarizeDu, type DuParse} from '../../../source/lib/du-table.js';
import {parseEngineBuildCache} from '../../../source/lib/engine-build-cache.js';
import {readReal} from '../../helpers/captures.js';

const engine = () => parseEngineBuildCache(readReal('local-dockerd28-engine-system-df-build-cache.json'))!;

describe('the Engine API\'s build cache (real, dockerd 28)', () => {
	it('holds the records buildx du lists, with their types, descriptions, sharing and use', () => {
		const view = (records: DuParse['records']) => Object.fromEntries(records.map(r => [r.id, [r.recordType, r.description, r.isShared, r.isReclaimable]]));
		expect(view(engine().records)).toEqual(view(parseDuJson(readReal('local-dockerd28-buildx029-du-json.txt')).records));
	});

	it('sums to the footer of buildx du --verbose, exactly where buildx rounds to four digits', () => {
		const verbose = parseDu(readReal('local-dockerd28-buildx029-du-verbose.txt'), 'verbose');
		const ours = summarizeDu(engine());
		expect(ours.format).toBe('engine');
		// buildx prints 13.97MB for 13,972,325 bytes
		expect(ours.totalBytes).toBe(13_972_325);
		for (const key of ['totalBytes', 'reclaimableBytes', 'sharedBytes', 'privateBytes'] as const) {
			expect(Math.abs(ours[key] - verbose[key])).toBeLessThanOrEqual(verbose[key] * 0.0005);
		}
		// the largest record to the byte, where buildx's json says 3.108MB of the same record
		expect(ours.largest[0]).toMatchObject({sizeBytes: 3_108_186, description: '[linux/amd64 compile 1/2] COPY --from=0 / /'});
		expect(parseDuJson(readReal('local-dockerd28-buildx029-du-json.txt')).records.find(r => r.id === ours.largest[0]!.id)?.sizeBytes).toBe(3_108_000);
	});

	it('ages from the RFC 3339 times: all used minutes before the capture, none 24 h old', () => {
		const capturedAt = Date.parse('2026-12-02T05:25:00Z');
		expect(summarizeDu(engine(), 10, capturedAt).reclaimableUnused24hBytes).toBe(0);
		// a day and a minute later every reclaimable, unshared record counts
		const later = summarizeDu(engine(), 10, capturedAt + 24 * 3600_000 + 60_000);
		expect(later.reclaimableUnused24hBytes).toBe(later.reclaimablePrivateBytes);
	});

	it('SYNTHETIC: an empty cache is null; a body that is not the answer is nothing', () => {
		expect(parseEngineBuildCache('{"LayersSize":0,"Images":null,"Containers":null,"Volumes":null,"BuildCache":null}')?.records).toEqual([]);
		expect(parseEngineBuildCache('{"message":"client version 1.42 is too new. Maximum supported API version is 1.41"}')).toBeUndefined();
		expect(parseEngineBuildCache('<html>')).toBeUndefined();
	});
});
