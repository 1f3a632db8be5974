// The download tracker on SYNTHETIC rawjson streams (test/fixtures/synthetic/synthetic-*.rawjson, written by
// synthetic-downloads-make.mjs there): forms the real captures lack. Times are relative to the fixtures' base.
import {describe, expect, it} from 'vitest';
import {brief, downloadEvents, specOf, trackFixture} from './tracker-helpers.js';
import {createDownloadTracker} from '../../../source/sources/download-tracker.js';
import type {SolveStatus} from '../../../source/domain/events.js';
import type {DownloadEvent} from '../../../source/domain/downloads-events.js';

const base = Date.parse('2026-01-15T10:00:00.000Z');
const track = (name: string, platforms = ['linux/amd64'], chunk = 4096) => downloadEvents(trackFixture(name, platforms, chunk));
const milestones = (events: DownloadEvent[]) => brief(events.filter(e => e.type !== 'download/progressed'), base);

describe('synthetic: rich live bar with ANSI codes (FORCE_COLOR), chunks cut anywhere', () => {
	const events = track('synthetic-pip-live-bar.rawjson');

	it('starts, reports live progress at most every 250 ms, and finishes on the final bar', () => {
		expect(milestones(events)).toEqual([
			{type: 'started', t: 387, platform: 'linux/amd64', id: '0b5b051cbf1f-1', package: 'torch', version: '2.5.1+cpu', totalBytes: 120_000_000, source: 'pip-log'},
			{type: 'finished', t: 9600, platform: 'linux/amd64', id: '0b5b051cbf1f-1', package: 'torch', version: '2.5.1+cpu', sizeBytes: 120_000_000, durationMs: 9213, bytesPerSecond: 13_025_073, source: 'pip-live'},
			{type: 'started', t: 9809, platform: 'linux/amd64', id: '0b5b051cbf1f-2', package: 'numpy', version: '1.26.4', totalBytes: 3_000_000, source: 'pip-log'},
			{type: 'finished', t: 10_050, platform: 'linux/amd64', id: '0b5b051cbf1f-2', package: 'numpy', version: '1.26.4', sizeBytes: 3_000_000, durationMs: 241, bytesPerSecond: 12_448_133, source: 'pip-live'},
		]);
		const progress = events.filter(e => e.type === 'download/progressed' && e.downloadId === '0b5b051cbf1f-1');
		expect(progress).toHaveLength(35);
		expect(brief(progress.slice(0, 3), base)).toEqual([
			{type: 'progressed', t: 388, platform: 'linux/amd64', id: '0b5b051cbf1f-1', totalBytes: 120_000_000, doneBytes: 0, source: 'pip-live'},
			{type: 'progressed', t: 640, platform: 'linux/amd64', id: '0b5b051cbf1f-1', totalBytes: 120_000_000, doneBytes: 4_500_000, bytesPerSecond: 14_200_000, etaMs: 9000, source: 'pip-live'},
			{type: 'progressed', t: 891, platform: 'linux/amd64', id: '0b5b051cbf1f-1', totalBytes: 120_000_000, doneBytes: 7_100_000, bytesPerSecond: 14_200_000, etaMs: 8000, source: 'pip-live'},
		]);
		for (let i = 1; i < progress.length; i++) expect(progress[i]!.at - progress[i - 1]!.at).toBeGreaterThanOrEqual(250);
	});

	it('gives the same events for any chunking of the rawjson text', () => {
		expect(track('synthetic-pip-live-bar.rawjson', ['linux/amd64'], 7)).toEqual(events);
	});
});

describe('synthetic: pip >= 25.2 from PyPI without a TTY (elapsed form), several wheels, a cache hit', () => {
	it('reads the bar split across chunks, skips the small metadata download and reports the cache hit', () => {
		expect(milestones(track('synthetic-pip-25-elapsed.rawjson'))).toEqual([
			{type: 'started', t: 900, platform: 'linux/amd64', id: '0cde3be8712f-1', package: 'torch', version: '2.5.1', totalBytes: 174_700_000, source: 'pip-log'},
			{type: 'finished', t: 13_000, platform: 'linux/amd64', id: '0cde3be8712f-1', package: 'torch', version: '2.5.1', sizeBytes: 174_700_000, durationMs: 12_100, bytesPerSecond: 14_438_017, source: 'pip-bar'},
			{type: 'cache-hit', t: 13_250, platform: 'linux/amd64', id: '0cde3be8712f-2', package: 'numpy', version: '2.1.3', sizeBytes: 16_300_000, source: 'pip-log'},
			{type: 'started', t: 13_600, platform: 'linux/amd64', id: '0cde3be8712f-3', package: 'nvidia_nccl_cu12', version: '2.21.5', totalBytes: 188_700_000, source: 'pip-log'},
			{type: 'finished', t: 27_100, platform: 'linux/amd64', id: '0cde3be8712f-3', package: 'nvidia_nccl_cu12', version: '2.21.5', sizeBytes: 188_700_000, durationMs: 13_500, bytesPerSecond: 13_977_778, source: 'pip-bar'},
		]);
	});
});

