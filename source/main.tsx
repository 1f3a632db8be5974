// argv -> mode (build | bake | watch | attach | history | replay | report | demo) -> exit code. Errors meant for people get one clear
// line and exit code 2; anything else is a bug and says so.
// Each command loads what it needs when it runs (React, Ink, execa, the sources): `bxtop --version` and `--help`
// load none of it, and the board's first frame does not wait for the report's modules.
import {existsSync} from 'node:fs';
import {takeSessionFlags, UsageError} from './app/cli-options.js';
import {bxtopVersion} from './lib/version.js';
import {UserFacingError} from './domain/errors.js';
import {bakeFileNames} from './lib/bake-plan.js';

/**
 * The modules that draw the board. Ink decides once, when it loads, that a CI environment gets only the last
 * frame; a person at a real terminal on such a machine still wants the live board, so Ink is loaded with CI
 * hidden and the variables put back after. DEV=true makes Ink load React's devtools, which bxtop does not ship
 * (and in the bundle Ink's warning about them reads a package.json that is not there), so DEV is hidden too.
 */
async function loadUi<T>(load: () => Promise<T>): Promise<T> {
	const ciVariables = ['CI', 'CONTINUOUS_INTEGRATION'] as const; // what Ink's is-in-ci reads
	const saved = [...ciVariables, 'DEV'].map(name => process.env[name]);
	if (process.stdout.isTTY) for (const name of ciVariables) if (process.env[name] !== undefined) process.env[name] = 'false';
	delete process.env['DEV'];
	try {
		return await load();
	} finally {
		[...ciVariables, 'DEV'].forEach((name, i) => {
			if (saved[i] === undefined) delete process.env[name];
			else process.env[name] = saved[i];
		});
	}
}

const liveMode = () => loadUi(() => import('./app/live-mode.js'));

export const helpText = `bxtop ${bxtopVersion}: top for docker buildx

Usage
  bxtop build [buildx build args]   the build on a live board, a row per platform (split into concurrent
                                    builds, one per platform, only where the builder needs it)
  bxtop bake [-f FILE] [TARGETS]    the targets of a bake file (docker buildx bake --print), one build per
                                    target (per target x platform where the builder needs it)
  bxtop watch [-|FILE]              watch a rawjson progress stream of a build started elsewhere
  bxtop attach [--builder NAME]     every build running on the builder, whoever started it (buildx 0.20+)
  bxtop replay [FILE]               play a recording (or a raw rawjson capture, or a .dockerbuild); no FILE: pick
                                    from ./recordings
  bxtop report [FILES] [-o OUT] [--format md|json]   build metrics report of recordings
  bxtop history [--builder X] [--json]              BuildKit's build records on the builder (pick one to replay)
  bxtop replay --builder X REF      replay a BuildKit history record;  bxtop report --builder X REF...: its report
  bxtop demo [--replay]             the built-in default: builds examples/demo live when Docker is reachable,
                                    else (or with --replay) replays the bundled recording of a real build
  bxtop                             runs bake when the directory has a bake file, else prints this help

Examples
  bxtop build --platform linux/amd64,linux/arm64 --build-arg TORCH_VARIANT=cpu -t backend:cpu backend/
  bxtop bake
  bxtop bake backend-cpu backend-cuda frontend
  docker buildx build --progress=rawjson . 2>&1 >/dev/null | bxtop watch -
  bxtop replay recordings/2026-11-29T10-41-58_backend-cpu.bxrec --speed 4

Options (build, bake, watch, attach)
  --builder NAME      builder to use (default: BUILDX_BUILDER or the current one)
  --concurrency N     at most N child builds at once (default: all)
  --no-split          always one multi-platform build
  --split             always one build per platform (not for a push or one output file)
  --plain             line output instead of the board (default when not a terminal)
  --json FILE         write the session summary as JSON
  --record FILE       recording file (default: recordings/<start>_<targets>.bxrec; .gz compresses)
  --no-record         do not record
  --min-free GB       warn when the Docker data root has less free space (default 10)
Options (replay)
  --speed N           start at N x (0.25 to 64)      --platform P   platform of a single-platform raw capture
  --plain, --json FILE as above

Keys: arrows select, enter toggles logs, t timeline, q quits, ? help (replay: space, left/right, [ ], + -, 0, G)
Exit code: 0 all builds succeeded, 1 a build failed, 130 cancelled, 2 usage or environment error.
`;

