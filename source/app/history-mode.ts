// `bxtop history [--builder X] [--json]`: BuildKit's build records on the builder, newest first. On a terminal,
// pick one to replay (the same picker and board as recordings); `--json` prints the records as a JSON array.
import {listHistory} from '../sources/buildx-history.js';
import type {HistoryListEntry} from '../lib/history-records.js';
import {formatDuration, truncate} from '../lib/format.js';
import {takeBuilder, takeSessionFlags, UsageError} from './cli-options.js';
import {pickOne, runHistoryReplay} from './replay-mode.js';
import type {SessionIo} from './run-session.js';

export const historyUsage = `Usage: bxtop history [--builder NAME] [--json]

  BuildKit's build records on the builder (docker buildx history ls), newest first: ref, name, status, start,
  duration, steps and cached steps. On a terminal, pick one to replay in the board.
  Needs buildx 0.20+ and a BuildKit with the history API (0.11+: Docker Engine 23+ or a docker-container builder).

  --builder NAME   the builder (default: BUILDX_BUILDER or the current one)
  --json           print the records as a JSON array instead
`;

export async function runHistoryCommand(args: readonly string[], io: SessionIo): Promise<number> {
	const {builder, rest} = takeBuilder(args);
	if (rest.includes('-h') || rest.includes('--help')) {
		io.stdout.write(historyUsage);
		return 0;
	}
	const isJson = rest.includes('--json');
	const unknown = rest.filter(a => a !== '--json');
	if (unknown.length > 0) throw new UsageError(`history: unknown argument ${unknown[0]} (try bxtop history --help)`);
	const target = builder ? {builder} : {};
	const entries = await listHistory(target);
	if (isJson) {
		io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
		return 0;
	}
	if (entries.length === 0) {
		io.stdout.write(`no build records on ${builder ?? 'the current builder'}\n`);
		return 0;
	}
	const chosen = await pickOne(io, {
		title: `build records on ${builder ?? entries[0]!.builder} (newest first):\n      ${historyHeader}`,
		labels: entries.map(historyLine),
		noTerminal: `bxtop replay${builder ? ` --builder ${builder}` : ''} REF plays one; no terminal to choose here.`,
		what: 'record',
	});
	if (chosen === undefined) return 0;
	const {flags} = takeSessionFlags(['--no-record']); // the defaults of `bxtop replay`
	return runHistoryReplay(entries[chosen]!.ref, target, flags, io);
}

const historyHeader = `${'REF'.padEnd(25)}  ${'NAME'.padEnd(24)}  ${'STATUS'.padEnd(9)}  ${'STARTED (UTC)'.padEnd(19)}  ${'DURATION'.padStart(8)}  STEPS`;

/** One record as a row under historyHeader. */
export function historyLine(e: HistoryListEntry): string {
	const start = new Date(e.createdAtMs).toISOString().replace('T', ' ').slice(0, 19);
	const duration = e.completedAtMs !== undefined ? formatDuration(e.completedAtMs - e.createdAtMs) : 'running';
	const steps = `${e.steps.completed}/${e.steps.total}, ${e.steps.cached} cached`;
	return `${e.id.padEnd(25)}  ${truncate(e.name, 24).padEnd(24)}  ${e.status.padEnd(9)}  ${start}  ${duration.padStart(8)}  ${steps}`;
}
