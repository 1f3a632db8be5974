// `bxtop attach` end to end on the modern stack (dockerd 28, buildx 0.29, the docker driver's `default` builder),
// with builds started by plain `docker buildx build --progress=quiet`, not by bxtop: one running before attach
// starts, two at once, one failing. Their figures are compared with `docker buildx history inspect --format json`.
// On the old stack (dockerd 20.10, buildx 0.13.1) attach must refuse with one clear line and exit 2.
import {execFile, execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {promisify} from 'node:util';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {describeDocker, describeModernDocker, lostTheDaemon, modernDockerEnv, waitForModernDaemon} from '../helpers/docker.js';
import {makeContext, nonce, runCli, startCli, waitFor, type CliRun} from '../helpers/e2e.js';
import {readRecording} from '../../source/record/reader.js';
import type {SessionSummary, BuildPlatformSummary} from '../../source/report/json-summary.js';

const run = promisify(execFile);
const modern = {...process.env, ...modernDockerEnv()};

/** A docker command; one that lost the daemon to BuildKit's history panic (see waitForModernDaemon) is asked again, once. */
async function docker(args: string[], env: NodeJS.ProcessEnv = modern): Promise<string> {
	try {
		return (await run('docker', args, {env, maxBuffer: 16 << 20})).stdout;
	} catch (error) {
		if (!lostTheDaemon(error) || !waitForModernDaemon()) throw error;
		return (await run('docker', args, {env, maxBuffer: 16 << 20})).stdout;
	}
}

/** A foreign build: plain buildx, quiet progress; resolves with its exit code. */
function foreignBuild(context: string, extra: string[] = []): Promise<number> {
	return new Promise(resolve => {
		execFile('docker', ['buildx', 'build', '--progress=quiet', '--network=none', ...extra, context], {env: modern}, error => resolve(error ? ((error as {code?: number}).code ?? 1) : 0));
	});
}

type Inspect = {Name: string; Ref: string; Status: string; StartedAt: string; CompletedAt: string; Duration: number; NumTotalSteps: number; NumCompletedSteps: number; NumCachedSteps: number};

async function inspect(id: string): Promise<Inspect> {
	return JSON.parse(await docker(['buildx', 'history', 'inspect', '--format', 'json', id])) as Inspect;
}

/** Pids of a process and all its descendants (ps), to check none survives it. */
function descendants(pid: number): number[] {
	const rows = execFileSync('ps', ['-eo', 'pid=,ppid='], {encoding: 'utf8'})
		.trim()
		.split('\n')
		.map(l => l.trim().split(/\s+/).map(Number) as [number, number]);
	const out: number[] = [];
	const walk = (parent: number) => {
		for (const [child, ppid] of rows)
			if (ppid === parent) {
				out.push(child);
				walk(child);
			}
	};
	walk(pid);
	return out;
}

/**
 * Those of `pids` still running. A zombie (state Z) has exited and only waits for its parent to collect it: a
 * plugin whose docker CLI exited first is re-parented to init, which in this sandbox collects late.
 */
function alive(pids: number[]): number[] {
	if (pids.length === 0) return [];
	let out = '';
	try {
		out = execFileSync('ps', ['-o', 'pid=,stat=,args=', '-p', pids.join(',')], {encoding: 'utf8'});
	} catch {
		return []; // ps exits 1 when none of them exists
	}
	const running = out.split('\n').filter(l => l.trim() !== '' && !/^\s*\d+\s+Z/.test(l));
	if (running.length > 0) console.warn(running.join('\n'));
	return running.map(l => Number(l.trim().split(/\s+/)[0]));
}

/** The Running record of a build started with this context, from `history ls` (buildx names it after the folder). */
async function runningRef(context: string): Promise<string | undefined> {
	const lines = (await docker(['buildx', 'history', 'ls', '--format', 'json'])).trim().split('\n').filter(Boolean);
	const entries = lines.map(l => JSON.parse(l) as {ref: string; name: string; status: string});
	return entries.find(e => e.name === path.basename(context) && e.status === 'Running')?.ref;
}

function byName(summary: SessionSummary, name: string): BuildPlatformSummary[] {
	return summary.builds.filter(b => b.target === name);
}

/** bxtop's per-row figures and the BuildKit record beside them against `history inspect` of the same build. */
async function expectEqualsInspect(row: BuildPlatformSummary): Promise<Inspect> {
	const record = await inspect(row.buildkitRecord!.ref.split('/').pop()!);
	expect(row.buildkitRecord).toMatchObject({
		name: record.Name,
		status: record.Status,
		start: record.StartedAt,
		end: record.CompletedAt,
		NumTotalSteps: record.NumTotalSteps,
		NumCompletedSteps: record.NumCompletedSteps,
		NumCachedSteps: record.NumCachedSteps,
	});
	expect(Math.abs(row.buildkitRecord!.durationMs! - record.Duration / 1e6)).toBeLessThan(1);
	expect(Math.abs(row.durationMs - record.Duration / 1e6)).toBeLessThan(1);
	return record;
}

describeModernDocker('attach: foreign builds on the modern stack', () => {
	const work = mkdtempSync(path.join(tmpdir(), 'bxtop-attach-'));
	const jsonFile = path.join(work, 'summary.json');
	const recordFile = path.join(work, 'attach.bxrec');
	const early = makeContext(['RUN sleep 5 && echo early-done']);
	const one = makeContext(['RUN echo one-$RANDOM && sleep 1']);
	const two = makeContext(['RUN echo two-$RANDOM && sleep 1']);
	const failing = makeContext(['RUN echo about-to-fail && exit 3']);
	let result: CliRun;
	let summary: SessionSummary;
	let leftBehind: number[] = [];
	let startedAtMs = 0;

	beforeAll(async () => {
		// a daemon restarted after BuildKit's history panic in an earlier suite must be back first
		expect(waitForModernDaemon()).toBe(true);
		// one build already running when attach starts. The history panic (see waitForModernDaemon) has come while
		// this loop polled `history ls` and took the early build down with the daemon: then the daemon is waited for
		// and the build started again, twice at most.
		let earlyBuild = foreignBuild(early, ['--no-cache']);
		let hasEnded = false;
		const endedCodes: number[] = [];
		for (let attempt = 1; ; attempt++) {
			let ended = false;
			void earlyBuild.then(code => {
				ended = true;
				endedCodes.push(code);
			});
			await waitForAsync(async () => ended || (await runningRef(early)) !== undefined, 30_000, 'the early build to run');
			hasEnded = ended;
			if (!hasEnded || attempt === 3) break;
			expect(waitForModernDaemon()).toBe(true);
			earlyBuild = foreignBuild(early, ['--no-cache']);
		}
		if (hasEnded) throw new Error(`the early build ended before it was seen running, 3 times (exit codes ${endedCodes.join(', ')})`);
		const attach = startCli(['attach', '--plain', '--json', jsonFile, '--record', recordFile], {env: modernDockerEnv()});
		await waitFor(() => attach.output().includes('attached to builder'), 30_000, 'attach to start');
		startedAtMs = Date.now();
		// two at once, and a failing one
		const codes = await Promise.all([foreignBuild(one, ['--no-cache']), foreignBuild(two, ['--no-cache']), foreignBuild(failing), earlyBuild]);
		expect(codes).toEqual([0, 0, 1, 0]);
		// what BuildKit sends after the build's client returned (the record's completion) reaches attach too
		await waitFor(() => (attach.output().match(/\] (done|FAILED)/g) ?? []).length >= 4, 30_000, 'attach to see the four builds end');
		const children = descendants(attach.child.pid!);
		expect(children.length).toBeGreaterThan(0); // dial-stdio at least
		attach.child.kill('SIGTERM');
		result = await attach.done;
		leftBehind = alive(children);
		summary = JSON.parse(readFileSync(jsonFile, 'utf8')) as SessionSummary;
		// the usual run takes under a minute; the worst case (three early builds, each after a daemon restart that
		// waitForModernDaemon waits for) several, and must end in the message above rather than the hook's timeout
	}, 480_000);

	afterAll(() => {
		for (const dir of [work, early, one, two, failing]) rmSync(dir, {recursive: true, force: true});
	});

	test('SIGTERM ends it with exit 1 (a followed build failed), the summary written, no process left running', () => {
		expect(result.code).toBe(1);
		expect(leftBehind).toEqual([]);
		// other builds on the same daemon (other test runs) show too: ours are among them
		for (const context of [early, one, two, failing]) expect(byName(summary, path.basename(context))).toHaveLength(1);
		expect(result.stdout).toMatch(/bxtop: \d+ builds: \d+ done, [1-9]\d* failed/);
	});

	test('a foreign build appears within 1 s of BuildKit starting it, and its figures equal history inspect', async () => {
		const [row] = byName(summary, path.basename(one));
		expect(row).toMatchObject({status: 'done', platform: 'linux/amd64', node: 'default'});
		const record = await expectEqualsInspect(row!);
		const {events} = await readRecording(recordFile);
		const queued = events.find(e => e.type === 'build/queued' && e.spec.buildId === row!.buildId)!;
		expect(queued.at - Date.parse(record.StartedAt)).toBeLessThan(1000);
		expect(queued.at).toBeGreaterThanOrEqual(startedAtMs - 1000);
		// bxtop's own step counts beside BuildKit's: FROM scratch has no step, ADD + RUN do. When the two builds ADD the
		// same rootfs at the same moment BuildKit may report that ADD twice (one vertex cached, one run), hence >= 2.
		const lines = result.stdout.split('\n').filter(l => l.startsWith(`[${path.basename(one)}`));
		expect(row!.steps.total, lines.join('\n')).toBeGreaterThanOrEqual(2);
		expect(row!.steps.done).toBe(row!.steps.total);
	});

	test('two concurrent foreign builds: two rows, both done, each equal to its record', async () => {
		const rows = [...byName(summary, path.basename(one)), ...byName(summary, path.basename(two))];
		expect(rows.map(r => r.status)).toEqual(['done', 'done']);
		expect(new Set(rows.map(r => r.buildId)).size).toBe(2);
		for (const row of rows) await expectEqualsInspect(row);
		expect(result.stdout).toContain(`[${path.basename(two)}] attached: default/default/`);
	});

	test('a build already running when attach started joins with what BuildKit replays: every step, BuildKit times', async () => {
		const [row] = byName(summary, path.basename(early));
		expect(row).toMatchObject({status: 'done'});
		// every step, those done before attach started too (a shared ADD may be reported twice, see above)
		expect(row!.steps.total).toBeGreaterThanOrEqual(2);
		expect(row!.steps.done).toBe(row!.steps.total);
		const record = await expectEqualsInspect(row!);
		expect(Date.parse(record.StartedAt)).toBeLessThan(startedAtMs);
		expect(result.stdout).toMatch(/\[[^\]]+ linux\/amd64\] 2\/2 RUN sleep 5 && echo early-done \d/);
	});

	test('a failing foreign build: its row failed, with the failing step and BuildKit error', async () => {
		const [row] = byName(summary, path.basename(failing));
		expect(row).toMatchObject({status: 'failed', exitCode: 1, failingStep: {exitCode: 3}});
		expect(row!.error).toContain('exit code: 3');
		const record = await expectEqualsInspect(row!);
		expect(record.Status).toBe('failed');
		expect(result.stdout).toMatch(new RegExp(`\\[${path.basename(failing)} linux/amd64\\] FAILED after .*exit code 3`));
	});

	test('the recording of the attach session replays to the same summary', async () => {
		const replayJson = path.join(work, 'replayed.json');
		const replayed = await runCli(['replay', '--plain', '--speed', '64', '--json', replayJson, recordFile]);
		expect(replayed.stderr).toBe('');
		const again = JSON.parse(readFileSync(replayJson, 'utf8')) as SessionSummary;
		expect(again.builds).toEqual(summary.builds);
		expect(again.counts).toEqual(summary.counts);
	}, 60_000);
});

