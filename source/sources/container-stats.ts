// Stats of one BuildKit container: one long-lived Engine API stats stream (`?stream=true`, about one object a second)
// per container - never a process per sample. Emits `stats/sampled` with docker stats' figures and rates, and
// `stats/unavailable` (once per distinct problem) when the container is missing or stopped or the daemon is away;
// it retries with backoff and resumes by itself when things come back. A stream that goes quiet (dockerd keeps the
// stream of a stopped container open and silent) is caught by a watchdog and diagnosed with a container inspect.
// Endpoints node:http cannot speak to (ssh://) fall back to one long-lived `docker stats` process.
import {execa} from 'execa';
import {stoppedWithParent} from './parent-death.js';
import type {Emit} from '../domain/events.js';
import type {StatsSample, StatsUnavailableReason} from '../domain/resources-events.js';
import type {DockerEndpoint} from '../lib/docker-endpoint.js';
import {
	hasPreviousCpu,
	parseDockerStatsLine,
	statsFigures,
	type EngineStats,
	type StatsFigures,
	sampleFromDockerStatsRow,
	sampleFromFigures,
} from '../lib/docker-stats-calc.js';
import type {Clock} from '../domain/clock.js';
import {createEngineClient, EngineError, engineMessage, type EngineClient} from './engine-api.js';

export type ContainerStatsOptions = {
	node: string;
	container: string;
	endpoint: DockerEndpoint;
	emit: Emit;
	signal: AbortSignal;
	clock: Clock;
	/** Waits between attempts; the last value repeats. */
	retryMs?: number[];
	/** Silence after which the stream is considered stalled. */
	stallMs?: number;
	/** Extra environment for the `docker stats` fallback. */
	env?: Record<string, string>;
};

const defaultRetryMs = [1000, 2000, 4000, 5000];

type Issue = {reason: StatsUnavailableReason; message: string};

export async function runContainerStats(options: ContainerStatsOptions): Promise<void> {
	const client = createEngineClient(options.endpoint);
	if ('unsupported' in client) return runDockerStatsProcess(options);
	const {signal} = options;
	const retryMs = options.retryMs ?? defaultRetryMs;
	const reporter = issueReporter(options);
	let attempt = 0;
	while (!signal.aborted) {
		const outcome = await streamOnce(client, options, reporter);
		if (signal.aborted) return;
		if (outcome.hadSamples) attempt = 0;
		if (outcome.issue) reporter.report(outcome.issue);
		await sleep(retryMs[Math.min(attempt, retryMs.length - 1)]!, signal);
		attempt++;
	}
}

/** Emits `stats/unavailable` once per distinct problem; a sample clears it so the next problem is said again. */
function issueReporter(options: ContainerStatsOptions) {
	let last: string | undefined;
	return {
		report(issue: Issue) {
			const key = `${issue.reason}|${issue.message}`;
			if (key === last) return;
			last = key;
			options.emit({
				type: 'stats/unavailable',
				at: options.clock.now(),
				node: options.node,
				container: options.container,
				reason: issue.reason,
				message: issue.message,
			});
		},
		clear() {
			last = undefined;
		},
	};
}

async function streamOnce(
	client: EngineClient,
	options: ContainerStatsOptions,
	reporter: ReturnType<typeof issueReporter>,
): Promise<{hadSamples: boolean; issue?: Issue}> {
	const {node, container, emit, clock, signal} = options;
	const stallMs = options.stallMs ?? 4000;
	const controller = new AbortController();
	const onAbort = () => controller.abort();
	signal.addEventListener('abort', onAbort, {once: true});
	let previous: StatsFigures | undefined;
	let hadSamples = false;
	let lastDataMs = Date.now();
	let isStalled = false;
	const watchdog = setInterval(() => {
		if (Date.now() - lastDataMs > stallMs) {
			isStalled = true;
			controller.abort();
		}
	}, Math.min(1000, stallMs));

	const onLine = (line: string) => {
		let raw: EngineStats;
		try {
			raw = JSON.parse(line) as EngineStats;
		} catch {
			return;
		}
		const figures = statsFigures(raw);
		// A stopped container's stream sends empty objects (read time 0001-01-01): not data, so the watchdog fires.
		if (figures.readMs !== undefined) lastDataMs = Date.now();
		// The stream's first object has no previous CPU reading.
		if (!hasPreviousCpu(raw) || figures.readMs === undefined) {
			if (figures.readMs !== undefined) previous = figures;
			return;
		}
		const sample = sampleFromFigures(node, container, figures, previous);
		previous = figures;
		hadSamples = true;
		reporter.clear();
		emit({type: 'stats/sampled', at: clock.now(), sample});
	};

	try {
		const response = await client.stream(`/containers/${encodeURIComponent(container)}/stats?stream=true`, onLine, {
			signal: controller.signal,
		});
		if (signal.aborted) return {hadSamples};
		if (response.status === 404) return {hadSamples, issue: {reason: 'container-missing', message: engineMessage(response.body)}};
		if (response.status !== 0 && (response.status < 200 || response.status >= 300)) {
			return {hadSamples, issue: {reason: 'error', message: `HTTP ${response.status}: ${engineMessage(response.body)}`}};
		}
		// The stream ended or went quiet: ask what became of the container.
		const diagnosis = await diagnose(client, container, signal);
		if (diagnosis) return {hadSamples, issue: diagnosis};
		return isStalled && !hadSamples ? {hadSamples, issue: {reason: 'error', message: `no stats for ${Math.round(stallMs / 1000)} s`}} : {hadSamples};
	} catch (error) {
		if (signal.aborted) return {hadSamples};
		if (error instanceof EngineError && error.isUnreachable) return {hadSamples, issue: {reason: 'daemon-unreachable', message: error.message}};
		return {hadSamples, issue: {reason: 'error', message: (error as Error).message}};
	} finally {
		clearInterval(watchdog);
		signal.removeEventListener('abort', onAbort);
	}
}

