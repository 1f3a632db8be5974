// Everything the resources panel needs, started together: discover the builder, then one stats stream per
// measurable node, the host sampler and the build cache schedule, all stopped by one abort signal. The monitor
// measures the cache again whenever a build exits; the app keeps the returned handle to wait for the measurement
// after the last build (for the summary's "after") and to run a confirmed prune.
import type {DomainEvent, Emit} from '../domain/events.js';
import type {CacheUsage, PruneCommandId} from '../domain/resources-events.js';
import {currentEndpoint, systemEndpointDeps} from '../lib/docker-endpoint.js';
import {defaultMinFreeBytes} from '../state/resource-selectors.js';
import {discoverBuilder, type BuilderDiscovery} from './builder-info.js';
import {createBuildCache, type BuildCache} from './build-cache.js';
import type {Clock} from '../domain/clock.js';
import type {KnownBuilder} from './preflight.js';
import {runContainerStats} from './container-stats.js';
import {runHostStats, sampleHostOnce} from './host-stats.js';
import {runPrune, type PruneOutcome} from './prune-runner.js';
import {createEngineClient, type EngineClient} from './engine-api.js';

export type ResourceMonitorOptions = {
	emit: Emit;
	clock: Clock;
	signal: AbortSignal;
	builderName?: string;
	/** `--min-free` in bytes (default 10 GB). */
	minFreeBytes?: number;
	/** Extra environment for docker and the endpoint resolution (DOCKER_HOST, BUILDX_BUILDER, ...). */
	env?: Record<string, string>;
	/** The builder preflight already inspected (buildx inspect and version are not asked twice at start). */
	known?: KnownBuilder;
	cachePeriodMs?: number;
	hostIntervalMs?: number;
	statsRetryMs?: number[];
};

export type ResourceMonitor = {
	/** Resolves when every source stopped (after the signal aborts). */
	done: Promise<void>;
	/** The builder found, or undefined when buildx could not tell. */
	discovery: Promise<BuilderDiscovery | undefined>;
	/**
	 * The build cache once the builds are over: the measurement the last build's exit started (joined, not
	 * repeated: a du costs a docker and a buildx process), or a new one when no build exit started any or that one
	 * failed.
	 */
	cacheAfterBuilds: () => Promise<void>;
	/** Runs one confirmed prune on the session's builder; refuses while another runs or without a builder. */
	prune: (request: {commandId: PruneCommandId; keepGb?: number}) => Promise<PruneOutcome | {ok: false; message: string}>;
	/** A tap for the pump: measures the cache again after each build ends. */
	onEvent: (event: DomainEvent) => void;
	/**
	 * Stops the stats and host samplers but keeps du and prune: after the builds, a board held open must not add
	 * idle samples to the session's figures (peak / mean CPU, free disk after). When the builds ended before the
	 * host's first sample, it takes one; then it emits `sampling/stopped`, so the board says why figures age.
	 */
	stopSampling: () => Promise<void>;
	readonly isPruning: boolean;
};

export {defaultMinFreeBytes};