describeModernDocker('attach: Ctrl-C while a foreign build runs', () => {
	test('SIGINT stops attach and its children at once; the build itself goes on and completes', async () => {
		const context = makeContext(['RUN sleep 4 && echo still-running']);
		const attach = startCli(['attach', '--plain', '--no-record'], {env: modernDockerEnv()});
		await waitFor(() => attach.output().includes('attached to builder'), 30_000, 'attach to start');
		const build = foreignBuild(context, ['--no-cache']);
		await waitForAsync(async () => (await runningRef(context)) !== undefined, 30_000, 'the build to run');
		const children = await followingChildren(attach.child.pid!);
		attach.child.kill('SIGINT');
		const ended = await attach.done;
		expect(ended.code).toBe(0);
		expect(alive(children)).toEqual([]);
		expect(await build).toBe(0); // not bxtop's build: detaching does not cancel it
		rmSync(context, {recursive: true, force: true});
	}, 120_000);
});

describeModernDocker('attach: kill -9 while a foreign build runs', () => {
	test('SIGKILL of bxtop: the kernel stops its dial-stdio and history logs children too; the build completes', async () => {
		// long enough that `history logs` would wait for the build's end (it writes nothing meanwhile, so no SIGPIPE)
		const context = makeContext([`RUN sleep 15 && echo still-running-after-kill-${nonce()}`]);
		const attach = startCli(['attach', '--plain', '--no-record'], {env: modernDockerEnv()});
		await waitFor(() => attach.output().includes('attached to builder'), 30_000, 'attach to start');
		const build = foreignBuild(context, ['--no-cache']);
		await waitForAsync(async () => (await runningRef(context)) !== undefined, 30_000, 'the build to run');
		const children = await followingChildren(attach.child.pid!);
		attach.child.kill('SIGKILL'); // no handler runs: only parent-death signals can stop the children
		const ended = await attach.done;
		expect(ended.signal).toBe('SIGKILL');
		await waitFor(() => alive(children).length === 0, 3_000, 'the children to die with bxtop');
		expect(await runningRef(context)).toBeDefined(); // they died with bxtop, not with the build
		expect(await build).toBe(0);
		rmSync(context, {recursive: true, force: true});
	}, 120_000);
});

