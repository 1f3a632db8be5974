// BuildKit's build record of one build: the one form every path carries it in (the `build/record-updated` event).
// `bxtop attach` reads it from the ListenBuildHistory stream while the build runs (gRPC wire form, below), then from
// `docker buildx history inspect --format json` (the figures users compare with); a replayed history ref from
// `history inspect`, a `.dockerbuild` from the record it holds. Pure: no I/O, never throws on odd input.
import {parseHistoryInspect, type HistoryInspect, type HistoryStatus} from './history-records.js';
import {rfc3339Ms} from './proto-time.js';
import type {BuildkitRecord, RecordOrigin, RecordStatus} from '../domain/buildkit-record.js';

/** The record as the `--json` summary and the report carry it (`buildkitRecord`), by buildx's own names where
 * `history inspect --format json` has them. */
export type BuildkitRecordSummary = {
	origin: RecordOrigin;
	ref: string;
	builder?: string;
	node?: string;
	name: string;
	status: RecordStatus;
	start?: string;
	end?: string;
	durationMs?: number;
	NumTotalSteps: number;
	NumCompletedSteps: number;
	NumCachedSteps: number;
	frontend?: string;
	target?: string;
	error?: string;
};

// ---- the wire form (proto/buildkit/control.proto, decoded by proto-loader: keepCase, enums as strings) ----

export type WireTimestamp = {seconds?: number; nanos?: number};

export type WireHistoryRecord = {
	Ref?: string;
	Frontend?: string;
	FrontendAttrs?: Record<string, string>;
	error?: {code?: number; message?: string};
	CreatedAt?: WireTimestamp;
	CompletedAt?: WireTimestamp;
	numCachedSteps?: number;
	numTotalSteps?: number;
	numCompletedSteps?: number;
	numWarnings?: number;
};

/** STARTED is enum value 0, which proto3 leaves off the wire: an event without a type is a start. */
export type WireHistoryEvent = {type?: 'STARTED' | 'COMPLETE' | 'DELETED'; record?: WireHistoryRecord};

/** gRPC's code for a cancelled call: how BuildKit marks a build its client cancelled. */
const grpcCancelled = 1;

export function recordFromWire(wire: WireHistoryRecord, where: {builder: string; node: string}): BuildkitRecord | undefined {
	const id = wire.Ref;
	if (typeof id !== 'string' || id === '') return undefined;
	const attrs = wire.FrontendAttrs ?? {};
	const completedAt = isoOf(wire.CompletedAt);
	const errorCode = wire.error?.code;
	const hasError = wire.error !== undefined && (errorCode !== undefined || Boolean(wire.error.message));
	const status: RecordStatus = completedAt === undefined ? 'running' : !hasError ? 'completed' : errorCode === grpcCancelled ? 'canceled' : 'failed';
	const record: BuildkitRecord = {
		ref: `${where.builder}/${where.node}/${id}`,
		id,
		builder: where.builder,
		node: where.node,
		// no name in the attributes: the record id, as buildx's own UIs show such a build, until inspect answers
		name: nameFromAttrs(attrs) || id.slice(0, 12),
		status,
		platforms: splitList(attrs['platform']),
		steps: {total: count(wire.numTotalSteps), completed: count(wire.numCompletedSteps), cached: count(wire.numCachedSteps)},
		origin: 'listen',
	};
	if (wire.Frontend) record.frontend = wire.Frontend;
	if (attrs['target']) record.target = attrs['target'];
	const startedAt = isoOf(wire.CreatedAt);
	if (startedAt) record.startedAt = startedAt;
	if (completedAt) record.completedAt = completedAt;
	if (hasError && wire.error?.message) record.error = wire.error.message;
	return record;
}

/**
 * The same record with what `history inspect --format json` (its text) says of it: buildx's own name and figures.
 * Throws on text that is not such a record.
 */
