// `.dockerbuild` reading and the stored status log, on the real export of record gy56iwy2a2zujv05uabkqke4x
// (buildx 0.29.1, BuildKit v0.32.2) and that record's real `history logs --progress=rawjson` and `history inspect`.
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {gzipSync} from 'node:zlib';
import {describe, expect, test} from 'vitest';
import {readDockerbuild} from '../../../source/record/dockerbuild-file.js';
import {decodeStatusLog, statusLogToRawjson, StatusLogError} from '../../../source/lib/buildkit-status-log.js';
import {rfc3339} from '../../../source/lib/proto-time.js';
import {buildNameOf, historyRecordOf, readDockerbuildParts} from '../../../source/lib/dockerbuild-record.js';
import {parseHistoryInspect} from '../../../source/lib/history-records.js';
import {RecordingError} from '../../../source/record/reader.js';

const realFile = (name: string) => new URL(`../../fixtures/real/${name}`, import.meta.url).pathname;
const real = (name: string) => readFileSync(realFile(name), 'utf8');
const exportFile = realFile('bx029-16-history-export.dockerbuild');

describe('.dockerbuild (docker buildx history export)', () => {
	test('the record: exact values, the same as `history inspect --format json` of the same ref', async () => {
		const {record} = await readDockerbuild(exportFile);
		expect(record).toEqual({
			name: 'lab/scenario',
			ref: 'gy56iwy2a2zujv05uabkqke4x',
			status: 'completed',
			platforms: ['linux/amd64', 'linux/arm64'],
			steps: {total: 28, completed: 28, cached: 2},
			buildArgs: [{name: 'FORCE_COLOR', value: '1'}],
			dockerfile: 'Dockerfile',
			vcsRevision: '382fc5a098068ddad2c7bd6008951343665c5592',
			startedAt: '2026-12-01T18:41:12.457364246Z',
			startedAtMs: Date.parse('2026-12-01T18:41:12.457Z'),
			completedAt: '2026-12-01T18:41:51.028133871Z',
			completedAtMs: Date.parse('2026-12-01T18:41:51.028Z'),
			durationMs: 38570.769625,
		});
		const inspect = parseHistoryInspect(real('bx029-16-history-inspect-json.txt'));
		for (const key of ['name', 'ref', 'status', 'platforms', 'steps', 'buildArgs', 'vcsRevision', 'startedAt', 'startedAtMs', 'completedAt', 'completedAtMs', 'durationMs'] as const) {
			expect(record[key], key).toEqual(inspect[key]);
		}
	});

	test('the status log is, byte for byte, what `history logs --progress=rawjson` printed for the record', async () => {
		const {rawjson} = await readDockerbuild(exportFile);
		expect(rawjson).toBe(real('bx029-16-history-logs-finished.stderr.rawjson'));
		const [message] = JSON.parse(`[${rawjson.trim()}]`) as {vertexes: unknown[]; statuses: unknown[]; logs: unknown[]}[];
		expect([message!.vertexes.length, message!.statuses.length, message!.logs.length]).toEqual([61, 14, 491]);
	});

	test('files that are not an export: one clear message each', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-dockerbuild-'));
		const plain = path.join(dir, 'plain.dockerbuild');
		writeFileSync(plain, 'not gzip');
		await expect(readDockerbuild(plain)).rejects.toThrow(/plain\.dockerbuild: not gzip data .*not a `docker buildx history export` file/);
		const notTar = path.join(dir, 'text.dockerbuild');
		writeFileSync(notTar, gzipSync('hello world, no tar here\n'));
		await expect(readDockerbuild(notTar)).rejects.toThrow(RecordingError);
		await expect(readDockerbuild(path.join(dir, 'missing.dockerbuild'))).rejects.toThrow(/cannot read: ENOENT/);
	});

	test('a layout without the history record or its status log says which is missing', () => {
		const files = new Map<string, Uint8Array>([['index.json', Buffer.from('{"manifests":[]}')]]);
		expect(() => readDockerbuildParts(n => files.get(n))).toThrow(/no manifest with a build history record/);
		expect(() => readDockerbuildParts(() => undefined)).toThrow(/no index.json: not an OCI layout/);
	});
});

describe('status log', () => {
	test('a cut message is an error, not a partial build', () => {
		const bytes = Buffer.alloc(8);
		bytes.writeUInt32LE(100, 0);
		expect(() => decodeStatusLog(bytes)).toThrow(StatusLogError);
		expect(() => decodeStatusLog(Buffer.from([1, 0]))).toThrow(/cut short/);
		expect(statusLogToRawjson(new Uint8Array())).toBe('');
	});

	test('timestamps as Go prints them: trailing zeros of the fraction dropped', () => {
		expect(rfc3339({seconds: 1796150472, nanos: 457364246})).toBe('2026-12-01T18:41:12.457364246Z');
		expect(rfc3339({seconds: 1796150472, nanos: 457000000})).toBe('2026-12-01T18:41:12.457Z');
		expect(rfc3339({seconds: 1796150472})).toBe('2026-12-01T18:41:12Z');
		expect(rfc3339(undefined)).toBeUndefined();
	});
});

describe('record names as `history ls` shows them', () => {
	test('from the context, the local directory, a non-default Dockerfile, the target', () => {
		expect(buildNameOf({'vcs:localdir:context': 'lab/scenario', filename: 'Dockerfile'}, {LocalPath: '/work/lab/scenario'})).toBe('lab/scenario');
		// seen on the modern daemon: `docker buildx build -f Dockerfile.fail .` in /tmp/hxctx lists as hxctx/Dockerfile.fail
		expect(buildNameOf({filename: 'Dockerfile.fail'}, {LocalPath: '/tmp/hxctx', DockerfilePath: '/tmp/hxctx/Dockerfile.fail'})).toBe('hxctx/Dockerfile.fail');
		expect(buildNameOf({filename: 'Dockerfile'}, {LocalPath: '/tmp/hxctx', DockerfilePath: ''})).toBe('hxctx');
		expect(buildNameOf({filename: 'Dockerfile', target: 'runtime'}, {LocalPath: '/tmp/app'})).toBe('app (runtime)');
		expect(buildNameOf({'build-arg:BUILDKIT_BUILD_NAME': 'nightly'}, {})).toBe('nightly');
	});

	test('a failed record: status error and BuildKit\'s message; a canceled one: canceled; none completed: running', () => {
		const base = {Ref: 'r1', CreatedAt: {seconds: 1796152456, nanos: 836409582}};
		const failed = historyRecordOf({...base, CompletedAt: {seconds: 1796152457, nanos: 17601834}, error: {code: 2, message: 'process "/bin/sh -c false" did not complete successfully: exit code: 1'}});
		expect([failed.status, failed.error, failed.durationMs]).toEqual(['error', 'process "/bin/sh -c false" did not complete successfully: exit code: 1', 181.192252]);
		expect(historyRecordOf({...base, error: {code: 1, message: 'context canceled'}}).status).toBe('canceled');
		expect(historyRecordOf(base).status).toBe('running');
		expect(historyRecordOf({...base, DefaultPlatform: 'linux/amd64'}).platforms).toEqual(['linux/amd64']);
	});
});