/** Once attach follows a build: the pids of its process tree, which holds dial-stdio and `history logs`. */
async function followingChildren(pid: number): Promise<number[]> {
	const argsOf = (pids: number[]) => (pids.length === 0 ? '' : execFileSync('ps', ['-o', 'args=', '-p', pids.join(',')], {encoding: 'utf8'}));
	await waitFor(() => {
		const args = argsOf(descendants(pid));
		return args.includes('dial-stdio') && /history logs/.test(args);
	}, 30_000, 'attach to run dial-stdio and history logs');
	return descendants(pid);
}

describeDocker('attach on the old stack: one clear line, exit 2', () => {
	test('buildx 0.13.1 (no history command, its help exits 0)', async () => {
		const ended = await runCli(['attach', '--plain', '--no-record'], {env: {DOCKER_HOST: '', DOCKER_CONFIG: ''}});
		expect(ended.code).toBe(2);
		expect(ended.stderr.trim().split('\n')).toHaveLength(1);
		expect(ended.stderr).toMatch(/^bxtop: docker buildx 0\.13\.1\S* has no `history` command: BuildKit's build records need buildx 0\.20 or newer/);
	}, 60_000);

	test('dockerd 20.10 (BuildKit v0.8 answers Unimplemented for ListenBuildHistory), even with buildx 0.29', async ({skip}) => {
		// needs only the modern buildx plugin, not the modern daemon (CI installs it: there a missing plugin fails)
		const plugin = path.join(modernDockerEnv().DOCKER_CONFIG, 'cli-plugins', 'docker-buildx');
		if (!existsSync(plugin) && process.env.CI !== 'true') skip(`no buildx 0.29 at ${plugin}`);
		const ended = await runCli(['attach', '--plain', '--no-record'], {env: {DOCKER_HOST: '', DOCKER_CONFIG: modernDockerEnv().DOCKER_CONFIG}});
		expect(ended.code).toBe(2);
		expect(ended.stderr.trim().split('\n')).toHaveLength(1);
		expect(ended.stderr).toMatch(/^bxtop: BuildKit v0\.8\S* of builder "default" has no build history API \(.*ListenBuildHistory.*\): bxtop attach needs BuildKit v0\.11 or newer/);
	}, 60_000);
});

async function waitForAsync(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await check().catch(() => false))) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 200));
	}
}