describe('synthetic: --progress-bar raw, two platforms downloading at once, arm64 fails halfway', () => {
	const events = track('synthetic-pip-raw-two-platforms.rawjson', ['linux/amd64', 'linux/arm64']);

	it('keeps the platforms apart, measures rates from timestamps, and reports exact sizes', () => {
		expect(milestones(events)).toEqual([
			{type: 'started', t: 400, platform: 'linux/amd64', id: '0ff885a0db87-1', package: 'torch', version: '2.5.1+cpu', totalBytes: 120_000_000, source: 'pip-log'},
			{type: 'started', t: 600, platform: 'linux/arm64', id: '07fc28b0f018-1', package: 'torch', version: '2.5.1+cpu', totalBytes: 120_000_000, source: 'pip-log'},
			{
				type: 'failed',
				t: 7000,
				platform: 'linux/arm64',
				id: '07fc28b0f018-1',
				package: 'torch',
				version: '2.5.1+cpu',
				totalBytes: 120_001_686,
				doneBytes: 60_000_000,
				durationMs: 6400,
				source: 'pip-raw',
				reason: 'step failed: process "/bin/sh -c pip install --progress-bar raw torch==2.5.1+cpu numpy==1.26.4" did not complete successfully: exit code: 2',
			},
			{type: 'finished', t: 12_750, platform: 'linux/amd64', id: '0ff885a0db87-1', package: 'torch', version: '2.5.1+cpu', sizeBytes: 120_001_684, durationMs: 12_350, bytesPerSecond: 9_716_736, source: 'pip-raw'},
			{type: 'started', t: 13_000, platform: 'linux/amd64', id: '0ff885a0db87-2', package: 'numpy', version: '1.26.4', totalBytes: 3_000_000, source: 'pip-log'},
			{type: 'finished', t: 13_400, platform: 'linux/amd64', id: '0ff885a0db87-2', package: 'numpy', version: '1.26.4', sizeBytes: 3_001_597, durationMs: 400, bytesPerSecond: 7_503_993, source: 'pip-raw'},
		]);
		const amd = events.filter(e => e.type === 'download/progressed' && e.downloadId === '0ff885a0db87-1');
		expect(brief(amd.slice(1, 3), base)).toEqual([
			{type: 'progressed', t: 1000, platform: 'linux/amd64', id: '0ff885a0db87-1', totalBytes: 120_001_684, doneBytes: 5_000_000, bytesPerSecond: 10_000_000, etaMs: 11_500, source: 'pip-raw'},
			{type: 'progressed', t: 1500, platform: 'linux/amd64', id: '0ff885a0db87-1', totalBytes: 120_001_684, doneBytes: 10_000_000, bytesPerSecond: 10_000_000, etaMs: 11_000, source: 'pip-raw'},
		]);
		const finished = events.find(e => e.type === 'download/finished' && e.downloadId === '0ff885a0db87-1');
		expect(finished).toMatchObject({isSizeRounded: false});
	});
});

describe('synthetic: uv (parallel downloads, binary units, ANSI colours on stderr)', () => {
	it('tracks each package by name and skips the small one', () => {
		expect(milestones(track('synthetic-uv.rawjson'))).toEqual([
			{type: 'started', t: 300, platform: 'linux/amd64', id: '00bc840634e9-1', package: 'torch', totalBytes: 766_613_914, source: 'uv'},
			{type: 'started', t: 300, platform: 'linux/amd64', id: '00bc840634e9-2', package: 'nvidia-cudnn-cu12', totalBytes: 664_797_184, source: 'uv'},
			{type: 'finished', t: 45_300, platform: 'linux/amd64', id: '00bc840634e9-2', package: 'nvidia-cudnn-cu12', sizeBytes: 664_797_184, durationMs: 45_000, bytesPerSecond: 14_773_271, source: 'uv'},
			{type: 'finished', t: 52_800, platform: 'linux/amd64', id: '00bc840634e9-1', package: 'torch', sizeBytes: 766_613_914, durationMs: 52_500, bytesPerSecond: 14_602_170, source: 'uv'},
		]);
	});
});