export async function main(argv: string[]): Promise<number> {
	const io = {stdout: process.stdout, stderr: process.stderr, stdin: process.stdin};
	// `bxtop --plain` (flags only) is the bare command with options
	const hasCommand = argv[0] !== undefined && (!argv[0].startsWith('-') || ['-h', '--help', '-v', '--version'].includes(argv[0]));
	const command = hasCommand ? argv[0] : undefined;
	const rest = hasCommand ? argv.slice(1) : argv;
	try {
		switch (command) {
			case undefined:
				if (bakeFileNames.some(name => existsSync(name))) {
					const {flags, rest: args} = takeSessionFlags(rest);
					return await (await liveMode()).runBakeCommand(args, {flags, io, argv});
				}
				io.stdout.write(helpText);
				return 0;
			case 'build': {
				const {flags, rest: args} = takeSessionFlags(rest);
				// docker answers the preflight while the board's modules load and its first frame is drawn
				const {parseBuildRequest} = await import('./lib/build-plan.js');
				const facts = import('./sources/preflight.js').then(m => m.checkDocker(parseBuildRequest(args).builder));
				facts.catch(() => {}); // the session reports a refusal; until it reads this, a refusal is not unhandled
				return await (await liveMode()).runBuildCommand(args, {flags, io, argv, facts});
			}
			case 'bake': {
				const {flags, rest: args} = takeSessionFlags(rest);
				return await (await liveMode()).runBakeCommand(args, {flags, io, argv});
			}
			case 'watch': {
				const {flags, rest: args} = takeSessionFlags(rest, ['--platform', '--target']);
				return await (await liveMode()).runWatchCommand(args, {flags, io, argv});
			}
			case 'attach': {
				const {flags, rest: args} = takeSessionFlags(rest);
				const {runAttachCommand} = await import('./app/attach-mode.js');
				return await runAttachCommand(args, {flags, io, argv});
			}
			case 'replay': {
				const {flags, rest: args} = takeSessionFlags(rest, ['--platform']);
				const {runReplayArgs} = await loadUi(() => import('./app/replay-mode.js'));
				return await runReplayArgs(args, flags, io);
			}
			case 'history': {
				const {runHistoryCommand} = await loadUi(() => import('./app/history-mode.js'));
				return await runHistoryCommand(rest, io);
			}
			case 'report': {
				const {runReport} = await import('./report/run-report.js');
				return await runReport(rest, {stdout: io.stdout, stderr: io.stderr, cwd: process.cwd()});
			}
			case 'demo': {
				const forceReplay = rest.includes('--replay');
				const {flags} = takeSessionFlags(rest.filter(a => a !== '--replay'));
				const {runDemo} = await loadUi(() => import('./app/demo.js'));
				return await runDemo(flags, io, {forceReplay, argv});
			}
			case '-h':
			case '--help':
			case 'help':
				io.stdout.write(helpText);
				return 0;
			case '-v':
			case '--version':
				io.stdout.write(`${bxtopVersion}\n`);
				return 0;
			default:
				throw new UsageError(`unknown command "${command}" (try bxtop --help)`);
		}
	} catch (error) {
		if (error instanceof UserFacingError || error instanceof UsageError) {
			io.stderr.write(`bxtop: ${error.message}\n`);
			return error instanceof UserFacingError ? error.exitCode : 2;
		}
		io.stderr.write(`bxtop: internal error: ${(error as Error).stack ?? String(error)}\n`);
		return 70;
	}
}
