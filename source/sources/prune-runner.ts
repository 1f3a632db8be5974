// Runs one prune: measures the cache first (du "before"), runs the exact `docker buildx prune --builder <selected>
// --force ...` argv from lib/prune-commands.ts, streams its output (progress as records are removed), takes the
// reclaimed bytes from its `Total:` line, then measures again (du "after"). Errors are reported as `prune/failed`
// with docker's own message, never swallowed.
import {execa} from 'execa';
import {stoppedWithParent} from './parent-death.js';
import type {Emit} from '../domain/events.js';
import type {PruneCommandId} from '../domain/resources-events.js';
import {pruneArgv, pruneEstimate} from '../lib/prune-commands.js';
import {parsePruneLine} from '../lib/prune-output.js';
import type {BuildCache} from './build-cache.js';
import type {Clock} from '../domain/clock.js';

export type PruneRequest = {
	commandId: PruneCommandId;
	/** The session's builder; the argv always names it, so no other builder is touched. */
	builder: string;
	buildxVersion?: string;
	keepGb?: number;
};

export type PruneRunnerOptions = {
	emit: Emit;
	clock: Clock;
	signal: AbortSignal;
	/** Measures before and after; without it the prune runs alone. */
	cache?: BuildCache;
	env?: Record<string, string>;
	/** Progress events at most this often. */
	progressEveryMs?: number;
};

export type PruneOutcome =
	| {ok: true; pruneId: string; reclaimedBytes: number; recordsRemoved: number; argv: string[]}
	| {ok: false; pruneId: string; message: string; argv: string[]};

let sequence = 0;

export async function runPrune(request: PruneRequest, options: PruneRunnerOptions): Promise<PruneOutcome> {
	const {emit, clock, signal, cache} = options;
	const pruneId = `prune-${clock.now()}-${++sequence}`;
	const argv = pruneArgv(request.commandId, request);
	const before = cache ? await cache.measureNow('prune-before') : undefined;
	const startedMs = Date.now();
	const started: Extract<Parameters<Emit>[0], {type: 'prune/started'}> = {
		type: 'prune/started',
		at: clock.now(),
		pruneId,
		commandId: request.commandId,
		builder: request.builder,
		argv,
	};
	const estimate = pruneEstimate(request.commandId, before, request.keepGb);
	if (estimate !== undefined) started.estimateBytes = estimate;
	emit(started);

	let records = 0;
	let bytes = 0;
	let reclaimed: number | undefined;
	let lastProgressMs = 0;
	const other: string[] = [];
	const progress = (force: boolean) => {
		const now = Date.now();
		if (!force && now - lastProgressMs < (options.progressEveryMs ?? 250)) return;
		lastProgressMs = now;
		emit({type: 'prune/progressed', at: clock.now(), pruneId, recordsRemoved: records, bytesRemoved: bytes});
	};

	let outcome: PruneOutcome;
	try {
		const command = stoppedWithParent('docker', argv);
		const subprocess = execa(command.file, command.args, {
			cancelSignal: signal,
			reject: false,
			stdin: 'ignore',
			...(options.env ? {env: options.env} : {}),
		});
		for await (const line of subprocess) {
			const parsed = parsePruneLine(String(line));
			if (parsed.kind === 'record') {
				records++;
				bytes += parsed.record.sizeBytes;
				progress(false);
			} else if (parsed.kind === 'total') reclaimed = parsed.reclaimedBytes;
			else if (parsed.kind === 'other' && parsed.text.trim() !== '') other.push(parsed.text);
		}
		const result = await subprocess;
		const durationMs = Date.now() - startedMs;
		if (records > 0) progress(true);
		if (result.exitCode === 0 && !signal.aborted) {
			const reclaimedBytes = reclaimed ?? bytes; // no Total: line (never seen) - the records' own sum
			emit({type: 'prune/finished', at: clock.now(), pruneId, reclaimedBytes, recordsRemoved: records, durationMs});
			outcome = {ok: true, pruneId, reclaimedBytes, recordsRemoved: records, argv};
		} else {
			const stderr = String(result.stderr ?? '').trim();
			const message = signal.aborted
				? 'cancelled'
				: (stderr.split('\n').filter(Boolean).pop() ?? other.pop() ?? result.shortMessage ?? `exit ${result.exitCode}`);
			emit({type: 'prune/failed', at: clock.now(), pruneId, message, exitCode: result.exitCode ?? null, durationMs});
			outcome = {ok: false, pruneId, message, argv};
		}
	} catch (error) {
		const message = (error as Error).message;
		emit({type: 'prune/failed', at: clock.now(), pruneId, message, exitCode: null, durationMs: Date.now() - startedMs});
		outcome = {ok: false, pruneId, message, argv};
	}
	if (cache && !signal.aborted) await cache.measureNow('prune-after');
	return outcome;
}
