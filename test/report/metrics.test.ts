// The streaming fold over recordings assembled from REAL captures (real-sessions.ts): environment, resources from
// the real `docker stats` samples, build cache before/after from the real `buildx du`, the real prune. Expected
// figures are checked against the raw capture files where they can be read independently.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {createMetricsFold, sessionReport, summarizeRecording} from '../../source/report/metrics.js';
import {maxDownloadRecords} from '../../source/state/slices/downloads.js';
import {isMeasured, type Disk, type Resources} from '../../source/report/types.js';
import {RecordingError} from '../../source/record/reader.js';
import type {StatsSample} from '../../source/domain/resources-events.js';
import type {ImageEvent} from '../../source/domain/image-events.js';
import {readReal} from '../helpers/captures.js';
import {realSession, sessions, writeRecording} from './real-sessions.js';

const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-metrics-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
const coldFile = writeRecording(path.join(dir, 'cold.bxrec'), realSession(sessions.cold));

describe('summarizeRecording: the cold session', async () => {
	const report = await summarizeRecording(coldFile);

	test('environment from the session info and the builder inspection', () => {
		expect(report.environment).toEqual({
			hostOs: 'linux',
			hostArch: 'x64',
			nativePlatform: 'linux/amd64',
			dockerVersion: '28.2.2',
			buildxVersion: '0.13.1+ds1',
			buildkitVersion: 'v0.26.3',
			builder: 'mybuilder',
			driver: 'docker-container',
			nodes: [
				{
					name: 'mybuilder0',
					endpoint: 'unix:///var/run/docker.sock',
					status: 'running',
					buildkitVersion: 'v0.26.3',
					platforms: ['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/amd64/v4', 'linux/arm64', 'linux/386', 'linux/arm/v7', 'linux/arm/v6'],
				},
			],
			platforms: ['linux/amd64', 'linux/arm64'],
			command: sessions.cold.command,
			mode: 'build',
			bxtopVersion: '0.1.0',
		});
	});

	test('BuildKit container: peak and mean CPU and memory equal those of the raw docker stats lines', () => {
		const rows = readReal('01-cold-multiplatform-oci.docker-stats.jsonl')
			.trim()
			.split('\n')
			.map(l => JSON.parse(l) as {CPUPerc: string; MemUsage: string});
		const cpu = rows.map(r => Number.parseFloat(r.CPUPerc));
		const resources = report.resources as Resources;
		const node = resources.nodes[0]!;
		expect(node.samples).toBe(50);
		expect(node.cpuPercent.peak).toBe(193.83);
		expect(node.cpuPercent.peak).toBe(Math.max(...cpu));
		expect(node.cpuPercent.mean).toBeCloseTo(cpu.reduce((a, b) => a + b, 0) / cpu.length, 10);
		// the largest MemUsage printed is 689.7MiB
		expect(node.memoryBytes.peak).toBe(Math.round(689.7 * 2 ** 20));
		expect(node.memoryLimitBytes).toBe(Math.round(23.54 * 2 ** 30));
		expect(node.netRxBytes).toBe(0);
		expect(node.notes).toEqual(['the node uses host networking: its container counters do not see build traffic']);
		expect(resources.unavailable).toEqual([]);
	});

	test('disk: cache before (empty, after the prune) and after the build, the prune with its reclaimed total', () => {
		const disk = report.disk as Disk;
		expect(disk.cacheBefore).toEqual({at: Date.parse('2026-11-29T10:41:58Z'), reason: 'initial', totalBytes: 0, reclaimableBytes: 0, recordCount: 0});
		expect(disk.cacheAfter).toEqual({at: Date.parse('2026-11-29T10:42:50Z'), reason: 'build-ended', totalBytes: 1_560_000_000, reclaimableBytes: 1_560_000_000, recordCount: 26});
		expect(disk.prunes).toEqual([
			{
				at: Date.parse('2026-11-29T10:41:54Z'),
				commandId: 'prune-all',
				argv: ['buildx', 'prune', '--builder', 'mybuilder', '--force', '--all'],
				// `Total:\t2.01GB` and the 41 record lines of 00-prune-all-before-start.txt
				reclaimedBytes: 2_010_000_000,
				recordsRemoved: 41,
				durationMs: 3000,
			},
		]);
		expect(disk.hostFreeBefore).toEqual({notMeasured: 'no host samples in this recording'});
	});

	test('the build: exact BuildKit start, end and duration; image not measured with the reason the archive gives', () => {
		const build = report.builds[0]!;
		expect([build.startMs, build.endMs, build.durationMs, build.status, build.exitCode]).toEqual([
			Date.parse('2026-11-29T10:41:58.460Z'),
			Date.parse('2026-11-29T10:42:45.598Z'),
			47_138,
			'done',
			0,
		]);
		expect(build.perPlatform.map(p => p.image)).toEqual([
			{notMeasured: 'multi-platform archive: the listing gives blob sizes but not which blobs belong to which platform (the manifests were not read)'},
			{notMeasured: 'multi-platform archive: the listing gives blob sizes but not which blobs belong to which platform (the manifests were not read)'},
		]);
		expect(report.endReason).toBe('completed');
		expect(report.damage).toEqual([]);
	});

	test('bottlenecks: slowest steps, emulation slowdown, torch downloaded once per platform', () => {
		const b = report.bottlenecks;
		expect(b.slowestSteps.map(s => [s.platform ?? 'shared', s.durationMs])).toEqual([
			['linux/arm64', 20_822],
			['linux/arm64', 14_434],
			['linux/amd64', 10_667],
			['shared', 7578],
			['linux/amd64', 3335],
		]);
		expect(b.emulation).toHaveLength(1);
		expect(b.emulation[0]).toMatchObject({reference: 'linux/amd64', platform: 'linux/arm64', isEmulated: true, steps: 10});
		expect(b.emulation[0]!.worstStep).toEqual({name: 'RUN python3 -m venv /opt/venv', referenceMs: 3335, platformMs: 20_822});
		expect(b.emulation[0]!.ratio).toBeCloseTo(b.emulation[0]!.platformMs / b.emulation[0]!.referenceMs, 12);
		expect(b.repeatedDownloads).toEqual([{package: 'torch', version: '2.5.1+cpu', count: 2, platforms: ['linux/amd64', 'linux/arm64'], totalBytes: 240_000_000, totalMs: 18_506}]);
	});
});

