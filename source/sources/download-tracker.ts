// Turns one build's status stream into download events: pip and uv lines in RUN step logs, and byte-counted layer
// pulls / pushes in BuildKit statuses. A StatusListener for createBuildStream: it sees every normalised status
// (logs decoded, secrets redacted) and keeps only what it needs: a vertex map, per-vertex line assembly (log chunks
// are not line-aligned; rich redraws its bar with \r) and the downloads in flight. Times are BuildKit's own
// timestamps when the status carries them, so durations are what the builder saw, whatever the stream's delay.
import type {BuildSpec, DomainEvent, SolveStatus, Vertex, VertexLog, VertexStatus} from '../domain/events.js';
import type {
	DownloadCacheHitEvent,
	DownloadFailedEvent,
	DownloadFinishedEvent,
	DownloadIdentity,
	DownloadProgressedEvent,
	DownloadKind,
	DownloadSource,
	DownloadStartedEvent,
} from '../domain/downloads-events.js';
import type {StatusListener} from './buildx-stream.js';
import {parseStepName} from '../lib/step-name.js';
import {parsePipLine, type PipLine} from '../lib/pip-lines.js';
import {stripAnsi} from '../lib/ansi.js';
import {parseUvLine} from '../lib/uv-lines.js';

export type DownloadTrackerOptions = {
	/** Package downloads smaller than this are not tracked (pip's own bar threshold is 512 KiB). */
	minBytes?: number;
	/** Layer pulls / pushes smaller than this are not tracked. */
	minLayerBytes?: number;
	/** At most one progress event per download per this many ms (rich redraws ~28 times a second). */
	progressIntervalMs?: number;
	/** Vertices remembered; the oldest finished ones are forgotten beyond this. */
	maxVertices?: number;
};

type Active = {
	downloadId: string;
	identity: DownloadIdentity;
	platform: string;
	startedAt: number;
	url?: string;
	totalBytes?: number;
	isTotalRounded: boolean;
	doneBytes?: number;
	/** Exact byte count from pip's raw progress or BuildKit, when there is one. */
	isDoneExact: boolean;
	source: DownloadSource;
	lastAt: number;
	lastEmitAt?: number;
	lastEmittedBytes?: number;
	/** (time, bytes) pairs for a measured rate when the source gives bytes but no rate. Ring. */
	samples: {at: number; bytes: number}[];
};

type Assembler = {partial: string; eager?: string};

type VertexState = {
	digest: string;
	name: string;
	platform: string;
	stepText: string;
	isExport: boolean;
	seq: number;
	assemblers: Map<number, Assembler>;
	pip?: Active;
	/** pip printed `ERROR: ...` during a download: it failed; the reason may follow (a traceback's last line). */
	pipError?: {at: number; message: string; detail?: string};
	uv: Map<string, Active>;
	layers: Map<string, Active>;
	/** Status ids already finished: BuildKit re-sends completed statuses. Ring. */
	doneStatusIds: string[];
	isClosed: boolean;
};

const sourceRank: Record<DownloadSource, number> = {
	'network-estimate': 0,
	'pip-log': 1,
	'pip-bar': 2,
	uv: 2,
	'pip-live': 3,
	'buildkit-status': 4,
	'pip-raw': 4,
};

const maxPartialChars = 4096;
const maxSamples = 24;
const rateWindowMs = 3000;
const maxDoneStatusIds = 256;