export function startResourceMonitor(options: ResourceMonitorOptions): ResourceMonitor {
	const {clock, signal} = options;
	let hasHostSample = false;
	const emit: Emit = event => {
		if (event.type === 'host/sampled') hasHostSample = true;
		options.emit(event);
	};
	const minFreeBytes = options.minFreeBytes ?? defaultMinFreeBytes;
	let daemonEndpoint: ReturnType<typeof currentEndpoint> | undefined;
	const env = {...process.env, ...options.env};
	let cache: BuildCache | undefined;
	/** The du the last `build/exited` asked for: it started after that build ended. */
	let afterLastExit: Promise<CacheUsage | undefined> | undefined;
	let pruning = false;
	let builderName: string | undefined;
	let buildxVersion: string | undefined;
	const running: Promise<unknown>[] = [];
	const sampling = new AbortController();
	const samplingSignal = AbortSignal.any([signal, sampling.signal]);

	const discovery = (async () => {
		const found = await discoverBuilder({
			emit,
			clock,
			signal,
			...(options.builderName ? {builderName: options.builderName} : {}),
			...(options.env ? {env: options.env} : {}),
			...(options.known ? {known: options.known} : {}),
		});
		if (signal.aborted) return found;
		daemonEndpoint = found?.daemonEndpoint ?? currentEndpoint(systemEndpointDeps(env));
		running.push(
			runHostStats({
				endpoint: daemonEndpoint,
				emit,
				clock,
				signal: samplingSignal,
				minFreeBytes,
				...(options.hostIntervalMs ? {intervalMs: options.hostIntervalMs} : {}),
			}),
		);
		if (!found) return found;
		builderName = found.builder.name;
		buildxVersion = found.buildxVersion;
		for (const target of found.targets) {
			const endpoint = found.endpoints[target.node];
			if (target.notMeasurable || !target.container || !endpoint) continue;
			running.push(
				runContainerStats({
					node: target.node,
					container: target.container,
					endpoint,
					emit,
					clock,
					signal: samplingSignal,
					...(options.statsRetryMs ? {retryMs: options.statsRetryMs} : {}),
					...(options.env ? {env: options.env} : {}),
				}),
			);
		}
		const engine = dockerDriverEngine(found);
		cache = createBuildCache({
			...(engine ? {engine} : {}),
			builder: found.builder.name,
			emit,
			clock,
			signal,
			...(found.buildxVersion ? {buildxVersion: found.buildxVersion} : {}),
			...(options.cachePeriodMs ? {periodMs: options.cachePeriodMs} : {}),
			...(options.env ? {env: options.env} : {}),
		});
		running.push(cache.run());
		return found;
	})();

	const done = (async () => {
		await discovery.catch(() => undefined);
		await new Promise<void>(resolve => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), {once: true})));
		await Promise.allSettled(running);
	})();

	return {
		done,
		discovery,
		cacheAfterBuilds: async () => {
			await discovery.catch(() => undefined);
			// one more try when that measurement failed: the summary's "after" needs one
			const usage = afterLastExit ? await afterLastExit : undefined;
			if (usage === undefined) await cache?.refresh('manual');
		},
		prune: async request => {
			await discovery.catch(() => undefined);
			if (!builderName) return {ok: false, message: 'no builder: buildx could not tell which builder is in use'};
			if (pruning) return {ok: false, message: 'a prune is already running'};
			pruning = true;
			try {
				return await runPrune(
					{
						commandId: request.commandId,
						builder: builderName,
						...(buildxVersion ? {buildxVersion} : {}),
						...(request.keepGb !== undefined ? {keepGb: request.keepGb} : {}),
					},
					{emit, clock, signal, ...(cache ? {cache} : {}), ...(options.env ? {env: options.env} : {})},
				);
			} finally {
				pruning = false;
			}
		},
		onEvent: event => {
			if (event.type === 'build/exited' && cache) afterLastExit = cache.refresh('build-ended');
		},
		stopSampling: async () => {
			if (sampling.signal.aborted) return;
			sampling.abort();
			await discovery.catch(() => undefined);
			if (!hasHostSample && daemonEndpoint && !signal.aborted) {
				const host = await sampleHostOnce(daemonEndpoint, minFreeBytes, signal).catch(() => undefined);
				if (host && !signal.aborted) emit({type: 'host/sampled', at: clock.now(), host});
			}
			emit({type: 'sampling/stopped', at: clock.now(), reason: 'builds-ended'});
		},
		get isPruning() {
			return pruning;
		},
	};
}

/** The docker driver's daemon, spoken to directly (its build cache is BuildKit's inside it); undefined otherwise. */
function dockerDriverEngine(found: BuilderDiscovery): EngineClient | undefined {
	const node = found.builder.nodes[0];
	if (found.builder.driver !== 'docker' || found.builder.nodes.length !== 1 || !node) return undefined;
	const endpoint = found.endpoints[node.name];
	const client = endpoint ? createEngineClient(endpoint) : undefined;
	return client && 'get' in client ? client : undefined;
}