export function withInspect(record: BuildkitRecord, inspectText: string): BuildkitRecord {
	const inspect = parseHistoryInspect(inspectText);
	const status = recordStatus(inspect.status);
	const next: BuildkitRecord = {...record, status: status === 'unknown' ? record.status : status, steps: inspect.steps, origin: 'history'};
	if (inspect.name) next.name = inspect.name;
	if (inspect.target) next.target = inspect.target;
	if (inspect.platforms.length > 0) next.platforms = inspect.platforms;
	if (inspect.startedAt) next.startedAt = inspect.startedAt;
	if (inspect.completedAt) next.completedAt = inspect.completedAt;
	if (inspect.durationMs !== undefined) next.durationMs = inspect.durationMs;
	if (inspect.error) next.error = inspect.error;
	return next;
}

/** A record read whole from `history inspect` (a replayed ref) or from a `.dockerbuild`: no stream before it. */
export function recordFromInspect(inspect: HistoryInspect, where: {ref: string; origin: 'history' | 'dockerbuild'; builder?: string}): BuildkitRecord {
	const record: BuildkitRecord = {ref: where.ref, id: inspect.ref, name: inspect.name, status: recordStatus(inspect.status), platforms: inspect.platforms, steps: inspect.steps, origin: where.origin};
	if (where.builder) record.builder = where.builder;
	if (inspect.target) record.target = inspect.target;
	if (inspect.startedAt) record.startedAt = inspect.startedAt;
	if (inspect.completedAt) record.completedAt = inspect.completedAt;
	if (inspect.durationMs !== undefined) record.durationMs = inspect.durationMs;
	if (inspect.error) record.error = inspect.error;
	return record;
}

/** The summary's and the report's form of a record. */
export function summarizeRecord(record: BuildkitRecord): BuildkitRecordSummary {
	const out: BuildkitRecordSummary = {
		origin: record.origin,
		ref: record.ref,
		name: record.name,
		status: record.status,
		NumTotalSteps: record.steps.total,
		NumCompletedSteps: record.steps.completed,
		NumCachedSteps: record.steps.cached,
	};
	if (record.builder) out.builder = record.builder;
	if (record.node) out.node = record.node;
	if (record.startedAt) out.start = record.startedAt;
	if (record.completedAt) out.end = record.completedAt;
	const startMs = record.startedAt ? rfc3339Ms(record.startedAt) : undefined;
	const endMs = record.completedAt ? rfc3339Ms(record.completedAt) : undefined;
	const durationMs = record.durationMs ?? (startMs !== undefined && endMs !== undefined ? endMs - startMs : undefined);
	if (durationMs !== undefined) out.durationMs = durationMs;
	if (record.frontend) out.frontend = record.frontend;
	if (record.target) out.target = record.target;
	if (record.error) out.error = record.error;
	return out;
}

/** The shared parser speaks `history ls`'s words (Error); the record speaks inspect's (failed). */
function recordStatus(status: HistoryStatus): RecordStatus {
	return status === 'error' ? 'failed' : status;
}

/**
 * A name before `history inspect` answers: BUILDKIT_BUILD_NAME, else the target and the context or Dockerfile
 * folder the frontend attributes carry ('' when they carry none). buildx also reads its local state (the context path of builds started on
 * this machine), which a foreign build may not have here, so inspect's name replaces this one.
 */
export function nameFromAttrs(attrs: Record<string, string>): string {
	const explicit = attrs['build-arg:BUILDKIT_BUILD_NAME'];
	if (explicit) return explicit;
	const folder = attrs['context'] ?? attrs['vcs:localdir:context'] ?? attrs['vcs:localdir:dockerfile'];
	const base = folder && folder !== '.' ? folder.replace(/\/+$/, '').split('/').pop()! : '';
	const target = attrs['target'];
	if (base && target) return `${base} (${target})`;
	return base || target || '';
}

/** BuildKit's timestamp as Go's RFC 3339 with nanoseconds, trailing zeros dropped: the very string rawjson and
 * `history ls` / `history inspect` print for it. */
export function isoOf(ts: WireTimestamp | undefined): string | undefined {
	if (!ts || ts.seconds === undefined || ts.seconds <= 0) return undefined;
	const whole = new Date(ts.seconds * 1000).toISOString().slice(0, 19);
	const fraction = String(ts.nanos ?? 0).padStart(9, '0').replace(/0+$/, '');
	return fraction ? `${whole}.${fraction}Z` : `${whole}Z`;
}

function splitList(value: string | undefined): string[] {
	return value ? value.split(',').map(p => p.trim()).filter(Boolean) : [];
}

function count(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