describe('recordings and their damage', () => {
	test('plain and gzip recordings of the same session give the same report', async () => {
		const gz = writeRecording(path.join(dir, 'cold.bxrec.gz'), realSession(sessions.cold));
		const plain = await summarizeRecording(coldFile);
		const zipped = await summarizeRecording(gz);
		expect({...zipped, file: ''}).toEqual({...plain, file: ''});
	});

	test('a truncated recording: the readable part is reported and the damage is said', async () => {
		const text = readFileSync(coldFile, 'utf8');
		const cut = path.join(dir, 'cut.bxrec');
		writeFileSync(cut, text.slice(0, Math.floor(text.length * 0.6)));
		const report = await summarizeRecording(cut);
		expect(report.damage).toHaveLength(1);
		expect(report.damage[0]!.reason).toBe('truncated or malformed JSON');
		expect(report.builds).toHaveLength(1);
		expect(report.builds[0]!.status).toBe('running');
		expect(report.endReason).toBeUndefined();
	});

	test('not a recording: a clear error', async () => {
		const bogus = path.join(dir, 'bogus.bxrec');
		writeFileSync(bogus, 'hello\n');
		await expect(summarizeRecording(bogus)).rejects.toThrow(RecordingError);
		await expect(summarizeRecording(bogus)).rejects.toThrow('line 1 is not JSON: not a bxtop recording');
	});

	test('a recording made without the download tracker says downloads were not measured', async () => {
		const file = writeRecording(path.join(dir, 'nodl.bxrec'), realSession({...sessions.cold, isWithoutDownloads: true}));
		const report = await summarizeRecording(file);
		const amd64 = report.builds[0]!.perPlatform[0]!;
		expect(amd64.downloads).toEqual({notMeasured: 'no download events in this recording (recorded without download tracking)'});
		expect(amd64.phases.map(p => p.phase)).not.toContain('downloads');
		expect(report.bottlenecks.repeatedDownloads).toEqual({notMeasured: 'no download events in this recording (recorded without download tracking)'});
	});
});

