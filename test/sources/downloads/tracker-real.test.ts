// The download tracker on real buildx captures (test/fixtures/real, README there): pip 23.0.1 without a TTY,
// a 120,001,684-byte torch wheel from a PEP 503 index on 127.0.0.1 throttled to about 14 MB/s.
import {describe, expect, it} from 'vitest';
import {downloadEvents, readFixture, trackFixture} from './tracker-helpers.js';

const ms = (iso: string) => Date.parse(iso);

describe('real capture 01: cold multi-platform build (pip downloads torch for both platforms)', () => {
	const events = downloadEvents(trackFixture('01-cold-multiplatform-oci.stderr.rawjson', ['linux/amd64', 'linux/arm64']));

	it('emits the layer pulls, both torch downloads, numpy and the arm64 cache hit with BuildKit times', () => {
		const torchAmd = 'sha256:ea9f5e16e3b9d2551092ed2789f939fa2e500372f2129567b4437c464e53b3ff';
		const torchArm = 'sha256:fab374091da0b7a62c6b04bc0f0de7ea7127d0f77c76886325544a1c53148a7e';
		const pip = events.filter(e => 'tool' in e && e.tool === 'pip');
		expect(pip).toEqual([
			{
				type: 'download/started',
				at: ms('2026-11-29T10:42:04.967428688Z'),
				buildId: 'b1',
				platform: 'linux/amd64',
				downloadId: 'ea9f5e16e3b9-1',
				package: 'torch',
				version: '2.5.1+cpu',
				file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
				kind: 'wheel',
				tool: 'pip',
				vertex: torchAmd,
				url: 'http://127.0.0.1:8000/files/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl',
				totalBytes: 120_000_000,
				isTotalRounded: true,
				source: 'pip-log',
			},
			{
				type: 'download/finished',
				at: ms('2026-11-29T10:42:14.245314959Z'),
				buildId: 'b1',
				platform: 'linux/amd64',
				downloadId: 'ea9f5e16e3b9-1',
				package: 'torch',
				version: '2.5.1+cpu',
				file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
				kind: 'wheel',
				tool: 'pip',
				vertex: torchAmd,
				startedAt: ms('2026-11-29T10:42:04.967428688Z'),
				sizeBytes: 120_000_000,
				isSizeRounded: true,
				durationMs: 9278,
				bytesPerSecond: 12_933_822,
				source: 'pip-bar',
				isEstimate: false,
			},
			expect.objectContaining({type: 'download/started', package: 'numpy', platform: 'linux/amd64', at: ms('2026-11-29T10:42:14.376272365Z'), totalBytes: 3_000_000}),
			expect.objectContaining({type: 'download/finished', package: 'numpy', platform: 'linux/amd64', durationMs: 273, sizeBytes: 3_000_000, bytesPerSecond: 10_989_011}),
			expect.objectContaining({type: 'download/started', package: 'torch', platform: 'linux/arm64', vertex: torchArm, file: 'torch-2.5.1+cpu-cp311-cp311-linux_aarch64.whl', at: ms('2026-11-29T10:42:24.354989745Z')}),
			expect.objectContaining({type: 'download/finished', package: 'torch', platform: 'linux/arm64', at: ms('2026-11-29T10:42:33.582917863Z'), durationMs: 9228, sizeBytes: 120_000_000, bytesPerSecond: 13_003_901, source: 'pip-bar'}),
			{
				type: 'download/cache-hit',
				at: ms('2026-11-29T10:42:35.331932582Z'),
				buildId: 'b1',
				platform: 'linux/arm64',
				downloadId: 'fab374091da0-2',
				package: 'numpy',
				version: '1.26.4',
				file: 'numpy-1.26.4-py3-none-any.whl',
				kind: 'wheel',
				tool: 'pip',
				vertex: torchArm,
				url: 'http://127.0.0.1:8000/files/numpy-1.26.4-py3-none-any.whl',
				sizeBytes: 3_000_000,
				isSizeRounded: true,
				source: 'pip-log',
			},
		]);
	});

	it('does not track the 1.5 kB and 1.6 kB wheels (below the 1 MB threshold)', () => {
		expect(events.some(e => 'package' in e && (e.package === 'filelock' || e.package === 'typing_extensions'))).toBe(false);
	});

	it('agrees with the index server within 10% (its log: 120001684 bytes in 8.7 s)', () => {
		// pip's own span also holds its HTTP cache write after the last byte (the build uses a pip cache mount).
		const serverRate = 120_001_684 / 8.7;
		const amd = events.find(e => e.type === 'download/finished' && e.package === 'torch' && e.platform === 'linux/amd64');
		expect(amd && 'bytesPerSecond' in amd && Math.abs(amd.bytesPerSecond! - serverRate) / serverRate).toBeLessThan(0.1);
	});

	it('reads the base image layer pulls from BuildKit statuses (exact sizes, started/completed times)', () => {
		const layers = events.filter(e => 'tool' in e && e.tool === 'buildkit');
		expect(layers.map(e => [e.type, e.platform, 'file' in e ? e.file : undefined, e.at])).toEqual([
			['download/started', 'linux/amd64', 'sha256:20d72e33fe05', ms('2026-11-29T10:41:58.57545881Z')],
			['download/started', 'linux/arm64', 'sha256:a7f82e7a4419', ms('2026-11-29T10:41:58.611349206Z')],
			['download/finished', 'linux/amd64', 'sha256:20d72e33fe05', ms('2026-11-29T10:41:58.757746076Z')],
			['download/finished', 'linux/arm64', 'sha256:a7f82e7a4419', ms('2026-11-29T10:41:58.817393829Z')],
		]);
		expect(layers.find(e => e.type === 'download/finished' && e.platform === 'linux/amd64')).toMatchObject({
			package: '127.0.0.1:5000/lab/python:bookworm',
			kind: 'layer-pull',
			sizeBytes: 55_485_144,
			isSizeRounded: false,
			durationMs: 182,
			bytesPerSecond: 304_863_429,
			source: 'buildkit-status',
		});
		// The one mid-transfer status: arm64 at 38797312 of 55118364.
		expect(events.filter(e => e.type === 'download/progressed')).toEqual([
			expect.objectContaining({platform: 'linux/amd64', doneBytes: 55_485_144, totalBytes: 55_485_144}),
			expect.objectContaining({platform: 'linux/arm64', doneBytes: 38_797_312, totalBytes: 55_118_364}),
		]);
	});

	it('gives the same download events however the stream is chunked', () => {
		for (const size of [1, 97, 65_536]) {
			expect(downloadEvents(trackFixture('01-cold-multiplatform-oci.stderr.rawjson', ['linux/amd64', 'linux/arm64'], size))).toEqual(events);
		}
	});
});