describe('synthetic: a live download that fails (pip ERROR with a traceback, then the step error)', () => {
	it('fails once, at the ERROR line, with the last traceback line as the reason and the last bytes seen', () => {
		expect(milestones(track('synthetic-pip-live-fail.rawjson'))).toEqual([
			{type: 'started', t: 300, platform: 'linux/amd64', id: '0c9c85b30bd0-1', package: 'torch', version: '2.5.1+cpu', totalBytes: 120_000_000, source: 'pip-log'},
			{
				type: 'failed',
				t: 4600,
				platform: 'linux/amd64',
				id: '0c9c85b30bd0-1',
				package: 'torch',
				version: '2.5.1+cpu',
				totalBytes: 120_000_000,
				doneBytes: 50_000_000,
				durationMs: 4300,
				source: 'pip-live',
				reason:
					"pip: pip._vendor.urllib3.exceptions.ProtocolError: ('Connection broken: IncompleteRead(50000000 bytes read, 70000000 more expected)', IncompleteRead(50000000 bytes read, 70000000 more expected))",
			},
		]);
	});
});

describe('synthetic: a 1.2 GB base image layer pull (BuildKit statuses)', () => {
	it('measures the rate from the status timestamps and ignores layers under 1 MB', () => {
		const events = track('synthetic-layer-pull.rawjson');
		expect(milestones(events)).toEqual([
			{type: 'started', t: 1000, platform: 'linux/amd64', id: '0caef5661f90-1', package: 'docker.io/nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04', totalBytes: 1_200_000_000, source: 'buildkit-status'},
			{type: 'finished', t: 13_000, platform: 'linux/amd64', id: '0caef5661f90-1', package: 'docker.io/nvidia/cuda:12.4.1-cudnn-runtime-ubuntu22.04', sizeBytes: 1_200_000_000, durationMs: 12_000, bytesPerSecond: 100_000_000, source: 'buildkit-status'},
		]);
		const progress = events.filter(e => e.type === 'download/progressed');
		expect(progress).toHaveLength(11);
		expect(brief([progress[2]!], base)).toEqual([
			{type: 'progressed', t: 4000, platform: 'linux/amd64', id: '0caef5661f90-1', totalBytes: 1_200_000_000, doneBytes: 300_000_000, bytesPerSecond: 100_000_000, etaMs: 9000, source: 'buildkit-status'},
		]);
		expect(events[0]).toMatchObject({kind: 'layer-pull', tool: 'buildkit', file: 'sha256:4f4fb700ef54'});
	});
});

// ---- small inline streams (synthetic) for edge cases ----

const vertex = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';
const at = (s: number) => base + s * 1000;
const log = (s: number, text: string): SolveStatus => ({logs: [{vertex, text, timestamp: at(s)}]});
const step = (name: string, fields: {started?: number; completed?: number; error?: string} = {}): SolveStatus => ({vertexes: [{digest: vertex, name, ...fields}]});

function run(statuses: SolveStatus[], platforms = ['linux/amd64', 'linux/arm64'], options = {}): DownloadEvent[] {
	const listen = createDownloadTracker(specOf(platforms), options);
	return statuses.flatMap(s => listen(s, base)) as DownloadEvent[];
}