// SYNTHETIC events below: shapes the real captures do not contain (a recreated container, image events).
describe('the summary of synthetic events', () => {
	const sample = (at: number, containerId: string, netRxBytes: number, cpuPercent: number): {type: 'stats/sampled'; at: number; sample: StatsSample} => ({
		type: 'stats/sampled',
		at,
		sample: {
			node: 'n0',
			container: 'buildx_buildkit_n0',
			containerId,
			cpuPercent,
			memoryBytes: 100,
			memoryLimitBytes: 1000,
			netRxBytes,
			netTxBytes: 0,
			blockReadBytes: 0,
			blockWriteBytes: 0,
			source: 'engine-api',
		},
	});

	test('network received is summed across a container restart', () => {
		const fold = createMetricsFold();
		for (const e of [sample(1, 'a', 1000, 10), sample(2, 'a', 5000, 30), sample(3, 'b', 200, 20), sample(4, 'b', 700, 40)]) fold.add(e);
		const resources = sessionReport(fold.state(), {file: 'x', damage: []}).resources;
		expect(isMeasured(resources)).toBe(true);
		const node = (resources as Resources).nodes[0]!;
		expect(node.netRxBytes).toBe(4000 + 700);
		expect(node.cpuPercent).toEqual({peak: 40, mean: 25});
		expect(node.notes).toEqual(['container restarted 1 time: counters summed across restarts']);
	});

	test('image events: per-platform size, per-platform reason, build-wide reason', () => {
		const fold = createMetricsFold();
		const spec = {buildId: 'b', target: 't', tags: [], platforms: ['linux/amd64', 'linux/arm64'], argv: []};
		fold.add({type: 'build/queued', at: 1, spec});
		fold.add({type: 'build/exited', at: 2, buildId: 'b', exitCode: 0, isCancelled: false});
		const images: ImageEvent[] = [
			{type: 'image/measured', at: 3, buildId: 'b', platform: 'linux/amd64', sizeBytes: 185_535_769, isCompressed: true, layerCount: 5, source: 'imagetools-inspect'},
			{type: 'image/not-measured', at: 3, buildId: 'b', platform: 'linux/arm64', reason: 'imagetools inspect failed: unauthorized'},
		];
		for (const e of images) fold.add(e);
		const build = sessionReport(fold.state(), {file: 'x', damage: []}).builds[0]!;
		expect(build.perPlatform.map(p => p.image)).toEqual([
			{sizeBytes: 185_535_769, isCompressed: true, source: 'imagetools-inspect', layerCount: 5},
			{notMeasured: 'imagetools inspect failed: unauthorized'},
		]);
		expect(build.imageTotal).toEqual({notMeasured: 'not every platform measured: imagetools inspect failed: unauthorized'});

		const other = createMetricsFold();
		other.add({type: 'build/queued', at: 1, spec});
		other.add({type: 'image/not-measured', at: 3, buildId: 'b', reason: 'output type=cacheonly: no image was produced'});
		expect(sessionReport(other.state(), {file: 'x', damage: []}).builds[0]!.imageTotal).toEqual({notMeasured: 'output type=cacheonly: no image was produced'});
	});

	test('an event of unknown type adds nothing (odd shapes are refused before the fold: lib/event-shape.ts)', () => {
		const fold = createMetricsFold();
		fold.add({type: 'mystery/happened', at: 2} as never);
		const report = sessionReport(fold.state(), {file: 'x', damage: []});
		expect(report.builds).toEqual([]);
		expect(report.resources).toEqual({notMeasured: 'no container stats in this recording'});
	});

	test('synthetic: more downloads than the session keeps: cache hits go first and count whole; a build whose downloads were dropped says so', () => {
		const fold = createMetricsFold();
		const spec = (buildId: string) => ({buildId, target: buildId, tags: [], platforms: ['linux/amd64'], argv: []});
		const finished = (buildId: string, i: number, at: number) =>
			({type: 'download/finished', at, buildId, platform: 'linux/amd64', downloadId: `d${i}`, package: `pkg${i}`, file: `pkg${i}.whl`, kind: 'wheel', tool: 'pip', vertex: 'v', startedAt: at - 5, sizeBytes: 1000, isSizeRounded: false, durationMs: 5, source: 'pip-bar', isEstimate: false}) as const;
		fold.add({type: 'build/queued', at: 1, spec: spec('a')});
		fold.add({type: 'build/queued', at: 1, spec: spec('b')});
		for (let i = 0; i < 30; i++) fold.add(finished('a', i, 10 + i));
		for (let i = 0; i < 60; i++) {
			fold.add({type: 'download/cache-hit', at: 100 + i, buildId: 'b', platform: 'linux/amd64', downloadId: `c${i}`, package: 'numpy', file: 'numpy.whl', kind: 'wheel', tool: 'pip', vertex: 'v', isSizeRounded: true, source: 'pip-log'});
		}
		for (let i = 0; i < maxDownloadRecords; i++) fold.add(finished('b', i, 1000 + i));
		for (const id of ['a', 'b']) fold.add({type: 'build/exited', at: 5000, buildId: id, exitCode: 0, isCancelled: false});
		const report = sessionReport(fold.state(), {file: 'x', damage: []});
		const [a, b] = report.builds;
		// the 60 cache hits went before any finished download; then all 30 of a's
		expect(report.warnings).toEqual([`a: 30 of its downloads not listed (the session keeps the latest ${maxDownloadRecords})`]);
		expect(a!.perPlatform[0]!.downloads).toEqual({notMeasured: `its 30 downloads are not kept (the session keeps the latest ${maxDownloadRecords})`});
		expect((b!.perPlatform[0]!.downloads as unknown[]).length).toBe(maxDownloadRecords);
		expect(b!.cache.toolCacheHits).toBe(60);
	});

	test('synthetic: a prune whose start line was lost (a damaged recording) is still listed, of unknown command', () => {
		const fold = createMetricsFold();
		fold.add({type: 'prune/finished', at: 10_000, pruneId: 'p1', reclaimedBytes: 52_430_000, recordsRemoved: 7, durationMs: 2000});
		fold.add({type: 'prune/failed', at: 20_000, pruneId: 'p2', message: 'exit status 1', durationMs: 500});
		const disk = sessionReport(fold.state(), {file: 'x', damage: []}).disk as Disk;
		expect(disk.prunes).toEqual([
			{at: 8000, commandId: 'unknown (its start was not recorded)', argv: [], reclaimedBytes: 52_430_000, recordsRemoved: 7, durationMs: 2000},
			{at: 19_500, commandId: 'unknown (its start was not recorded)', argv: [], durationMs: 500, failed: 'exit status 1'},
		]);
	});
});

