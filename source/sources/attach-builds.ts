// `bxtop attach`: every build a builder runs, whoever started it, as the same build events a child build gives.
// BuildKit's ListenBuildHistory (one stream per node) says when a build starts and ends; each running build's
// progress comes from `docker buildx history logs --progress=rawjson ID`, which streams it live (from the start:
// BuildKit replays what happened before) through the same rawjson path as a child build's stderr. When the record
// completes, `history inspect --format json` gives BuildKit's figures as users see them.
import type {BuildSpec, Emit} from '../domain/events.js';
import type {Clock} from '../domain/clock.js';
import {createBuildStream} from './buildx-stream.js';
import {createDownloadTracker} from './download-tracker.js';
import {recordFromWire, withInspect, type WireHistoryEvent} from '../lib/buildkit-record.js';
import type {BuildkitRecord} from '../domain/buildkit-record.js';
import {rfc3339Ms} from '../lib/proto-time.js';
import {redactText} from '../lib/redact.js';
import {sleep} from './container-stats.js';

export type AttachNode = {name: string; nativePlatform?: string};

/** What attach needs of the builder: the real one is buildkit-control.ts plus two buildx commands. */
export type AttachBackend = {
	/** Streams one node's history events; resolves when the stream ends (error: rejects). */
	listen: (node: AttachNode, onEvent: (event: WireHistoryEvent) => void, signal: AbortSignal) => Promise<void>;
	/** `history logs --progress=rawjson ID`: calls onChunk with its stderr until the build ends or signal aborts. */
	followLogs: (id: string, onChunk: (chunk: string) => void, signal: AbortSignal) => Promise<void>;
	/** `history inspect --format json ID` text. */
	/** `history inspect --format json ID`; stopped when signal aborts (detaching leaves no child behind). */
	inspect: (id: string, signal: AbortSignal) => Promise<string>;
};

export type AttachOptions = {
	emit: Emit;
	clock: Clock;
	signal: AbortSignal;
	builder: string;
	nodes: AttachNode[];
	backend: AttachBackend;
	/** How long the log stream may trail the record's completion before it is stopped. */
	logGraceMs?: number;
	/** Wait before opening a broken history stream again. */
	reconnectMs?: number;
};

type Followed = {
	buildId: string;
	record: BuildkitRecord;
	logs: Promise<void>;
	stopLogs: AbortController;
	hasEnded: boolean;
};

export async function attachBuilds(options: AttachOptions): Promise<void> {
	const {emit, clock, signal, backend} = options;
	const followed = new Map<string, Followed>();
	const endings: Promise<void>[] = [];

	const onEvent = (node: AttachNode, event: WireHistoryEvent) => {
		if (!event.record) return;
		const record = recordFromWire(event.record, {builder: options.builder, node: node.name});
		if (!record) return;
		const type = event.type ?? 'STARTED';
		let build = followed.get(record.ref);
		if (!build && type !== 'DELETED') build = start(node, record);
		if (build && type === 'COMPLETE' && !build.hasEnded) {
			build.hasEnded = true;
			endings.push(finish(build, record));
		}
	};

	const start = (node: AttachNode, record: BuildkitRecord): Followed => {
		const buildId = record.ref;
		const spec: BuildSpec = {
			buildId,
			target: record.name,
			tags: [],
			// a single-platform build's steps carry no platform: the record's, else the node's own (BuildKit's default)
			platforms: record.platforms.length > 0 ? record.platforms : node.nativePlatform ? [node.nativePlatform] : [],
			argv: [],
			node: node.name,
			...(node.nativePlatform ? {nativePlatform: node.nativePlatform} : {}),
		};
		emit({type: 'build/queued', at: clock.now(), spec});
		// BuildKit's own start, so the build's duration is BuildKit's (a build running before attach started too)
		emit({type: 'build/started', at: rfc3339Ms(record.startedAt) ?? clock.now(), buildId});
		emit({type: 'build/record-updated', at: clock.now(), buildId, record});
		const stopLogs = new AbortController();
		const onAbort = () => stopLogs.abort();
		signal.addEventListener('abort', onAbort, {once: true});
		const stream = createBuildStream({buildId, emit, clock, listeners: [createDownloadTracker(spec)]});
		const logs = backend
			.followLogs(record.id, chunk => stream.push(chunk), stopLogs.signal)
			.catch(error => emit({type: 'session/warned', at: clock.now(), message: `${record.name}: following its progress failed: ${(error as Error).message}`}))
			.finally(() => {
				stream.end();
				signal.removeEventListener('abort', onAbort);
			});
		const build: Followed = {buildId, record, logs, stopLogs, hasEnded: false};
		followed.set(buildId, build);
		// the name buildx shows (it reads its local state too), without waiting for the end
		void inspectRecord(build, record).then(next => {
			if (next && !build.hasEnded) emit({type: 'build/record-updated', at: clock.now(), buildId, record: next});
		});
		return build;
	};

	/** Inspections in flight: attach ends after them, so no `history inspect` child outlives it. */
	const inspecting = new Set<Promise<unknown>>();
	const inspectRecord = async (build: Followed, record: BuildkitRecord): Promise<BuildkitRecord | undefined> => {
		const running = backend.inspect(record.id, signal);
		inspecting.add(running);
		try {
			return withInspect(record, await running);
		} catch {
			return undefined;
		} finally {
			inspecting.delete(running);
		}
	};

	const finish = async (build: Followed, completed: BuildkitRecord) => {
		// the log stream ends with the build; let it deliver its last statuses, but not forever
		const grace = setTimeout(() => build.stopLogs.abort(), options.logGraceMs ?? 5_000);
		await build.logs;
		clearTimeout(grace);
		// inspect's figures, unless it answered before BuildKit had finalised the record (still "running" there)
		const inspected = await inspectRecord(build, completed);
		const record = inspected && inspected.status !== 'running' ? inspected : completed;
		const {buildId} = build;
		emit({type: 'build/record-updated', at: clock.now(), buildId, record});
		// buildx's own last line for a failed build, which the row and the summary show
		if (record.status === 'failed' && record.error) emit({type: 'build/text-received', at: clock.now(), buildId, line: redactText(`ERROR: ${record.error}`)});
		emit({
			type: 'build/exited',
			at: rfc3339Ms(completed.completedAt) ?? clock.now(),
			buildId,
			exitCode: record.status === 'completed' ? 0 : record.status === 'canceled' ? null : 1,
			isCancelled: record.status === 'canceled',
		});
	};

	// A history stream that breaks (dockerd restarted, the connection dropped) is opened again until attach stops:
	// BuildKit then replays the builds still running, and those already followed are not started twice.
	const follow = async (node: AttachNode) => {
		let isDown = false;
		while (!signal.aborted) {
			let reason = 'the stream ended';
			try {
				await backend.listen(node, event => onEvent(node, event), signal);
			} catch (error) {
				reason = (error as Error).message;
			}
			if (signal.aborted) return;
			if (!isDown) emit({type: 'session/warned', at: clock.now(), message: `lost the build history of node ${node.name} (${reason}); reconnecting`});
			isDown = true;
			await sleep(options.reconnectMs ?? 2_000, signal);
		}
	};
	const listeners = options.nodes.map(follow);
	await Promise.all(listeners);
	// attach runs until stopped: what is still followed stops with it
	await Promise.all([...followed.values()].map(b => b.logs));
	await Promise.all(endings);
	await Promise.allSettled([...inspecting]);
}
