// BuildKit history records end to end on the modern stack (dockerd 28 + buildx 0.29, the docker driver's
// `default` builder): builds started by plain `docker buildx build --progress=quiet` (not by bxtop), then
// `bxtop history`, `replay REF`, `report REF...`, and the `history export` round trip. And the old stack's
// clear messages (buildx 0.13.1 has no `history`; dockerd 20.10's BuildKit has no history API).
import {execFileSync} from 'node:child_process';
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {homedir, tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {describeDocker, describeModernDocker, lostTheDaemon, modernDockerEnv, waitForModernDaemon} from '../helpers/docker.js';
import {cliPath, nonce, runCli, waitFor} from '../helpers/e2e.js';
import {tmux} from '../helpers/tmux.js';

const modern = modernDockerEnv();
const modernEnv = {...process.env, ...modern};
const runBuildx = (args: string[]) => execFileSync('docker', ['buildx', ...args], {env: modernEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000});

/** A buildx command; one that lost the daemon to BuildKit's history panic (see waitForModernDaemon) is asked again, once. */
function buildx(args: string[]): string {
	try {
		return runBuildx(args);
	} catch (error) {
		if (!lostTheDaemon(error) || !waitForModernDaemon()) throw error;
		return runBuildx(args);
	}
}

type Inspect = {Name: string; Ref: string; Status: string; NumTotalSteps: number; NumCompletedSteps: number; NumCachedSteps: number; Duration: number; StartedAt: string; CompletedAt: string};
const inspect = (id: string) => JSON.parse(buildx(['history', 'inspect', '--format', 'json', id])) as Inspect;

/** A plain build on the modern daemon, and the id of the record it made (the newest one with its name). */
function foreignBuild(context: string): string {
	buildx(['build', '--progress=quiet', '--network=none', context]);
	return foreignRef(path.basename(context));
}

function foreignRef(name: string): string {
	// BuildKit may list a record a moment after the build returned: asked again for up to 10 s
	const deadline = Date.now() + 10_000;
	for (;;) {
		const line = buildx(['history', 'ls', '--format', 'json'])
			.split('\n')
			.filter(l => l.startsWith('{'))
			.map(l => JSON.parse(l) as {ref: string; name: string; created_at: string})
			.filter(r => r.name === name)
			.sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at))[0];
		if (line) return line.ref.split('/').pop()!;
		if (Date.now() > deadline) throw new Error(`no history record named ${name}`);
		execFileSync('sleep', ['0.5']);
	}
}

