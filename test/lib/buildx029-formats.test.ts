// The formats of buildx 0.29.1 (real captures from shared/captures-bx029, copied unchanged as test/fixtures/real/
// bx029-*, and this machine's dockerd 28 stack as local-dockerd28-*) read by the same parsers as buildx 0.13.1's.
import {describe, expect, test} from 'vitest';
import {parseDu} from '../../source/lib/du-table.js';
import {duArgv} from '../../source/sources/build-cache.js';
import {parseBuildxLsJson, parseBuildxLsTable} from '../../source/lib/buildx-ls.js';
import {parseBuildxInspect} from '../../source/lib/buildx-inspect.js';
import {MalformedJson, RawjsonSplitter, TextLine} from '../../source/lib/rawjson-stream.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {summarize} from '../../source/report/json-summary.js';
import {captureEvents, readReal} from '../helpers/captures.js';

describe('buildx 0.29 du: table (space padded), --verbose and --format json agree', () => {
	test.each([
		// name, records, table/verbose total (4 significant digits), json total (sum of the records' human sizes)
		['01-after-cold', 26, 1_560_000_000, 1_560_219_364],
		['04-after-push', 57, 2_961_000_000, 2_961_148_648],
	])('%s', (name, records, footerTotal, jsonTotal) => {
		for (const format of ['table', 'verbose'] as const) {
			const usage = parseDu(readReal(`bx029-${name}.buildx-du${format === 'table' ? '' : '-verbose'}.txt`), format);
			expect([usage.recordCount, usage.totalBytes, usage.reclaimableBytes, usage.sharedBytes, usage.format]).toEqual([records, footerTotal, footerTotal, 0, format]);
		}
		const json = parseDu(readReal(`bx029-${name}.buildx-du-json.txt`), 'json');
		expect([json.recordCount, json.totalBytes, json.reclaimableBytes, json.format]).toEqual([records, jsonTotal, jsonTotal, 'json']);
		// the same largest records, byte for byte where the table's rounding allows
		const table = parseDu(readReal(`bx029-${name}.buildx-du.txt`), 'table');
		expect(json.largest.slice(0, 3).map(r => [r.id, r.sizeBytes])).toEqual(table.largest.slice(0, 3).map(r => [r.id, r.sizeBytes]));
	});

	test('the json lines carry the description, type and parents', () => {
		const usage = parseDu(readReal('bx029-01-after-cold.buildx-du-json.txt'), 'json');
		expect(usage.largest[0]).toMatchObject({sizeBytes: 279_000_000, isReclaimable: true, isShared: false, recordType: 'regular'});
		expect(usage.largest[0]!.description).toMatch(/^\[linux\/(amd64|arm64) /);
	});

	test('bxtop asks buildx 0.29 for --format json, 0.13 for --verbose', () => {
		const version = readReal('bx029-00-buildx-version.txt').trim().split(/\s+/)[1];
		expect(version).toBe('0.29.1+ds1');
		expect(duArgv('default', version)).toEqual({argv: ['buildx', 'du', '--builder', 'default', '--format', 'json'], format: 'json'});
		expect(duArgv('default', '0.29.1+ds1')).toEqual({argv: ['buildx', 'du', '--builder', 'default', '--format', 'json'], format: 'json'});
		expect(duArgv('default', '0.13.1+ds1')).toEqual({argv: ['buildx', 'du', '--builder', 'default', '--verbose'], format: 'verbose'});
	});
});

describe('buildx 0.29 ls: abbreviated platform lists', () => {
	test('the lab capture: `linux/amd64 (+4)` and `linux/arm (+2)` become their base platforms', () => {
		const builders = parseBuildxLsTable(readReal('bx029-00-buildx-ls.txt'));
		expect(builders.map(b => [b.name, b.driver, b.isCurrent])).toEqual([['mybuilder', 'docker-container', false], ['default', 'docker', true]]);
		expect(builders[0]!.nodes).toEqual([
			{name: 'mybuilder0', endpoint: 'unix:///var/run/docker.sock', status: 'running', buildkitVersion: 'v0.32.2', platforms: ['linux/amd64', 'linux/arm64', 'linux/arm', 'linux/386']},
		]);
		expect(builders[1]!.nodes[0]!.platforms).toEqual(['linux/amd64', 'linux/arm64', 'linux/arm', 'linux/386']);
	});

	test('this machine\'s dockerd 28: the table and --format json name the same builder; json lists every variant', () => {
		const [table] = parseBuildxLsTable(readReal('local-dockerd28-buildx029-ls.txt'));
		expect(table).toEqual({
			name: 'default',
			driver: 'docker',
			isCurrent: true,
			nodes: [{name: 'default', endpoint: 'default', status: 'running', buildkitVersion: 'v0.0.0+unknown', platforms: ['linux/amd64', 'linux/arm64']}],
		});
		const [json] = parseBuildxLsJson(readReal('local-dockerd28-buildx029-ls-json.txt'));
		expect(json!.nodes[0]!.platforms).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/amd64/v4', 'linux/arm64']);
		expect([json!.name, json!.driver, json!.isCurrent, json!.nodes[0]!.buildkitVersion]).toEqual(['default', 'docker', true, 'v0.0.0+unknown']);
	});

	test('inspect of dockerd 28\'s default builder (labels and GC policy blocks after the node)', () => {
		const info = parseBuildxInspect(readReal('local-dockerd28-buildx029-inspect-default.txt'))!;
		expect([info.name, info.driver, info.nodes.length]).toEqual(['default', 'docker', 1]);
		expect(info.nodes[0]).toMatchObject({name: 'default', endpoint: 'default', status: 'running', buildkitVersion: 'v0.0.0+unknown'});
		expect(info.nodes[0]!.platforms).toEqual(['linux/amd64', 'linux/amd64/v2', 'linux/amd64/v3', 'linux/amd64/v4', 'linux/arm64']);
	});
});

describe('buildx 0.29 failure: compact rawjson, then `ERROR: failed to build: failed to solve: ...`', () => {
	test('one object per line; the error summary comes out as text lines', () => {
		const splitter = new RawjsonSplitter();
		const text = readReal('bx029-09-fail-multiplatform-rawjson.stderr.rawjson');
		const items = [...splitter.push(text), ...splitter.end()];
		const texts = items.filter(i => i instanceof TextLine).map(i => (i as TextLine).line);
		expect(items.some(i => i instanceof MalformedJson)).toBe(false);
		expect(items.filter(i => !(i instanceof TextLine)).length).toBe(text.split('\n').filter(l => l.startsWith('{')).length);
		expect(texts[0]).toBe('Dockerfile.fail:43');
		expect(texts[texts.length - 1]).toBe('ERROR: failed to build: failed to solve: process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1');
	});

	test('the summary: amd64 failed at its step with exit code 1, arm64 cancelled, the same counts as 0.13.1\'s capture', () => {
		const summaryOf = (name: string) => summarize(reduceAll(initialDomainState, captureEvents(name, {}, 4096, 1))).builds;
		const modern = summaryOf('bx029-09-fail-multiplatform-rawjson.stderr.rawjson');
		expect(modern.map(b => [b.platform, b.status, b.steps])).toEqual([
			['linux/amd64', 'failed', {total: 12, done: 11, cached: 10}],
			['linux/arm64', 'cancelled', {total: 12, done: 11, cached: 10}],
		]);
		expect(modern[0]!.error).toBe('ERROR: failed to build: failed to solve: process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1');
		expect(modern[0]!.failingStep).toEqual({
			name: '[linux/amd64 runtime 6/6] RUN python -m app.selftest',
			error: 'process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1',
			exitCode: 1,
		});
		const old = summaryOf('09-fail-multiplatform-rawjson.stderr.rawjson');
		expect(old.map(b => [b.platform, b.status, b.steps, b.failingStep])).toEqual(modern.map(b => [b.platform, b.status, b.steps, b.failingStep]));
	});
});

describe('dockerd 28 multi-platform build: later steps named alike on both platforms', () => {
	// Real capture on this machine's dockerd 28 (buildx 0.29.1): `FROM scratch`, `ADD rootfs-${TARGETARCH}.tar /`,
	// two RUN steps, --platform linux/amd64,linux/arm64. Only the ADD carries the platform in its name.
	const capture = 'local-dockerd28-buildx029-multiplatform-scratch.stderr.rawjson';

	test('the capture really names both RUN steps `[2/3] ...` / `[3/3] ...` without a platform', () => {
		const names = readReal(capture)
			.split('\n')
			.filter(l => l.startsWith('{'))
			.flatMap(l => ((JSON.parse(l) as {vertexes?: {digest: string; name: string}[]}).vertexes ?? []).map(v => `${v.digest} ${v.name}`));
		const runs = [...new Set(names.filter(n => / \[\d\/3\] RUN /.test(n)))];
		expect(runs).toHaveLength(4); // two steps x two platforms, four digests
	});

	test('each platform row gets its own three steps, by the input chain', () => {
		const state = reduceAll(initialDomainState, captureEvents(capture));
		const build = state.builds.byId['b1']!;
		const byPlatform = (p: string) => build.steps.filter(s => s.platform === p && s.kind === 'step').map(s => `${s.index}/${s.count} ${s.text}`).sort(); // BuildKit sends 3/3 first
		expect(byPlatform('linux/amd64')).toEqual(['1/3 ADD rootfs-amd64.tar /', '2/3 RUN echo cold-14919 && uname -m', '3/3 RUN for i in 1 2 3; do echo line $i; sleep 0.2; done']);
		expect(byPlatform('linux/arm64')).toEqual(['1/3 ADD rootfs-arm64.tar /', '2/3 RUN echo cold-14919 && uname -m', '3/3 RUN for i in 1 2 3; do echo line $i; sleep 0.2; done']);
		expect(summarize(state).builds.map(b => [b.platform, b.status, b.steps])).toEqual([
			['linux/amd64', 'done', {total: 3, done: 3, cached: 1}],
			['linux/arm64', 'done', {total: 3, done: 3, cached: 1}],
		]);
		// shared steps stay shared (the context is loaded once per platform's ADD, under two digests)
		expect(build.steps.filter(s => s.platform === undefined).map(s => s.name).sort()).toEqual([
			'[internal] load .dockerignore', '[internal] load build context', '[internal] load build context', '[internal] load build definition from Dockerfile', 'exporting to image',
		]);
	});
});

describe('two concurrent builds on one builder: BuildKit sends the other build\'s merged vertexes along', () => {
	// Real capture on this machine's dockerd 28: two builds of different contexts holding the same rootfs tarballs,
	// both `--platform linux/amd64,linux/arm64 --no-cache`, started together. This is the second one's stream: its own
	// ADDs are cached (merged into the first build's running ones), and the first build's two ADD vertexes (other
	// digests, the same names, inputs this build never sent) come along, not cached.
	const capture = 'local-dockerd28-buildx029-concurrent-merged.stderr.rawjson';

	test('the foreign vertexes are recognised; each row counts its own two steps', () => {
		const state = reduceAll(initialDomainState, captureEvents(capture));
		const build = state.builds.byId['b1']!;
		const adds = build.steps.filter(s => / ADD /.test(s.name)).map(s => [s.platform, s.isCached, s.isForeign]);
		expect(adds.sort()).toEqual([
			['linux/amd64', false, true],
			['linux/amd64', true, false],
			['linux/arm64', false, true],
			['linux/arm64', true, false],
		]);
		expect(summarize(state).builds.map(b => [b.platform, b.status, b.steps])).toEqual([
			['linux/amd64', 'done', {total: 2, done: 2, cached: 1}],
			['linux/arm64', 'done', {total: 2, done: 2, cached: 1}],
		]);
	});

	test('the same capture fed in small chunks gives the same state (foreign-ness does not depend on batching)', () => {
		const whole = reduceAll(initialDomainState, captureEvents(capture, {}, 1 << 20));
		const small = reduceAll(initialDomainState, captureEvents(capture, {}, 97));
		const view = (s: typeof whole) => s.builds.byId['b1']!.steps.map(x => [x.digest, x.platform, x.isForeign]);
		expect(view(small)).toEqual(view(whole));
	});
});
