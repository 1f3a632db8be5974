// The build cache of the selected builder: every 30 s, after each build ends, around each prune, and on demand -
// never two measurements at once. A request while one runs queues a single follow-up run (requests coalesce into
// it), so a burst of builds ending costs at most one extra. The docker driver's cache is asked of its daemon's
// Engine API (`engine-cache.ts`: the same records, no process); any other builder, and a daemon older
// than API 1.42, through `docker buildx du`: `--verbose` gives totals and descriptions in one call on every
// buildx, and buildx >= 0.28 is asked for `--format json` instead.
import {execa} from 'execa';
import type {Emit} from '../domain/events.js';
import type {CacheMeasureReason, CacheUsage} from '../domain/resources-events.js';
import {parseDu} from '../lib/du-table.js';
import type {EngineClient} from './engine-api.js';
import {createEngineCache} from './engine-cache.js';
import {atLeast, parseBuildxVersion} from '../lib/buildx-inspect.js';
import type {Clock} from '../domain/clock.js';

export type BuildCacheOptions = {
	builder: string;
	emit: Emit;
	clock: Clock;
	signal: AbortSignal;
	buildxVersion?: string;
	/** Time between periodic measurements, counted from the end of the last one of any reason. */
	periodMs?: number;
	/** Extra environment for docker (tests point DOCKER_HOST elsewhere). */
	env?: Record<string, string>;
	timeoutMs?: number;
	/** The docker driver's daemon: its Engine API answers instead of `buildx du`. */
	engine?: EngineClient;
};

export type BuildCache = {
	/** Measure soon: joins a queued run if there is one. Resolves with that run's usage (undefined on failure). */
	refresh: (reason: CacheMeasureReason) => Promise<CacheUsage | undefined>;
	/** A measurement that starts after this call (waits for a running one first): prune before/after. */
	measureNow: (reason: CacheMeasureReason) => Promise<CacheUsage | undefined>;
	/** Runs the initial measurement and the 30 s schedule until the signal aborts. */
	run: () => Promise<void>;
	readonly isMeasuring: boolean;
};

export function duArgv(builder: string, buildxVersion?: string): {argv: string[]; format: Exclude<CacheUsage['format'], 'engine'>} {
	if (atLeast(parseBuildxVersion(buildxVersion ?? ''), 0, 28)) return {argv: ['buildx', 'du', '--builder', builder, '--format', 'json'], format: 'json'};
	return {argv: ['buildx', 'du', '--builder', builder, '--verbose'], format: 'verbose'};
}

export function createBuildCache(options: BuildCacheOptions): BuildCache {
	const {builder, emit, clock, signal} = options;
	const periodMs = options.periodMs ?? 30_000;
	let running: Promise<CacheUsage | undefined> | undefined;
	let queued: Promise<CacheUsage | undefined> | undefined;
	let timer: NodeJS.Timeout | undefined;

	const timeoutMs = options.timeoutMs ?? 120_000;
	// dropped once the daemon turned out older than API 1.42 or refused the path: buildx from then on
	let engine = options.engine ? createEngineCache(options.engine, timeoutMs) : undefined;

	const measure = async (reason: CacheMeasureReason): Promise<CacheUsage | undefined> => {
		const started = Date.now();
		if (engine) {
			const answer = await engine.measure(signal, () => clock.now());
			if (signal.aborted) return undefined;
			if ('usage' in answer) {
				emit({type: 'cache/measured', at: clock.now(), builder, reason, usage: answer.usage, durationMs: Date.now() - started});
				return answer.usage;
			}
			if ('failed' in answer) {
				emit({type: 'cache/measure-failed', at: clock.now(), builder, reason, message: answer.failed});
				return undefined;
			}
			if (answer.fallback === 'from-now-on') engine = undefined;
		}
		const {argv, format} = duArgv(builder, options.buildxVersion);
		const result = await execa('docker', argv, {
			cancelSignal: signal,
			reject: false,
			timeout: timeoutMs,
			stdin: 'ignore',
			...(options.env ? {env: options.env} : {}),
		});
		if (signal.aborted) return undefined;
		const durationMs = Date.now() - started;
		if (result.exitCode !== 0) {
			const stderr = String(result.stderr ?? '').trim();
			const message = stderr.split('\n').filter(Boolean).pop() ?? result.shortMessage ?? `exit ${result.exitCode}`;
			emit({type: 'cache/measure-failed', at: clock.now(), builder, reason, message});
			return undefined;
		}
		const usage = parseDu(String(result.stdout ?? ''), format);
		emit({type: 'cache/measured', at: clock.now(), builder, reason, usage, durationMs});
		return usage;
	};

	const start = (reason: CacheMeasureReason): Promise<CacheUsage | undefined> => {
		running = measure(reason)
			.catch(() => undefined)
			.finally(() => {
				running = undefined;
				schedule();
			});
		return running;
	};

	// One du at a time. While one runs, requests share a single queued run that starts when it ends: the queued run
	// starts after every request that joined it, so its figures are never older than the request.
	const refresh = (reason: CacheMeasureReason): Promise<CacheUsage | undefined> => {
		if (signal.aborted) return Promise.resolve(undefined);
		if (!running) return start(reason);
		if (!queued) {
			queued = running.then(() => {
				queued = undefined;
				return signal.aborted ? undefined : start(reason);
			});
		}
		return queued;
	};

	function schedule() {
		if (timer) clearTimeout(timer);
		timer = undefined;
		if (signal.aborted) return;
		timer = setTimeout(() => {
			timer = undefined;
			if (!running && !queued) void refresh('periodic');
		}, periodMs);
		timer.unref?.();
	}

	return {
		refresh,
		measureNow: refresh,
		run: async () => {
			if (signal.aborted) return;
			await refresh('initial');
			await new Promise<void>(resolve => {
				if (signal.aborted) resolve();
				else signal.addEventListener('abort', () => resolve(), {once: true});
			});
			if (timer) clearTimeout(timer);
			await running?.catch(() => undefined);
		},
		get isMeasuring() {
			return running !== undefined;
		},
	};
}
