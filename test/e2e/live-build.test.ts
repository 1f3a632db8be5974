// bxtop against the REAL Docker daemons and buildx, once per CI stack (dockerd 20.10 + buildx 0.13, dockerd 28 +
// buildx 0.29; test/helpers/stacks.ts): multi-platform builds (split where the stack needs it, one build where it
// does not), a warm re-run, a failure, Ctrl-C, bake, watch, --split / --no-split, and the environment errors.
// Skips (with the reason) only when a daemon is not reachable and CI is not set.
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync, mkdtempSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {beforeAll, expect, test} from 'vitest';
import {describeEachStack} from '../helpers/stacks.js';
import {e2ePlatforms, makeContext, nonce, processesMentioning, runCli as runCliOn, startCli as startCliOn, waitFor} from '../helpers/e2e.js';
import type {SessionSummary} from '../../source/report/json-summary.js';
import {readRecording} from '../../source/record/reader.js';

// Real builds (arm64 under qemu) on a 2-core machine shared with other test runs: minutes, not the unit default.
const slow = {timeout: 180_000};

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as SessionSummary;

/** `uname -m` of the image's linux/amd64 and linux/arm64 variants, run on the stack's daemon (`env`). */
function architecturesOf(tag: string, env: Record<string, string>): string[] {
	return ['linux/amd64', 'linux/arm64'].map(platform =>
		execFileSync('docker', ['run', '--rm', '--pull=never', '--network=none', '--platform', platform, tag, 'uname', '-m'], {encoding: 'utf8', env: {...process.env, ...env}}).trim(),
	);
}