/** Why the stream ended: the container is gone, stopped, or the daemon is; undefined if it is running. */
async function diagnose(client: EngineClient, container: string, signal: AbortSignal): Promise<Issue | undefined> {
	try {
		const response = await client.get(`/containers/${encodeURIComponent(container)}/json`, {signal, timeoutMs: 5000});
		if (response.status === 404) return {reason: 'container-missing', message: engineMessage(response.body)};
		if (response.status !== 200) return {reason: 'error', message: `HTTP ${response.status}: ${engineMessage(response.body)}`};
		const state = (JSON.parse(response.body) as {State?: {Running?: boolean; Status?: string; Restarting?: boolean}}).State;
		if (state && (!state.Running || state.Restarting)) return {reason: 'container-stopped', message: `container is ${state.Status ?? 'not running'}`};
		return undefined;
	} catch (error) {
		if (error instanceof EngineError && error.isUnreachable) return {reason: 'daemon-unreachable', message: error.message};
		return {reason: 'error', message: (error as Error).message};
	}
}

/**
 * Fallback for endpoints node:http cannot reach (ssh://): one `docker stats` process streaming JSON lines for the
 * container. Its figures are docker's own rounded strings; it redraws several times a second, so at most one sample
 * a second is emitted. Rates come from the counters' differences over the clock.
 */
async function runDockerStatsProcess(options: ContainerStatsOptions): Promise<void> {
	const {node, container, endpoint, emit, clock, signal} = options;
	const retryMs = options.retryMs ?? defaultRetryMs;
	const reporter = issueReporter(options);
	const target = endpoint.contextName && endpoint.contextName !== 'default' ? ['--context', endpoint.contextName] : ['--host', endpoint.host];
	let attempt = 0;
	while (!signal.aborted) {
		let previous: {at: number; netRx: number; netTx: number; blockRead: number; blockWrite: number} | undefined;
		let lastEmitAt = 0;
		let hadSamples = false;
		const command = stoppedWithParent('docker', [...target, 'stats', '--format', '{{json .}}', container]);
		const subprocess = execa(command.file, command.args, {
			cancelSignal: signal,
			reject: false,
			forceKillAfterDelay: 2000,
			stdin: 'ignore',
			...(options.env ? {env: options.env} : {}),
		});
		for await (const line of subprocess) {
			const row = parseDockerStatsLine(String(line));
			if (!row || row.memoryLimitBytes === 0) continue; // "--" columns: the CLI has no figures yet
			const at = clock.now();
			if (at - lastEmitAt < 900) continue;
			lastEmitAt = at;
			const sample: StatsSample = {...sampleFromDockerStatsRow(node, row), container};
			if (previous && at > previous.at) {
				const seconds = (at - previous.at) / 1000;
				const rate = (a: number, b: number) => Math.max(0, b - a) / seconds;
				sample.netRxBytesPerSecond = rate(previous.netRx, row.netRxBytes);
				sample.netTxBytesPerSecond = rate(previous.netTx, row.netTxBytes);
				sample.blockReadBytesPerSecond = rate(previous.blockRead, row.blockReadBytes);
				sample.blockWriteBytesPerSecond = rate(previous.blockWrite, row.blockWriteBytes);
			}
			previous = {at, netRx: row.netRxBytes, netTx: row.netTxBytes, blockRead: row.blockReadBytes, blockWrite: row.blockWriteBytes};
			hadSamples = true;
			reporter.clear();
			emit({type: 'stats/sampled', at, sample});
		}
		const result = await subprocess;
		if (signal.aborted) return;
		const stderr = String(result.stderr ?? '').trim();
		const reason: StatsUnavailableReason = /no such container/i.test(stderr)
			? 'container-missing'
			: /cannot connect|connection refused|is the docker daemon running/i.test(stderr)
				? 'daemon-unreachable'
				: 'error';
		reporter.report({reason, message: stderr.split('\n')[0] || `docker stats exited with ${result.exitCode ?? result.signal}`});
		if (hadSamples) attempt = 0;
		await sleep(retryMs[Math.min(attempt, retryMs.length - 1)]!, signal);
		attempt++;
	}
}

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
	return new Promise(resolve => {
		if (signal.aborted) {
			resolve();
			return;
		}
		const timer = setTimeout(done, ms);
		function done() {
			clearTimeout(timer);
			signal.removeEventListener('abort', done);
			resolve();
		}
		signal.addEventListener('abort', done, {once: true});
	});
}