describe('edge cases (synthetic)', () => {
	const name = '[linux/arm64 builder 5/7] RUN pip install torch';
	const downloading = '  Downloading torch-2.5.1-cp311-cp311-manylinux1_aarch64.whl (174.7 MB)\n';

	it('a cancelled step (the other platform failed) fails its download as cancelled', () => {
		const events = run([step(name, {started: at(0)}), log(1, downloading), step(name, {started: at(0), completed: at(5), error: 'process "/bin/sh -c pip install torch" did not complete successfully: exit code: 137: context canceled'})]);
		expect(brief(events, base)).toEqual([
			{type: 'started', t: 1000, platform: 'linux/arm64', id: '111111111111-1', package: 'torch', version: '2.5.1', totalBytes: 174_700_000, source: 'pip-log'},
			{type: 'failed', t: 5000, platform: 'linux/arm64', id: '111111111111-1', package: 'torch', version: '2.5.1', totalBytes: 174_700_000, durationMs: 4000, source: 'pip-log', reason: 'cancelled'},
		]);
	});

	it('with --progress-bar off, the next pip line ends the download (source pip-log)', () => {
		const events = run([step(name, {started: at(0)}), log(1, downloading), log(13, 'Installing collected packages: torch\n')]);
		expect(events[1]).toMatchObject({type: 'download/finished', durationMs: 12_000, sizeBytes: 174_700_000, bytesPerSecond: 14_558_333, source: 'pip-log'});
	});

	it('a step that completes with a download still open finishes it at the completion time', () => {
		const events = run([step(name, {started: at(0)}), log(1, downloading), step(name, {started: at(0), completed: at(3)})]);
		expect(events[1]).toMatchObject({type: 'download/finished', at: base + 3000, durationMs: 2000});
	});

	it('a line split into single characters is read once', () => {
		const statuses = [step(name, {started: at(0)}), ...[...downloading].map((ch, i) => log(1 + i / 1000, ch))];
		const events = run(statuses);
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({type: 'download/started', at: base + 1000 + downloading.length - 1});
	});

	it('bounds memory: an endless line without a newline is cut, and later lines still parse', () => {
		const events = run([step(name, {started: at(0)}), ...Array.from({length: 50}, (_, i) => log(0.5 + i / 100, 'x'.repeat(100_000))), log(1, `\n${downloading}`)]);
		expect(events.map(e => e.type)).toEqual(['download/started']);
	});

	it('forgets finished vertices beyond maxVertices and keeps working', () => {
		const listen = createDownloadTracker(specOf(['linux/amd64']), {maxVertices: 4});
		const out: DownloadEvent[] = [];
		for (let i = 0; i < 50; i++) {
			const digest = `sha256:${String(i).padStart(64, '0')}`;
			out.push(...(listen({vertexes: [{digest, name: `[${i + 1}/50] RUN true`, started: at(i), completed: at(i + 0.5)}]}, base) as DownloadEvent[]));
		}
		out.push(...(listen(step('[builder 5/7] RUN pip install torch', {started: at(60)}), base) as DownloadEvent[]));
		out.push(...(listen(log(61, downloading), base) as DownloadEvent[]));
		expect(out.map(e => [e.type, e.platform])).toEqual([['download/started', 'linux/amd64']]);
	});

	it('keeps download ids unique when a forgotten vertex comes back', () => {
		const listen = createDownloadTracker(specOf(['linux/amd64']), {maxVertices: 2});
		const feed = (status: SolveStatus) => listen(status, base) as DownloadEvent[];
		const ids: string[] = [];
		const pipStep = '[builder 5/7] RUN pip install torch';
		for (const e of [...feed(step(pipStep, {started: at(0)})), ...feed(log(1, downloading)), ...feed(step(pipStep, {started: at(0), completed: at(2)}))]) ids.push(e.downloadId);
		for (let i = 0; i < 5; i++) feed({vertexes: [{digest: `sha256:${String(i).padStart(64, '0')}`, name: `[${i}/5] RUN true`, started: at(3), completed: at(3)}]});
		for (const e of [...feed(step(pipStep, {started: at(10)})), ...feed(log(11, downloading))]) ids.push(e.downloadId);
		expect(ids).toEqual(['111111111111-1', '111111111111-1', '111111111111-2']);
	});

	it('logs of a vertex never named fall back to the build platform (`*` for multi-platform)', () => {
		const events = run([log(1, downloading)]);
		expect(events[0]).toMatchObject({platform: '*'});
		expect(run([log(1, downloading)], ['linux/amd64'])[0]).toMatchObject({platform: 'linux/amd64'});
	});

	it('pip resuming the same file continues the same download', () => {
		const events = run([
			step(name, {started: at(0)}),
			log(1, downloading),
			log(5, 'WARNING: Connection timed out while downloading.\n'),
			log(6, '  Resuming download torch-2.5.1-cp311-cp311-manylinux1_aarch64.whl (40.0 MB/174.7 MB)\n'),
			log(16, '   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 174.7/174.7 MB 13.0 MB/s  0:00:10\n'),
		]);
		expect(events.map(e => e.type)).toEqual(['download/started', 'download/finished']);
		expect(events[1]).toMatchObject({durationMs: 15_000, sizeBytes: 174_700_000});
	});
});