export function createDownloadTracker(spec: BuildSpec, options: DownloadTrackerOptions = {}): StatusListener {
	const minBytes = options.minBytes ?? 1_000_000;
	const minLayerBytes = options.minLayerBytes ?? 1_000_000;
	const intervalMs = options.progressIntervalMs ?? 250;
	const maxVertices = options.maxVertices ?? 1024;
	const buildId = spec.buildId;
	const vertices = new Map<string, VertexState>();
	/** Download counts of forgotten vertices that had downloads (few: only those). */
	const forgottenSeq = new Map<string, number>();
	const fallbackPlatform = spec.platforms.length === 1 ? spec.platforms[0]! : '*';

	const vertexOf = (digest: string, name?: string): VertexState => {
		let v = vertices.get(digest);
		if (!v) {
			v = {
				digest,
				name: name ?? digest,
				platform: fallbackPlatform,
				stepText: name ?? '',
				isExport: false,
				seq: forgottenSeq.get(digest) ?? 0,
				assemblers: new Map(),
				uv: new Map(),
				layers: new Map(),
				doneStatusIds: [],
				isClosed: false,
			};
			vertices.set(digest, v);
			if (vertices.size > maxVertices) forgetOldest(digest);
		}
		if (name && v.name !== name) v.name = name;
		if (name) {
			const parsed = parseStepName(name);
			v.platform = parsed.platform ?? fallbackPlatform;
			v.stepText = parsed.text;
			v.isExport = parsed.kind === 'export';
		}
		return v;
	};

	/** Oldest first: finished idle vertices, then idle ones still running; never one with a download open. */
	const forgetOldest = (keep: string) => {
		for (const onlyClosed of [true, false]) {
			for (const [digest, v] of vertices) {
				if (vertices.size <= maxVertices) return;
				if (digest === keep || (onlyClosed && !v.isClosed)) continue;
				if (!v.pip && v.uv.size === 0 && v.layers.size === 0) {
					// Ids must stay unique if BuildKit sends this vertex again: remember where its count was.
					if (v.seq > 0) forgottenSeq.set(digest, v.seq);
					vertices.delete(digest);
				}
			}
		}
	};

	const nextId = (v: VertexState) => `${shortDigest(v.digest)}-${++v.seq}`;

	// ---- event builders ----

	const started = (a: Active, source: DownloadSource, initialBytes?: number): DomainEvent => {
		const event: DownloadStartedEvent = {
			type: 'download/started',
			at: a.startedAt,
			buildId,
			platform: a.platform,
			downloadId: a.downloadId,
			...a.identity,
			isTotalRounded: a.isTotalRounded,
			source,
		};
		if (a.url !== undefined) event.url = a.url;
		if (a.totalBytes !== undefined) event.totalBytes = a.totalBytes;
		if (initialBytes !== undefined) event.initialBytes = initialBytes;
		return event;
	};

	const progressed = (a: Active, at: number, rate: number | undefined, etaMs: number | undefined, force = false): DomainEvent[] => {
		if (a.doneBytes === undefined) return [];
		if (a.lastEmittedBytes === a.doneBytes) return [];
		if (!force && a.lastEmitAt !== undefined && at - a.lastEmitAt < intervalMs) return [];
		a.lastEmitAt = at;
		a.lastEmittedBytes = a.doneBytes;
		const event: DownloadProgressedEvent = {
			type: 'download/progressed',
			at,
			buildId,
			platform: a.platform,
			downloadId: a.downloadId,
			doneBytes: a.doneBytes,
			source: a.source,
			isEstimate: false,
		};
		if (a.totalBytes !== undefined) event.totalBytes = a.totalBytes;
		if (rate !== undefined && rate > 0) event.bytesPerSecond = Math.round(rate);
		if (etaMs !== undefined) event.etaMs = etaMs;
		return [event];
	};

	/** What a finished and a failed download event both say: which download, and when it ran. */
	const ended = (a: Active, at: number) => ({
		at,
		buildId,
		platform: a.platform,
		downloadId: a.downloadId,
		...a.identity,
		startedAt: a.startedAt,
		durationMs: Math.max(0, at - a.startedAt),
		source: a.source,
	});

	const finished = (a: Active, at: number): DomainEvent => {
		const size = a.isDoneExact && a.doneBytes !== undefined ? a.doneBytes : (a.totalBytes ?? a.doneBytes);
		const event: DownloadFinishedEvent = {
			type: 'download/finished',
			...ended(a, at),
			isSizeRounded: !(a.isDoneExact && a.doneBytes !== undefined) && a.isTotalRounded,
			isEstimate: false,
		};
		if (size !== undefined) event.sizeBytes = size;
		if (size !== undefined && event.durationMs > 0) event.bytesPerSecond = Math.round((size * 1000) / event.durationMs);
		return event;
	};

	const failed = (a: Active, at: number, reason: string): DomainEvent => {
		const event: DownloadFailedEvent = {type: 'download/failed', ...ended(a, at), reason};
		if (a.doneBytes !== undefined) event.doneBytes = a.doneBytes;
		if (a.totalBytes !== undefined) event.totalBytes = a.totalBytes;
		return event;
	};

	const upgrade = (a: Active, source: DownloadSource) => {
		if (sourceRank[source] > sourceRank[a.source]) a.source = source;
	};

	// ---- pip / uv lines ----

	const closePip = (v: VertexState, at: number, out: DomainEvent[]) => {
		if (!v.pip) return;
		out.push(finished(v.pip, Math.max(at, v.pip.lastAt)));
		v.pip = undefined;
	};

	const failPip = (v: VertexState, out: DomainEvent[], stepError?: string) => {
		const pending = v.pipError;
		v.pipError = undefined;
		if (!pending || !v.pip) return;
		const said = pending.detail ?? (pending.message === 'Exception:' ? undefined : pending.message);
		const reason = said ? `pip: ${said}` : stepError ? stepFailure(stepError) : `pip: ${pending.message || 'error'}`;
		out.push(failed(v.pip, pending.at, reason.length > 240 ? `${reason.slice(0, 239)}…` : reason));
		v.pip = undefined;
	};

	const onLine = (v: VertexState, visible: string, at: number, out: DomainEvent[]) => {
		const text = visible.trim();
		if (text === '') return;
		if (v.pipError) {
			// After `ERROR: Exception:` comes a traceback: its last unindented line says what broke.
			if (!/^\s/.test(visible) && !text.startsWith('Traceback') && !text.startsWith('ERROR:')) {
				v.pipError.detail = text;
				return;
			}
			if (/^\s/.test(visible) || text.startsWith('Traceback')) return;
			failPip(v, out);
		}

		if (text.startsWith('Download')) {
			const uv = parseUvLine(text);
			if (uv.kind === 'downloading') return startUv(v, uv.package, uv.totalBytes, at, out);
			if (uv.kind === 'downloaded') return finishUv(v, uv.package, at, out);
		}

		const line = parsePipLine(text);
		switch (line.kind) {
			case 'downloading':
				return startPip(v, line, at, out);
			case 'cached': {
				closePip(v, at, out);
				if (line.sizeBytes !== undefined && line.sizeBytes < minBytes) return;
				const event: DownloadCacheHitEvent = {
					type: 'download/cache-hit',
					at,
					buildId,
					platform: v.platform,
					downloadId: nextId(v),
					...pipIdentity(v, line),
					isSizeRounded: true,
					source: 'pip-log',
				};
				if (line.url !== undefined) event.url = line.url;
				if (line.sizeBytes !== undefined) event.sizeBytes = line.sizeBytes;
				out.push(event);
				return;
			}
			case 'bar':
				return onBar(v, line, at, out);
			case 'spinner': {
				const a = v.pip;
				if (!a) return;
				a.doneBytes = line.doneBytes;
				a.lastAt = at;
				upgrade(a, 'pip-live');
				out.push(...progressed(a, at, line.bytesPerSecond, undefined));
				return;
			}
			case 'raw':
				return onRaw(v, line, at, out);
			case 'collecting':
			case 'boundary':
				return closePip(v, at, out);
			case 'error':
				if (v.pip) v.pipError = {at, message: line.message};
				return;
			default:
				return;
		}
	};

	const startPip = (v: VertexState, line: PipLine & {kind: 'downloading'}, at: number, out: DomainEvent[]) => {
		const current = v.pip;
		// pip >= 25.1 resumes a broken download of the same file: the same download goes on.
		if (current && line.initialBytes !== undefined && current.identity.file === line.file) {
			current.doneBytes = line.initialBytes;
			current.lastAt = at;
			return;
		}
		closePip(v, at, out);
		if (line.totalBytes !== undefined && line.totalBytes < minBytes) return;
		const a: Active = {
			downloadId: nextId(v),
			identity: pipIdentity(v, line),
			platform: v.platform,
			startedAt: at,
			isTotalRounded: true,
			isDoneExact: false,
			source: 'pip-log',
			lastAt: at,
			samples: [],
		};
		if (line.url !== undefined) a.url = line.url;
		if (line.totalBytes !== undefined) a.totalBytes = line.totalBytes;
		if (line.initialBytes !== undefined) a.doneBytes = line.initialBytes;
		v.pip = a;
		out.push(started(a, 'pip-log', line.initialBytes));
	};

	const onBar = (v: VertexState, line: PipLine & {kind: 'bar'}, at: number, out: DomainEvent[]) => {
		const a = v.pip;
		if (!a) return;
		a.lastAt = at;
		if (!a.isDoneExact) a.doneBytes = line.doneBytes;
		if (line.isFinal) {
			// Without a TTY this final bar is the only one: the download took from `Downloading` to now.
			upgrade(a, 'pip-bar');
			out.push(finished(a, at));
			v.pip = undefined;
			return;
		}
		upgrade(a, 'pip-live');
		out.push(...progressed(a, at, line.bytesPerSecond, line.etaMs));
	};

	const onRaw = (v: VertexState, line: PipLine & {kind: 'raw'}, at: number, out: DomainEvent[]) => {
		const a = v.pip;
		if (!a) return;
		upgrade(a, 'pip-raw');
		a.isDoneExact = true;
		a.doneBytes = line.doneBytes;
		if (line.totalBytes !== undefined) {
			a.totalBytes = line.totalBytes;
			a.isTotalRounded = false;
		}
		a.lastAt = at;
		const rate = measure(a, at, line.doneBytes);
		if (line.totalBytes !== undefined && line.doneBytes >= line.totalBytes) {
			out.push(finished(a, at));
			v.pip = undefined;
			return;
		}
		const eta = rate && a.totalBytes !== undefined ? Math.round(((a.totalBytes - line.doneBytes) / rate) * 1000) : undefined;
		out.push(...progressed(a, at, rate, eta));
	};

	const startUv = (v: VertexState, pkg: string, totalBytes: number | undefined, at: number, out: DomainEvent[]) => {
		if (totalBytes !== undefined && totalBytes < minBytes) return;
		const previous = v.uv.get(pkg);
		if (previous) out.push(finished(previous, at));
		const a: Active = {
			downloadId: nextId(v),
			identity: {package: pkg, file: pkg, kind: 'file', tool: 'uv', vertex: v.digest},
			platform: v.platform,
			startedAt: at,
			isTotalRounded: true,
			isDoneExact: false,
			source: 'uv',
			lastAt: at,
			samples: [],
		};
		if (totalBytes !== undefined) a.totalBytes = totalBytes;
		v.uv.set(pkg, a);
		if (v.uv.size > 256) v.uv.delete(v.uv.keys().next().value!);
		out.push(started(a, 'uv'));
	};

	const finishUv = (v: VertexState, pkg: string, at: number, out: DomainEvent[]) => {
		const a = v.uv.get(pkg);
		if (!a) return;
		v.uv.delete(pkg);
		out.push(finished(a, at));
	};

	const onLog = (log: VertexLog, fallbackAt: number, out: DomainEvent[]) => {
		const v = vertexOf(log.vertex);
		if (v.isClosed) return;
		const at = log.timestamp ?? fallbackAt;
		const stream = log.stream ?? 1;
		let asm = v.assemblers.get(stream);
		if (!asm) {
			asm = {partial: ''};
			v.assemblers.set(stream, asm);
		}
		const text = asm.partial + log.text;
		let start = 0;
		for (let i = 0; i < text.length; i++) {
			const ch = text.charCodeAt(i);
			if (ch !== 10 && ch !== 13) continue;
			const segment = stripAnsi(text.slice(start, i));
			start = i + 1;
			if (asm.eager !== undefined) {
				const eager = asm.eager;
				asm.eager = undefined;
				if (segment === eager) continue; // already handled while it was the unterminated rest
			}
			onLine(v, segment, at, out);
		}
		let rest = text.slice(start);
		if (rest.length > maxPartialChars) rest = rest.slice(-maxPartialChars);
		asm.partial = rest;
		// A bar is redrawn with \r and never ends its line until the download is over: read it now, not at the
		// next \r, so the final bar's time is the chunk that drew it.
		if (rest !== '' && (v.pip || v.uv.size > 0)) {
			const visible = stripAnsi(rest);
			if (visible !== asm.eager) {
				const kind = parsePipLine(visible).kind;
				if (kind === 'bar' || kind === 'spinner' || kind === 'raw') {
					asm.eager = visible;
					onLine(v, visible, at, out);
				}
			}
		}
	};

	// ---- BuildKit statuses (layers) ----

	const onStatus = (s: VertexStatus, fallbackAt: number, out: DomainEvent[]) => {
		if (s.total === undefined || s.total < minLayerBytes) return;
		const digest = /sha256:([0-9a-f]{12,})/.exec(s.id);
		if (!digest) return;
		const v = vertexOf(s.vertex);
		if (v.doneStatusIds.includes(s.id)) return;
		const at = s.timestamp ?? fallbackAt;
		let a = v.layers.get(s.id);
		if (!a) {
			const kind: DownloadKind = /^push/i.test(s.id) || /^push/i.test(s.name ?? '') ? 'layer-push' : v.isExport ? 'layer-push' : 'layer-pull';
			a = {
				downloadId: nextId(v),
				identity: {package: imageRef(v.stepText), file: `sha256:${digest[1]!.slice(0, 12)}`, kind, tool: 'buildkit', vertex: v.digest},
				platform: v.platform,
				startedAt: s.started ?? at,
				totalBytes: s.total,
				isTotalRounded: false,
				isDoneExact: true,
				source: 'buildkit-status',
				lastAt: at,
				samples: [],
			};
			v.layers.set(s.id, a);
			out.push(started(a, 'buildkit-status'));
			measure(a, a.startedAt, 0);
		}
		a.totalBytes = s.total;
		if (s.current !== undefined) a.doneBytes = s.current;
		a.lastAt = at;
		const completed = s.completed;
		if (completed !== undefined) {
			if (a.doneBytes === undefined || a.doneBytes < s.total) a.doneBytes = s.total;
			out.push(finished(a, completed));
			v.layers.delete(s.id);
			v.doneStatusIds.push(s.id);
			if (v.doneStatusIds.length > maxDoneStatusIds) v.doneStatusIds.shift();
			return;
		}
		if (a.doneBytes !== undefined) {
			const rate = measure(a, at, a.doneBytes);
			const eta = rate ? Math.round(((s.total - a.doneBytes) / rate) * 1000) : undefined;
			out.push(...progressed(a, at, rate, eta));
		}
	};

	// ---- vertex completion ----

	const onVertex = (vertex: Vertex, fallbackAt: number, out: DomainEvent[]) => {
		const v = vertexOf(vertex.digest, vertex.name);
		const completed = vertex.completed;
		if (vertex.started !== undefined && completed === undefined) v.isClosed = false;
		if (completed === undefined && !vertex.error) return;
		const at = completed ?? fallbackAt;
		failPip(v, out, vertex.error);
		const all = [...(v.pip ? [v.pip] : []), ...v.uv.values(), ...v.layers.values()];
		for (const a of all) {
			if (vertex.error) {
				out.push(failed(a, Math.max(at, a.lastAt), stepFailure(vertex.error)));
			} else {
				out.push(finished(a, Math.max(at, a.lastAt)));
			}
		}
		v.pip = undefined;
		v.uv.clear();
		v.layers.clear();
		v.assemblers.clear();
		v.isClosed = true;
	};

	return (status: SolveStatus, at: number): DomainEvent[] => {
		// the status comes from the normaliser (lib/solve-status.ts), which checked its shape
		const out: DomainEvent[] = [];
		const finishing: Vertex[] = [];
		for (const vertex of status.vertexes ?? []) {
			if (vertex.completed !== undefined || vertex.error) finishing.push(vertex);
			else onVertex(vertex, at, out);
		}
		for (const s of status.statuses ?? []) onStatus(s, at, out);
		for (const log of status.logs ?? []) onLog(log, at, out);
		// Completion last: a status can carry a step's final log chunk and its completion together.
		for (const vertex of finishing) onVertex(vertex, at, out);
		return out;
	};
}