describe('real captures 07: two single-platform builds started at once (step names carry no platform)', () => {
	it('takes the platform from the build spec', () => {
		const arm = downloadEvents(trackFixture('07-concurrent-per-platform-cold-arm64.stderr.rawjson', ['linux/arm64']));
		expect(arm.filter(e => e.type !== 'download/progressed').map(e => [e.type, e.platform, 'package' in e ? e.package : '', e.at])).toEqual([
			['download/started', 'linux/arm64', '127.0.0.1:5000/lab/python:bookworm', ms('2026-11-29T10:44:25.226984355Z')],
			['download/finished', 'linux/arm64', '127.0.0.1:5000/lab/python:bookworm', ms('2026-11-29T10:44:25.428790933Z')],
			['download/started', 'linux/arm64', 'torch', ms('2026-11-29T10:44:54.063401593Z')],
			['download/finished', 'linux/arm64', 'torch', ms('2026-11-29T10:45:03.705895614Z')],
			['download/cache-hit', 'linux/arm64', 'numpy', ms('2026-11-29T10:45:05.92638785Z')],
		]);
		const amd = downloadEvents(trackFixture('07-concurrent-per-platform-cold-amd64.stderr.rawjson', ['linux/amd64']));
		expect(amd.find(e => e.type === 'download/finished' && e.package === 'torch')).toMatchObject({
			platform: 'linux/amd64',
			startedAt: ms('2026-11-29T10:44:31.184704753Z'),
			durationMs: 9366,
			sizeBytes: 120_000_000,
		});
	});
});

describe('real captures without downloads', () => {
	it('emits nothing for a warm (fully cached) build, the failing build and the push', () => {
		for (const name of ['02-warm-multiplatform-oci.stderr.rawjson', '09-fail-multiplatform-rawjson.stderr.rawjson', '04-push-multiplatform-registry.stderr.rawjson']) {
			expect(readFixture(name).length).toBeGreaterThan(0);
			expect(downloadEvents(trackFixture(name, ['linux/amd64', 'linux/arm64']))).toEqual([]);
		}
	});
});