describeEachStack('live builds against the real daemon', stack => {
	// every bxtop process and docker call of this body talks to the stack's daemon with the stack's buildx
	const env = stack.env;
	const runCli = (args: string[], options: Parameters<typeof runCliOn>[1] = {}) => runCliOn(args, {...options, env: {...env, ...options.env}});
	const startCli = (args: string[], options: Parameters<typeof startCliOn>[1] = {}) => startCliOn(args, {...options, env: {...env, ...options.env}});
	const platformsHere = () => e2ePlatforms(env);
	const imageArchitectures = (tag: string) => architecturesOf(tag, env);
	let out: string;
	beforeAll(() => {
		out = mkdtempSync(path.join(tmpdir(), 'bxtop-e2e-'));
	});

	test('a row per platform (split where the stack needs it, else one build), then a warm re-run counts cached steps', slow, async () => {
		const platforms = platformsHere();
		const id = nonce();
		const context = makeContext([`RUN echo cold-${id} && uname -m`, 'RUN for i in 1 2 3; do echo line $i; sleep 0.2; done']);
		const args = ['build', '--plain', '--platform', platforms.join(','), '--network=none', '-t', `e2e:${id}`, context];

		const cold = await runCli([...args, '--json', path.join(out, 'cold.json'), '--record', path.join(out, 'cold.bxrec')]);
		expect(cold.stderr).toBe('');
		expect(cold.code).toBe(0);
		const coldSummary = readJson(path.join(out, 'cold.json'));
		// 20.10 splits (and says why); 28 runs one multi-platform build
		const isSplit = platforms.length > 1 && !stack.hasMultiPlatformBuilds;
		expect(coldSummary.counts.total).toBe(isSplit ? platforms.length : 1);
		if (isSplit) expect(cold.stdout).toContain(`bxtop: warning: ${stack.splitNote!}`);
		else expect(cold.stdout).not.toContain('bxtop: warning: one build per platform');
		// the ADD of the shared busybox rootfs may be cached from an earlier test; the RUN steps are new
		expect(coldSummary.builds.map(b => [b.platform, b.status, b.steps.total, b.steps.done])).toEqual(platforms.map(p => [p, 'done', 3, 3]));
		expect(coldSummary.builds.every(b => b.steps.cached <= 1)).toBe(true);
		for (const p of platforms) expect(cold.stdout).toMatch(new RegExp(`\\[e2e:${id} ${p}\\] 2/3 RUN echo cold-${id} && uname -m \\d+\\.\\ds`));
		// the two platforms really ran at the same time
		if (platforms.length === 2) {
			const [a, b] = coldSummary.builds;
			expect(Date.parse(a!.start!)).toBeLessThan(Date.parse(b!.end!));
			expect(Date.parse(b!.start!)).toBeLessThan(Date.parse(a!.end!));
		}

		// one build on dockerd 28 loads a true multi-platform image, as plain `docker buildx build` would
		if (stack.hasMultiPlatformBuilds && platforms.length === 2) expect(imageArchitectures(`e2e:${id}`)).toEqual(['x86_64', 'aarch64']);

		const warm = await runCli([...args, '--json', path.join(out, 'warm.json'), '--no-record']);
		expect(warm.code).toBe(0);
		const warmSummary = readJson(path.join(out, 'warm.json'));
		expect(warmSummary.builds.map(b => [b.status, b.steps])).toEqual(platforms.map(() => ['cached', {total: 3, done: 3, cached: 3}]));
		expect(warm.stdout).toContain('done, fully cached');

		// the recording of the cold run replays to the same summary
		const replay = await runCli(['replay', '--plain', '--json', path.join(out, 'replayed.json'), path.join(out, 'cold.bxrec')]);
		expect(replay.code).toBe(0);
		const replayed = readJson(path.join(out, 'replayed.json'));
		expect(replayed.builds).toEqual(coldSummary.builds);
	});

	test('a failing build: non-zero exit, the failing step and its exit code named', slow, async () => {
		const id = nonce();
		const context = makeContext([`RUN echo about-to-fail-${id} && exit 3`]);
		const run = await runCli(['build', '--plain', '--no-record', '--platform', 'linux/amd64', '--network=none', '--json', path.join(out, 'fail.json'), context]);
		expect(run.code).toBe(1);
		const summary = readJson(path.join(out, 'fail.json'));
		expect(summary.builds[0]!.status).toBe('failed');
		expect(summary.builds[0]!.failingStep).toMatchObject({name: `[2/2] RUN echo about-to-fail-${id} && exit 3`, exitCode: 3});
		expect(run.stdout).toContain(`FAILED after`);
		expect(run.stdout).toMatch(/ERROR: .*exit code: 3/);
	});

	test('Ctrl-C mid-build: builds cancelled, exit 130, no docker or buildx process left behind', slow, async () => {
		const id = nonce();
		const context = makeContext([`RUN echo slow-${id} && sleep 60`]);
		const run = startCli(['build', '--plain', '--no-record', '--platform', platformsHere().join(','), '--network=none', '--json', path.join(out, 'cancel.json'), context]);
		await waitFor(() => processesMentioning(context).some(l => /docker(-buildx)? buildx build|docker-buildx/.test(l)), 20_000, 'child builds to start');
		await waitFor(() => run.output().length > 0 || processesMentioning(context).length >= 2, 20_000, 'builds to run');
		await new Promise(resolve => setTimeout(resolve, 1500)); // let the RUN step start inside BuildKit
		run.child.kill('SIGINT');
		const result = await run.done;
		expect(result.code).toBe(130);
		const summary = readJson(path.join(out, 'cancel.json'));
		expect(summary.builds.every(b => b.status === 'cancelled')).toBe(true);
		expect(processesMentioning(context)).toEqual([]);
	});

	test('bake: one build per target x platform from docker buildx bake --print', slow, async () => {
		const id = nonce();
		const context = makeContext([`COPY marker-${id}.txt /marker.txt`], {[`marker-${id}.txt`]: id});
		writeFileSync(
			path.join(context, 'docker-bake.hcl'),
			`group "default" { targets = ["one", "two", "inline"] }\ntarget "one" {\n  context = "."\n  platforms = ${JSON.stringify(platformsHere())}\n  tags = ["e2e-one:${id}"]\n}\ntarget "two" {\n  context = "."\n  args = { VARIANT = "two" }\n  tags = ["e2e-two:${id}"]\n}\ntarget "inline" {\n  context = "."\n  dockerfile-inline = "FROM scratch\\nCOPY marker-${id}.txt /inline.txt\\n"\n}\n`,
		);
		const run = await runCli(['bake', '--plain', '--no-record', '--json', path.join(out, 'bake.json')], {cwd: context});
		expect(run.stderr).toBe('');
		expect(run.code).toBe(0);
		const summary = readJson(path.join(out, 'bake.json'));
		// bake --print lists targets by name; a row per platform whether "one" was split (20.10) or not (28)
		expect(summary.builds.map(b => b.target)).toEqual(['inline', ...platformsHere().map(() => 'one'), 'two']);
		expect(summary.counts.total).toBe(2 + (stack.hasMultiPlatformBuilds ? 1 : platformsHere().length));
		// the inline Dockerfile was built (as a file bxtop wrote), not the context's own Dockerfile
		expect(run.stdout).toContain(`[inline] 1/1 COPY marker-${id}.txt /inline.txt`);
		expect(summary.builds.every(b => b.status === 'done' || b.status === 'cached')).toBe(true);
		// bxtop without a command runs bake when there is a bake file
		const bare = await runCli(['--plain', '--no-record'], {cwd: context});
		expect(bare.code).toBe(0);
		expect(bare.stdout).toContain('[one ');
	});

	test('watch -: a rawjson stream of a build started elsewhere, from stdin', slow, async () => {
		const id = nonce();
		const context = makeContext([`RUN echo watched-${id}`]);
		// the same build's stderr, captured for real, fed to watch on stdin
		const {spawnSync} = await import('node:child_process');
		const build = spawnSync('docker', ['buildx', 'build', '--progress=rawjson', '--platform', 'linux/amd64', '--network=none', '--no-cache', context], {encoding: 'utf8', env: {...process.env, ...env}});
		const run = await runCli(['watch', '-', '--plain', '--no-record', '--platform', 'linux/amd64', '--json', path.join(out, 'watch.json')], {input: build.stderr});
		expect(run.code).toBe(0);
		const summary = readJson(path.join(out, 'watch.json'));
		expect(summary.builds[0]).toMatchObject({platform: 'linux/amd64', status: 'done', steps: {total: 2, done: 2, cached: 0}});
		expect(run.stdout).toContain(`2/2 RUN echo watched-${id}`);
	});

	test('--no-split runs one multi-platform build: dockerd 28 builds it, the 20.10 docker driver refuses it and bxtop says why', slow, async () => {
		const id = nonce();
		const context = makeContext([`RUN echo nosplit-${id}`]);
		const tag = `e2e-nosplit:${id}`;
		const run = await runCli(['build', '--plain', '--no-record', '--no-split', '--platform', 'linux/amd64,linux/arm64', '--network=none', '-t', tag, '--json', path.join(out, `nosplit-${id}.json`), context]);
		const summary = readJson(path.join(out, `nosplit-${id}.json`));
		// one child build, two rows (its platforms)
		expect(summary.counts.total).toBe(1);
		if (!stack.hasMultiPlatformBuilds) {
			expect(run.code).toBe(1);
			expect(summary.builds.map(b => [b.platform, b.status])).toEqual([['linux/amd64', 'failed'], ['linux/arm64', 'failed']]);
			expect(summary.builds[0]!.error).toBe('ERROR: Multi-platform build is not supported for the docker driver.');
			return;
		}
		expect(run.code).toBe(0);
		expect(summary.builds.map(b => [b.platform, b.status, b.steps])).toEqual([
			['linux/amd64', 'done', {total: 2, done: 2, cached: 1}],
			['linux/arm64', 'done', {total: 2, done: 2, cached: 1}],
		]);
		expect(imageArchitectures(tag)).toEqual(['x86_64', 'aarch64']);
	});

	test('--split forces one build per platform; each loads the same tag and the board says so', slow, async () => {
		const platforms = platformsHere();
		if (platforms.length < 2) throw new Error('the arm64 base image is missing: .ci/make-base-images.py registers it with qemu');
		const id = nonce();
		const context = makeContext([`RUN echo split-${id}`]);
		const tag = `e2e-split:${id}`;
		const run = await runCli(['build', '--plain', '--no-record', '--split', '--platform', platforms.join(','), '--network=none', '-t', tag, '--json', path.join(out, `split-${id}.json`), context]);
		expect(run.code, run.stdout + run.stderr).toBe(0);
		const summary = readJson(path.join(out, `split-${id}.json`));
		expect(summary.counts.total).toBe(2);
		expect(summary.builds.map(b => [b.platform, b.status])).toEqual([['linux/amd64', 'done'], ['linux/arm64', 'done']]);
		expect(run.stdout).toContain(`bxtop: warning: each platform's image is loaded as ${tag}: the last platform to finish keeps the tag`);
		expect(run.stdout).not.toContain('one build per platform:'); // forced, not needed: no reason to give
	});

	test('secrets never reach the recording: a secret build arg echoed by a real RUN step', slow, async () => {
		const id = nonce();
		const secret = `plain-secret-${id}`;
		const token = `ghp_${'a1b2c3d4e5'.repeat(4)}`;
		const context = makeContext(['ARG HF_TOKEN', `RUN echo "token is $HF_TOKEN ${token} ${id}"`]);
		const file = path.join(out, `secret-${id}.bxrec`);
		const run = await runCli(['build', '--plain', '--platform', 'linux/amd64', '--network=none', '--build-arg', `HF_TOKEN=${secret}`, '--record', file, context]);
		expect(run.code).toBe(0);
		const text = readFileSync(file, 'utf8');
		expect(text).toContain(`token is *** *** ${id}`);
		expect(text).toContain('HF_TOKEN=***');
		expect(text).not.toContain(secret);
		expect(text).not.toContain(token);
		const recording = await readRecording(file);
		expect(recording.header.command).toContain('HF_TOKEN=***');
	});

	test('environment errors: unknown builder, unreachable daemon, no docker binary: one clear line, exit 2', slow, async () => {
		const context = makeContext([]);
		const builder = await runCli(['build', '--plain', '--no-record', '--builder', 'no-such-builder', context]);
		expect(builder.code).toBe(2);
		expect(builder.stderr).toMatch(/^bxtop: builder "no-such-builder" not found/);
		expect(builder.stderr.split('\n').filter(Boolean)).toHaveLength(1);

		const daemon = await runCli(['build', '--plain', '--no-record', context], {env: {DOCKER_HOST: 'unix:///tmp/bxtop-no-daemon.sock'}});
		expect(daemon.code).toBe(2);
		expect(daemon.stderr).toMatch(/^bxtop: Docker daemon unreachable at unix:\/\/\/tmp\/bxtop-no-daemon\.sock/);

		const emptyPath = mkdtempSync(path.join(tmpdir(), 'bxtop-nopath-'));
		const nodocker = await runCli(['build', '--plain', '--no-record', context], {env: {PATH: emptyPath}});
		expect(nodocker.code).toBe(2);
		expect(nodocker.stderr).toBe('bxtop: docker: command not found. Install the Docker CLI (and buildx) or put it on PATH.\n');
		expect(existsSync(path.join(context, 'recordings'))).toBe(false);
	});
});