function stepFailure(error: string): string {
	return /context canceled/.test(error) ? 'cancelled' : `step failed: ${error}`;
}

function pipIdentity(v: VertexState, line: {file: string; package: string; version?: string; fileKind: string}): DownloadIdentity {
	const identity: DownloadIdentity = {
		package: line.package,
		file: line.file,
		kind: line.fileKind === 'wheel' ? 'wheel' : line.fileKind === 'sdist' ? 'sdist' : 'file',
		tool: 'pip',
		vertex: v.digest,
	};
	if (line.version !== undefined) identity.version = line.version;
	return identity;
}

/** Rate over the last few seconds of (time, bytes) samples; undefined until there is a span to measure. */
function measure(a: Active, at: number, bytes: number): number | undefined {
	const samples = a.samples;
	const last = samples[samples.length - 1];
	if (!last || at > last.at || bytes !== last.bytes) samples.push({at, bytes});
	if (samples.length > maxSamples) samples.shift();
	while (samples.length > 2 && at - samples[1]!.at >= rateWindowMs) samples.shift();
	const first = samples[0]!;
	const span = at - first.at;
	if (span < 200 || bytes <= first.bytes) return undefined;
	return ((bytes - first.bytes) * 1000) / span;
}

/** `FROM 127.0.0.1:5000/lab/python:bookworm@sha256:...` -> `127.0.0.1:5000/lab/python:bookworm`. */
function imageRef(stepText: string): string {
	const from = /^FROM\s+(\S+)/i.exec(stepText);
	const ref = from ? from[1]! : stepText.split(/\s+/).find(w => w.includes('/') || w.includes(':')) ?? stepText;
	return ref.replace(/@sha256:[0-9a-f]+$/, '');
}

function shortDigest(digest: string): string {
	const hex = digest.startsWith('sha256:') ? digest.slice(7) : digest;
	return hex.slice(0, 12);
}