describeModernDocker('history records on the modern stack (buildx 0.29, dockerd 28)', () => {
	const work = mkdtempSync(path.join(tmpdir(), 'bxtop-history-e2e-'));
	let context: string;
	let coldRef: string;
	let warmRef: string;
	afterAll(() => {
		rmSync(work, {recursive: true, force: true});
		rmSync(context, {recursive: true, force: true});
	});

	beforeAll(() => {
		// steps of unique content, so the first build is cold whatever ran before (a shared base layer would be
		// cached already); the second build reuses them
		context = mkdtempSync(path.join(tmpdir(), 'bxtop-hctx-'));
		writeFileSync(path.join(context, 'Dockerfile'), 'FROM scratch\nCOPY token /token\nCOPY notes /notes\n');
		writeFileSync(path.join(context, 'token'), `${nonce()}\n`);
		writeFileSync(path.join(context, 'notes'), `${nonce()} ${'x'.repeat(4096)}\n`);
		coldRef = foreignBuild(context);
		warmRef = foreignBuild(context);
	}, 300_000);

	test('bxtop history lists both builds, newest first, with BuildKit\'s step counts', async () => {
		const json = await runCli(['history', '--json'], {env: modern});
		expect(json.code, json.stderr).toBe(0);
		const entries = JSON.parse(json.stdout) as {id: string; name: string; status: string; steps: {total: number; cached: number}}[];
		const ids = entries.map(e => e.id);
		expect(ids.indexOf(warmRef)).toBeGreaterThanOrEqual(0);
		expect(ids.indexOf(warmRef)).toBeLessThan(ids.indexOf(coldRef));
		const cold = entries.find(e => e.id === coldRef)!;
		expect([cold.name, cold.status, cold.steps.total, cold.steps.cached]).toEqual([path.basename(context), 'completed', inspect(coldRef).NumTotalSteps, inspect(coldRef).NumCachedSteps]);

		const table = await runCli(['history', '--builder', 'default'], {env: modern});
		expect(table.code, table.stderr).toBe(0);
		expect(table.stdout).toMatch(new RegExp(`${coldRef}\\s+${path.basename(context)}\\s+completed\\s`));
		expect(table.stdout).toContain('bxtop replay --builder default REF plays one; no terminal to choose here.');
	}, 60_000);

	test('replay --builder default REF: the build as BuildKit recorded it, its figures equal to history inspect', async () => {
		const out = path.join(work, 'cold.json');
		const run = await runCli(['replay', '--builder', 'default', coldRef, '--plain', '--json', out], {env: modern});
		expect(run.code, run.stderr).toBe(0);
		expect(run.stdout).toContain(`[${path.basename(context)} linux/amd64] done in `);
		const summary = JSON.parse(readFileSync(out, 'utf8')) as {result: string; builds: {platform: string; status: string; steps: {total: number; cached: number}; buildkitRecord: Record<string, unknown>}[]};
		const record = inspect(coldRef);
		expect(summary.result).toBe('completed');
		expect(summary.builds).toHaveLength(1);
		const [build] = summary.builds;
		expect([build!.platform, build!.status]).toEqual(['linux/amd64', 'done']); // from the image the record made: no --platform was given
		expect(build!.buildkitRecord).toEqual({
			origin: 'history',
			ref: coldRef,
			builder: 'default',
			name: record.Name,
			status: 'completed',
			start: record.StartedAt,
			end: record.CompletedAt,
			durationMs: record.Duration / 1e6,
			NumTotalSteps: record.NumTotalSteps,
			NumCompletedSteps: record.NumCompletedSteps,
			NumCachedSteps: record.NumCachedSteps,
		});
		expect(record.NumCachedSteps).toBe(0);
		expect(inspect(warmRef).NumCachedSteps).toBeGreaterThan(0);
	}, 60_000);

	test('report of the two refs: the first cold build and the latest warm one detailed, then both in the trends', async () => {
		const run = await runCli(['report', '--builder', 'default', coldRef, warmRef, '--format', 'json'], {env: modern});
		expect(run.code, run.stderr).toBe(0);
		const report = JSON.parse(run.stdout) as {recordingsRead: number; targets: {label: string; firstCold: {file: string}; latestWarm: {file: string}}[]; trends: {file: string; cache: {status: string}}[]};
		expect(report.recordingsRead).toBe(2);
		const target = report.targets.find(t => t.label === path.basename(context))!;
		expect([target.firstCold.file, target.latestWarm.file]).toEqual([coldRef, warmRef]);
		expect(report.trends.map(t => [t.file, t.cache.status])).toEqual([
			[coldRef, 'cold'],
			[warmRef, 'warm'],
		]);
		const markdown = await runCli(['report', '--builder', 'default', coldRef, warmRef], {env: modern});
		expect(markdown.stdout).toContain('### First Build (Cold Cache)');
		expect(markdown.stdout).toContain('### Subsequent Builds (Warm Cache)');
		expect(markdown.stdout).toContain(`- **BuildKit Record**: \`${coldRef}\` (record on default, completed`);
	}, 60_000);

	test('history export -> .dockerbuild: replay and report give the same figures as the ref', async () => {
		const file = path.join(work, 'cold.dockerbuild');
		buildx(['history', 'export', coldRef, '-o', file]);
		const fromRef = path.join(work, 'ref.json');
		const fromFile = path.join(work, 'file.json');
		expect((await runCli(['replay', '--builder', 'default', coldRef, '--plain', '--json', fromRef], {env: modern})).code).toBe(0);
		const replayed = await runCli(['replay', file, '--plain', '--json', fromFile]);
		expect(replayed.code, replayed.stderr).toBe(0);
		type Summary = {builds: {platform: string; status: string; steps: unknown; durationMs: number; start: string; end: string; target: string; buildkitRecord: Record<string, unknown>}[]};
		const figures = (s: Summary) => s.builds.map(b => ({platform: b.platform, status: b.status, steps: b.steps, durationMs: b.durationMs, start: b.start, end: b.end, target: b.target}));
		const a = JSON.parse(readFileSync(fromRef, 'utf8')) as Summary;
		const b = JSON.parse(readFileSync(fromFile, 'utf8')) as Summary;
		expect(figures(b)).toEqual(figures(a));
		const {origin: _o1, builder: _b1, ...refRecord} = a.builds[0]!.buildkitRecord;
		const {origin, ...fileRecord} = b.builds[0]!.buildkitRecord;
		expect(origin).toBe('dockerbuild');
		expect(fileRecord).toEqual(refRecord);

		type Report = {trends: {durationMs: number; status: string; cache: unknown}[]; sessions: {builds: {steps: unknown; phases: unknown; cache: unknown; durationMs: number}[]}[]};
		const reportOf = async (args: string[], env?: NodeJS.ProcessEnv) => JSON.parse((await runCli(['report', ...args, '--format', 'json'], env ? {env} : {})).stdout) as Report;
		const refReport = await reportOf(['--builder', 'default', coldRef], modern);
		const fileReport = await reportOf([file]);
		expect(fileReport.trends.map(t => [t.durationMs, t.status, t.cache])).toEqual(refReport.trends.map(t => [t.durationMs, t.status, t.cache]));
		const build = (r: Report) => {
			const {steps, phases, cache, durationMs} = r.sessions[0]!.builds[0]!;
			return {steps, phases, cache, durationMs};
		};
		expect(build(fileReport)).toEqual(build(refReport));
	}, 120_000);

	test('a two-platform build (one build, steps grouped by platform) and a failed build, from their records', async () => {
		const multi = mkdtempSync(path.join(work, 'multi-'));
		writeFileSync(path.join(multi, 'Dockerfile'), 'FROM scratch\nARG TARGETARCH\nCOPY token-${TARGETARCH} /token\n');
		for (const arch of ['amd64', 'arm64']) writeFileSync(path.join(multi, `token-${arch}`), `${nonce()}\n`);
		buildx(['build', '--progress=quiet', '--platform', 'linux/amd64,linux/arm64', multi]);
		const multiRef = foreignRef(path.basename(multi));
		const out = path.join(work, 'multi.json');
		const run = await runCli(['replay', '--builder', 'default', multiRef, '--plain', '--json', out], {env: modern});
		expect(run.code, run.stderr).toBe(0);
		const summary = JSON.parse(readFileSync(out, 'utf8')) as {builds: {platform: string; status: string; steps: {total: number}}[]};
		expect(summary.builds.map(b => [b.platform, b.status, b.steps.total])).toEqual([
			['linux/amd64', 'done', 1],
			['linux/arm64', 'done', 1],
		]);
		const file = path.join(work, 'multi.dockerbuild');
		buildx(['history', 'export', multiRef, '-o', file]);
		const fromFile = path.join(work, 'multi-file.json');
		expect((await runCli(['replay', file, '--plain', '--json', fromFile])).code).toBe(0);
		const strip = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as {builds: Record<string, unknown>[]}).builds.map(({buildkitRecord: _r, ...b}) => b);
		expect(strip(fromFile)).toEqual(strip(out));

		const failing = mkdtempSync(path.join(work, 'fail-'));
		writeFileSync(path.join(failing, 'Dockerfile'), 'FROM scratch\nCOPY no-such-file /x\n');
		expect(() => buildx(['build', '--progress=quiet', failing])).toThrow();
		const failedRef = foreignRef(path.basename(failing));
		const failedOut = path.join(work, 'failed.json');
		const failed = await runCli(['replay', '--builder', 'default', failedRef, '--plain', '--json', failedOut], {env: modern});
		expect(failed.code).toBe(1); // a replay's exit code is the recorded build's
		const failedSummary = JSON.parse(readFileSync(failedOut, 'utf8')) as {result: string; builds: {status: string; error?: string; buildkitRecord: {status: string; error?: string}}[]};
		expect(failedSummary.result).toBe('failed');
		expect(failedSummary.builds[0]!.status).toBe('failed');
		expect(failedSummary.builds[0]!.buildkitRecord.status).toBe('failed'); // history inspect's word (history ls says Error)
		expect(failedSummary.builds[0]!.buildkitRecord.error).toMatch(/no-such-file/);
		expect(failedSummary.builds[0]!.error).toMatch(/no-such-file/);
	}, 180_000);

	test('on a terminal, bxtop history lists the records, plays the one picked in the board, q quits', async () => {
		const session = `bxtop-history-${process.pid}`;
				const screen = () => tmux('capture-pane', '-p', '-t', session);
		const out = mkdtempSync(path.join(work, 'tty-'));
		// a record made just now, so it is among the 20 listed even while other tests build on the daemon
		const ref = foreignBuild(context);
		const script = `DOCKER_HOST='${modern.DOCKER_HOST}' DOCKER_CONFIG='${modern.DOCKER_CONFIG}' '${process.execPath}' '${cliPath}' history; echo $? > ${out}/code`;
		tmux('new-session', '-d', '-s', session, '-x', '160', '-y', '40', 'sh', '-c', `${script}; sleep 30`);
		try {
			await waitFor(() => screen().includes('play which? [1]'), 30_000, 'the list of records');
			// other builds may have run on the daemon since: pick ours by its number in the list
			const line = screen().split('\n').find(l => l.includes(ref));
			expect(line, screen()).toBeDefined();
			const number = /^\s*(\d+)\s/.exec(line!)![1]!;
			tmux('send-keys', '-t', session, number, 'Enter');
			const board = () => screen().split('play which?')[1] ?? '';
			await waitFor(() => /q quit/.test(board()) && board().includes(path.basename(context)) && /linux\/amd64/.test(board()), 30_000, 'the board replaying the record');
			await waitFor(() => /done 1 failed 0/.test(board()), 30_000, 'the replayed build to finish');
			tmux('send-keys', '-t', session, 'q');
			await waitFor(() => existsSync(path.join(out, 'code')), 20_000, 'bxtop to exit');
			expect(readFileSync(path.join(out, 'code'), 'utf8').trim()).toBe('0');
		} finally {
			tmux('kill-session', '-t', session);
		}
	}, 90_000);

	test('an unknown REF: one clear line, exit code 2', async () => {
		const run = await runCli(['replay', '--builder', 'default', 'nosuchrecord0000000000000', '--plain'], {env: modern});
		expect(run.code).toBe(2);
		expect(run.stderr).toBe('bxtop: no build record "nosuchrecord0000000000000" on default (`bxtop history --builder default` lists them)\n');
		const report = await runCli(['report', '--builder', 'default', 'nosuchrecord0000000000000'], {env: modern});
		expect(report.code).toBe(1);
		expect(report.stderr).toContain('nosuchrecord0000000000000: no build record "nosuchrecord0000000000000" on default');
	}, 60_000);

	test('dockerd 20.10 with buildx 0.29: its BuildKit has no history API, said in one line with the version that works', async () => {
		const oldDaemon = {DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_CONFIG: modern.DOCKER_CONFIG};
		for (const args of [['history'], ['replay', '--builder', 'default', coldRef], ['report', '--builder', 'default', coldRef]]) {
			const run = await runCli(args, {env: oldDaemon});
			expect(run.code, args.join(' ')).toBe(2);
			expect(run.stderr).toBe("bxtop: the current builder's BuildKit has no build history API (dockerd 20.10's embedded BuildKit is v0.8): it needs BuildKit 0.11 or newer (Docker Engine 23+, or a docker-container builder)\n".replace("the current builder's", args.includes('--builder') ? "default's" : "the current builder's"));
		}
	}, 60_000);
});

describeDocker('history on the old stack (buildx 0.13.1)', () => {
	test('buildx without `history` (it prints its own help and exits 0): one clear line, exit code 2', async () => {
		const oldStack = {DOCKER_HOST: 'unix:///var/run/docker.sock', DOCKER_CONFIG: path.join(homedir(), '.docker')};
		const version = execFileSync('docker', ['buildx', 'version'], {env: {...process.env, ...oldStack}, encoding: 'utf8'});
		const found = /(\d+\.\d+\.\d+)/.exec(version)![1]!;
		for (const args of [['history'], ['replay', '--builder', 'default', 'k0myilnwzrtfnct6ktlqdtc75'], ['report', '--builder', 'default', 'k0myilnwzrtfnct6ktlqdtc75']]) {
			const run = await runCli(args, {env: oldStack});
			expect(run.code, args.join(' ')).toBe(2);
			expect(run.stderr).toBe(`bxtop: docker buildx ${found} has no \`history\` command: BuildKit's build records need buildx 0.20 or newer\n`);
		}
	}, 60_000);
});
