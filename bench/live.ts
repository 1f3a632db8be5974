// `npm run bench:live`: what watching a real build costs, bxtop next to buildx's own tty progress client, on the
// local Docker daemon. Prints figures, asserts nothing; skips with the reason when Docker (or python3 for the
// pseudo-terminal) is not there.
//
// The same small multi-stage build (RUN steps of a few seconds, linux/amd64 + linux/arm64 under qemu) runs, cache
// reset before each run, alternately under `docker buildx build --progress=tty` and under `bxtop build`, each in a
// pseudo-terminal of the same size (bench/pty-measure.py). A driver that cannot build two platforms in one build
// (the docker driver without the containerd image store) gets one tty client per platform, run at once: what
// bxtop's split does with its children. Alternating keeps the VM's drifting speed out of the ratios.
import {execFileSync, spawn, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {dockerStatus} from '../test/helpers/docker.js';
import {hasImage, makeContext, nonce} from '../test/helpers/e2e.js';
import {syntheticRecording} from './synthetic-session.js';

const root = fileURLToPath(new URL('../../', import.meta.url)); // .bench-build/bench/ -> repository
const cli = path.join(root, 'dist/cli.js');
const ptyMeasure = path.join(root, 'bench/pty-measure.py');
const size = {cols: 130, rows: 40};
const runsEach = Number(process.env.BXTOP_BENCH_RUNS ?? 2);
const idleSeconds = Number(process.env.BXTOP_BENCH_IDLE_SECONDS ?? 50);
/**
 * The idle board's first seconds are told apart: 8-17 s after activity stops (later on a slower day) V8's memory
 * reducer runs its full collections (once; they give memory back), and after that an idle board costs what its
 * samplers, its clock and du's schedule do.
 */
const idleSplitSeconds = Math.min(20, idleSeconds / 2.5);
/** What bxtop's held board says once the session ended: the builds' part of the run stops there. */
const doneMarker = 'finished: q quits';
/** Another bxtop to measure in the same run, side by side (e.g. a checkout of main): its dist/cli.js. */
const baselineCli = process.env.BXTOP_BENCH_BASELINE_CLI;

type Measure = {
	exitCode: number;
	wallSeconds: number;
	treeCpuSeconds: number;
	ownCpuSeconds: number | null;
	peakTreeRssBytes: number;
	peakOwnRssBytes: number;
	firstOutputSeconds: number | null;
	buildWallSeconds: number;
	buildTreeCpuSeconds: number;
	buildOwnCpuSeconds: number | null;
	steadySeconds?: number;
	steadyTreeCpuRate?: number;
	steadyOwnCpuRate?: number;
	idle?: IdleSpan & {first?: IdleSpan; rest?: IdleSpan};
};

type IdleSpan = {seconds: number; ownCpuSeconds: number; treeCpuSeconds: number};

/** One row of the table: a run of one client (or of several at once, summed). */
type Run = {label: string; wall: number; treeCpu: number; ownCpu: number; steadyTreeRate?: number; steadyOwnRate?: number; peakRssMb: number; exitCodes: number[]; firstOutputSeconds?: number};

function skip(reason: string): never {
	console.log(`bench:live: the live builds skipped: ${reason}`);
	process.exit(0);
}

function measure(argv: string[], options: {doneMarker?: string; idleSeconds?: number; keys?: string} = {}): Promise<Measure> {
	const args = [ptyMeasure, '--cols', String(size.cols), '--rows', String(size.rows), '--steady-after', '3'];
	if (options.doneMarker) args.push('--done-marker', options.doneMarker, '--idle-seconds', String(options.idleSeconds ?? 0), '--idle-split', String(idleSplitSeconds));
	if (options.keys) args.push('--keys-after-marker', options.keys);
	args.push('--', ...argv);
	return new Promise((resolve, reject) => {
		const child = spawn('python3', args, {stdio: ['ignore', 'pipe', 'inherit'], env: {...process.env, NO_COLOR: undefined, CI: undefined}});
		let out = '';
		child.stdout.on('data', chunk => (out += chunk));
		child.on('error', reject);
		child.on('close', code => {
			if (code !== 0) reject(new Error(`pty-measure exited ${code}`));
			else resolve(JSON.parse(out) as Measure);
		});
	});
}

function resetCache(hasHistory: boolean): void {
	// history records keep cache alive; an empty history is not an error worth stopping for
	if (hasHistory) spawnSync('docker', ['buildx', 'history', 'rm', '--all'], {stdio: 'ignore'});
	const prune = spawnSync('docker', ['buildx', 'prune', '--all', '--force'], {encoding: 'utf8'});
	if (prune.status !== 0) throw new Error(`docker buildx prune --all --force failed: ${(prune.stderr || prune.error?.message || '').trim().split('\n')[0]}`);
}

function buildxHasHistory(): boolean {
	try {
		return /Usage:\s+docker buildx history/.test(execFileSync('docker', ['buildx', 'history', '--help'], {encoding: 'utf8', stdio: 'pipe'}));
	} catch {
		return false;
	}
}

/** Whether this builder builds several platforms in one build (the docker driver needs the containerd store). */
function canBuildMultiPlatform(): boolean {
	const inspect = execFileSync('docker', ['buildx', 'inspect'], {encoding: 'utf8'});
	const driver = /^Driver:\s+(\S+)/m.exec(inspect)?.[1];
	if (driver !== 'docker') return true;
	const status = execFileSync('docker', ['info', '--format', '{{json .DriverStatus}}'], {encoding: 'utf8'});
	return status.includes('io.containerd.snapshotter');
}

/** A small multi-stage build: two stages in parallel (one printing log lines, one busy), then a final stage. */
function benchContext(id: string): string {
	return makeContext([
		`RUN echo "bench ${id}" > /id`,
		'FROM scratch AS deps',
		'COPY --from=0 / /',
		'RUN for i in $(seq 1 50); do echo "fetching part $i of 50"; sleep 0.1; done; echo ok > /deps',
		'FROM scratch AS compile',
		'COPY --from=0 / /',
		'RUN i=0; while [ $i -lt 40000 ]; do i=$((i+1)); done; echo compiled > /app',
		'FROM scratch',
		'COPY --from=0 / /',
		'COPY --from=deps /deps /deps',
		'COPY --from=compile /app /app',
		'RUN for i in $(seq 1 12); do echo "final step $i"; sleep 0.5; done',
	]);
}

const platforms = ['linux/amd64', 'linux/arm64'];

async function ttyRun(context: string, isMulti: boolean): Promise<Run> {
	const base = ['docker', 'buildx', 'build', '--progress=tty', '--network=none'];
	const groups = isMulti ? [platforms] : platforms.map(p => [p]);
	const measures = await Promise.all(groups.map(group => measure([...base, '--platform', group.join(','), context])));
	return sum(isMulti ? 'buildx --progress=tty' : `buildx --progress=tty x${groups.length} (one per platform)`, measures);
}

async function bxtopRun(context: string, split: boolean, idle: number, recordDir: string, which = cli): Promise<{run: Run; idle?: Measure['idle']}> {
	const argv = [process.execPath, which, 'build', '--platform', platforms.join(','), '--network=none', '--record', path.join(recordDir, `${nonce()}.bxrec`), ...(split ? [] : ['--no-split']), context];
	const m = await measure(argv, {doneMarker, idleSeconds: idle});
	const label = `${which === cli ? '' : 'BASELINE '}${split ? 'bxtop build (split in 2 children)' : 'bxtop build --no-split'}`;
	return {run: sum(label, [m]), ...(m.idle ? {idle: m.idle} : {})};
}

function sum(label: string, measures: Measure[]): Run {
	const rate = (pick: (m: Measure) => number | undefined) => (measures.every(m => pick(m) !== undefined) ? measures.reduce((a, m) => a + pick(m)!, 0) : undefined);
	const steadyTreeRate = rate(m => m.steadyTreeCpuRate);
	const steadyOwnRate = rate(m => m.steadyOwnCpuRate);
	// the first client to write to its terminal (with a tty client per platform, the sooner of the two)
	const firsts = measures.map(m => m.firstOutputSeconds).filter((s): s is number => s !== null);
	return {
		label,
		wall: Math.max(...measures.map(m => m.buildWallSeconds)),
		treeCpu: measures.reduce((a, m) => a + m.buildTreeCpuSeconds, 0),
		ownCpu: measures.reduce((a, m) => a + (m.buildOwnCpuSeconds ?? 0), 0),
		...(steadyTreeRate !== undefined ? {steadyTreeRate} : {}),
		...(steadyOwnRate !== undefined ? {steadyOwnRate} : {}),
		peakRssMb: measures.reduce((a, m) => a + m.peakOwnRssBytes, 0) / 1e6,
		exitCodes: measures.map(m => m.exitCode),
		...(firsts.length > 0 ? {firstOutputSeconds: Math.min(...firsts)} : {}),
	};
}

/** Median wall time of a short command, in ms. */
function startupMs(argv: string[], times = 7): number {
	const walls: number[] = [];
	for (let i = 0; i < times; i++) {
		const start = performance.now();
		execFileSync(argv[0]!, argv.slice(1), {stdio: 'ignore'});
		walls.push(performance.now() - start);
	}
	walls.sort((a, b) => a - b);
	return walls[Math.floor(walls.length / 2)]!;
}

const pct = (rate: number | undefined) => (rate === undefined ? '-' : `${(rate * 100).toFixed(1)}%`);

function printTable(runs: Run[], ttyCpu: number): void {
	console.log(`  ${'run'.padEnd(46)} ${'wall'.padStart(6)} ${'tree CPU'.padStart(9)} ${'own CPU'.padStart(8)} ${'steady tree'.padStart(11)} ${'steady own'.padStart(10)} ${'peak RSS'.padStart(9)} ${'x tty'.padStart(6)} ${'first output'.padStart(12)}`);
	for (const r of runs) {
		const failed = r.exitCodes.some(c => c !== 0) ? `  exit ${r.exitCodes.join(',')}` : '';
		console.log(
			`  ${r.label.padEnd(46)} ${`${r.wall.toFixed(1)}s`.padStart(6)} ${`${r.treeCpu.toFixed(2)}s`.padStart(9)} ${`${r.ownCpu.toFixed(2)}s`.padStart(8)} ${pct(r.steadyTreeRate).padStart(11)} ${pct(r.steadyOwnRate).padStart(10)} ${`${r.peakRssMb.toFixed(0)} MB`.padStart(9)} ${(r.treeCpu / ttyCpu).toFixed(1).padStart(5)}x ${(r.firstOutputSeconds === undefined ? '-' : `${(r.firstOutputSeconds * 1000).toFixed(0)} ms`).padStart(12)}${failed}`,
		);
	}
}

/**
 * `bxtop replay` of the bundled recordings and of a SYNTHETIC 1-hour, 8-build session in the same terminal: time to
 * the first frame, peak RSS, and (the synthetic one, moved to its end with G) the idle rate of the board.
 */
async function replayFigures(): Promise<void> {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-bench-replay-'));
	const synthetic = path.join(dir, 'synthetic-1h-8-builds.bxrec');
	writeFileSync(synthetic, syntheticRecording({builds: 8, durationMs: 3_600_000}));
	const files = [
		...readdirSync(path.join(root, 'recordings')).filter(n => n.endsWith('.bxrec')).map(n => ({label: `recordings/${n}`, file: path.join(root, 'recordings', n)})),
		{label: 'SYNTHETIC 1-hour session, 8 builds', file: synthetic},
	];
	console.log(`bxtop replay in a ${size.cols}x${size.rows} pseudo-terminal: first frame (first output), peak RSS; moved to the end (G), then idle`);
	for (const {label, file} of files) {
		// the footer's key hints show once the board is drawn
		const m = await measure([process.execPath, cli, 'replay', file], {doneMarker: 'q quit', idleSeconds: idleSeconds / 2, keys: 'G'});
		const idle = m.idle ? `, idle after G ${pct(m.idle.ownCpuSeconds / m.idle.seconds)} of a core` : '';
		console.log(`  ${label.padEnd(46)} first frame ${((m.firstOutputSeconds ?? NaN) * 1000).toFixed(0).padStart(5)} ms, peak RSS ${(m.peakOwnRssBytes / 1e6).toFixed(0)} MB${idle}`);
	}
	rmSync(dir, {recursive: true, force: true});
}

async function main(): Promise<void> {
	if (!existsSync(cli)) skip('dist/cli.js missing: run npm run build');
	try {
		execFileSync('python3', ['-c', 'import pty'], {stdio: 'ignore'});
	} catch {
		skip('python3 (its pty module drives the pseudo-terminal) not found');
	}
	console.log(`bxtop --version ${startupMs([process.execPath, cli, '--version']).toFixed(0)} ms, --help ${startupMs([process.execPath, cli, '--help']).toFixed(0)} ms (median wall of 7; bare node -e 0: ${startupMs([process.execPath, '-e', '0']).toFixed(0)} ms)`);
	await replayFigures();
	const docker = dockerStatus();
	if (!docker.ok) skip(docker.reason);
	if (!hasImage('bxtop/base:amd64') || !hasImage('bxtop/base:arm64')) skip('base images bxtop/base:amd64 and :arm64 missing (.ci/make-base-images.py)');
	const hasHistory = buildxHasHistory();
	const isMulti = canBuildMultiPlatform();
	const recordDir = mkdtempSync(path.join(tmpdir(), 'bxtop-bench-live-'));
	const server = execFileSync('docker', ['version', '--format', '{{.Server.Version}}'], {encoding: 'utf8'}).trim();
	const buildx = execFileSync('docker', ['buildx', 'version'], {encoding: 'utf8'}).trim().split(' ')[1];
	console.log(`bench:live: dockerd ${server}, buildx ${buildx}, ${platforms.join(' + ')}, terminal ${size.cols}x${size.rows}, ${runsEach} runs each, cache reset before each run${hasHistory ? ' (history rm --all + prune --all)' : ' (prune --all; this buildx has no history)'}`);
	console.log(`  CPU = user + system; tree = every process of the client (docker CLI, buildx plugin, bxtop and its children); own = the client's first process (bxtop's Node process)`);
	console.log(`  steady = CPU rate from 3 s after the first output (the first frame) to the end; bxtop's "end" is its board saying the session finished (after its final du)`);
	console.log(`  first output = when the client first wrote to its terminal, from its start (bxtop: its first frame)`);

	const tty: Run[] = [];
	const split: Run[] = [];
	const noSplit: Run[] = [];
	const baseline: Run[] = [];
	let idle: Measure['idle'];
	let baselineIdle: Measure['idle'];
	for (let i = 0; i < runsEach; i++) {
		const isLast = i === runsEach - 1;
		resetCache(hasHistory);
		tty.push(await ttyRun(benchContext(nonce()), isMulti));
		resetCache(hasHistory);
		const bx = await bxtopRun(benchContext(nonce()), true, isLast && !isMulti ? idleSeconds : 0, recordDir);
		split.push(bx.run);
		if (bx.idle) idle = bx.idle;
		if (isMulti) {
			resetCache(hasHistory);
			const one = await bxtopRun(benchContext(nonce()), false, isLast ? idleSeconds : 0, recordDir);
			noSplit.push(one.run);
			if (one.idle) idle = one.idle;
		}
		if (baselineCli) {
			resetCache(hasHistory);
			const other = await bxtopRun(benchContext(nonce()), true, isLast ? idleSeconds : 0, recordDir, baselineCli);
			baseline.push(other.run);
			if (other.idle) baselineIdle = other.idle;
		}
	}
	const ttyCpu = tty.reduce((a, r) => a + r.treeCpu, 0) / tty.length;
	printTable([...tty, ...split, ...noSplit, ...baseline], ttyCpu);
	if (baselineCli) console.log(`  BASELINE = ${baselineCli}${baselineIdle ? `; its idle board over ${baselineIdle.seconds.toFixed(0)} s: ${pct(baselineIdle.ownCpuSeconds / baselineIdle.seconds)} of a core${baselineIdle.rest ? ` (the last ${baselineIdle.rest.seconds.toFixed(0)} s ${pct(baselineIdle.rest.ownCpuSeconds / baselineIdle.rest.seconds)})` : ''}` : ''}`);
	if (!isMulti) console.log('  (--no-split not run: this builder cannot build two platforms in one build)');
	if (idle) {
		console.log(`  idle board (held open after the builds) over ${idle.seconds.toFixed(0)} s: bxtop ${(idle.ownCpuSeconds * 1000).toFixed(0)} ms = ${pct(idle.ownCpuSeconds / idle.seconds)} of a core (tree ${pct(idle.treeCpuSeconds / idle.seconds)})`);
		if (idle.first && idle.rest) {
			const part = (span: IdleSpan) => `${(span.ownCpuSeconds * 1000).toFixed(0)} ms = ${pct(span.ownCpuSeconds / span.seconds)}`;
			const reducer = idle.first.seconds >= 18 ? " (V8's memory reducer: full collections once, 8-17 s after activity stops)" : '';
			console.log(`    its first ${idle.first.seconds.toFixed(0)} s${reducer} ${part(idle.first)}; the ${idle.rest.seconds.toFixed(0)} s after ${part(idle.rest)} of a core`);
		}
	}
	console.log(`  docker buildx version ${startupMs(['docker', 'buildx', 'version']).toFixed(0)} ms (median wall of 7), for comparison with bxtop --version above`);
	rmSync(recordDir, {recursive: true, force: true});
}

await main().catch(error => {
	// a daemon that went away mid-run: say so, keep what was printed
	console.log(`bench:live stopped: ${(error as Error).message.split('\n')[0]}`);
	process.exitCode = 1;
});
