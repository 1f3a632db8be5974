// BuildKit's build records as buildx (>= 0.20) prints them: `docker buildx history ls --format json` (one object
// per line, snake_case) and `docker buildx history inspect --format json REF` (one indented object, PascalCase).
// Times stay as BuildKit wrote them (RFC 3339 with nanoseconds) and are also read as epoch ms; a field the record
// lacks (a Running build has no completion) is left out, never guessed.
import {jsonLineObjects} from './json-lines.js';
import {isSecretName, redacted} from './redact.js';

export type HistoryStatus = 'running' | 'completed' | 'error' | 'canceled' | 'unknown';

/** One line of `history ls --format json`. `ref` is `builder/node/id`. */
export type HistoryListEntry = {
	ref: string;
	builder: string;
	node: string;
	id: string;
	name: string;
	status: HistoryStatus;
	createdAt: string;
	createdAtMs: number;
	completedAt?: string;
	completedAtMs?: number;
	steps: {total: number; completed: number; cached: number};
};

/** `history inspect --format json`: the figures bxtop shows or reports, by buildx's own names where they exist. */
export type HistoryInspect = {
	name: string;
	/** the record id (without builder/node) */
	ref: string;
	status: HistoryStatus;
	context?: string;
	dockerfile?: string;
	target?: string;
	vcsRevision?: string;
	platforms: string[];
	startedAt?: string;
	startedAtMs?: number;
	completedAt?: string;
	completedAtMs?: number;
	/** BuildKit's own duration (ns in the JSON), in ms */
	durationMs?: number;
	steps: {total: number; completed: number; cached: number};
	/** values of secret-looking names are *** (buildArg) */
	buildArgs: {name: string; value: string}[];
	error?: string;
};

export function parseHistoryStatus(value: unknown): HistoryStatus {
	const s = typeof value === 'string' ? value.toLowerCase() : '';
	if (s === 'running' || s === 'completed' || s === 'error' || s === 'canceled') return s;
	if (s === 'cancelled') return 'canceled';
	if (s === 'failed') return 'error'; // `history inspect` says failed where `history ls` says Error
	return 'unknown';
}

/** `builder/node/id` -> its parts; a ref without slashes is an id alone. */
export function splitHistoryRef(ref: string): {builder: string; node: string; id: string} {
	const parts = ref.split('/');
	if (parts.length >= 3) return {builder: parts[0]!, node: parts[1]!, id: parts.slice(2).join('/')};
	return {builder: '', node: '', id: ref};
}

/** Lines of `docker buildx history ls --format json`; lines that are not records are skipped. */
export function parseHistoryList(text: string): HistoryListEntry[] {
	const entries: HistoryListEntry[] = [];
	for (const o of jsonLineObjects(text)) {
		const ref = o['ref'];
		const createdAt = o['created_at'];
		if (typeof ref !== 'string' || typeof createdAt !== 'string') continue;
		const entry: HistoryListEntry = {
			ref,
			...splitHistoryRef(ref),
			name: typeof o['name'] === 'string' ? o['name'] : '',
			status: parseHistoryStatus(o['status']),
			createdAt,
			createdAtMs: Date.parse(createdAt),
			steps: {total: count(o['total_steps']), completed: count(o['completed_steps']), cached: count(o['cached_steps'])},
		};
		const completedAt = o['completed_at'];
		if (typeof completedAt === 'string' && completedAt !== '' && !completedAt.startsWith('0001-')) {
			entry.completedAt = completedAt;
			entry.completedAtMs = Date.parse(completedAt);
		}
		entries.push(entry);
	}
	return entries;
}

/** `docker buildx history inspect --format json REF`. Throws with a clear message on text that is not one. */
export function parseHistoryInspect(text: string): HistoryInspect {
	let o: Record<string, unknown>;
	try {
		o = JSON.parse(text) as Record<string, unknown>;
	} catch (error) {
		throw new Error(`history inspect: not JSON (${(error as Error).message})`);
	}
	if (typeof o !== 'object' || o === null || typeof o['Ref'] !== 'string') throw new Error('history inspect: no Ref in the record');
	const inspect: HistoryInspect = {
		name: str(o['Name']) ?? '',
		ref: o['Ref'],
		status: parseHistoryStatus(o['Status']),
		platforms: Array.isArray(o['Platform']) ? (o['Platform'] as unknown[]).filter(p => typeof p === 'string') : [],
		steps: {total: count(o['NumTotalSteps']), completed: count(o['NumCompletedSteps']), cached: count(o['NumCachedSteps'])},
		buildArgs: Array.isArray(o['BuildArgs'])
			? (o['BuildArgs'] as Record<string, unknown>[]).filter(a => typeof a?.['Name'] === 'string').map(a => buildArg(a['Name'] as string, str(a['Value']) ?? ''))
			: [],
	};
	const optional = {context: str(o['Context']), dockerfile: str(o['Dockerfile']), target: str(o['Target']), vcsRevision: str(o['VCSRevision'])};
	for (const [key, value] of Object.entries(optional)) if (value) (inspect as Record<string, unknown>)[key] = value;
	const startedAt = str(o['StartedAt']);
	if (startedAt) Object.assign(inspect, {startedAt, startedAtMs: Date.parse(startedAt)});
	const completedAt = str(o['CompletedAt']);
	if (completedAt && !completedAt.startsWith('0001-')) Object.assign(inspect, {completedAt, completedAtMs: Date.parse(completedAt)});
	if (typeof o['Duration'] === 'number') inspect.durationMs = o['Duration'] / 1e6;
	const error = o['Error'];
	if (typeof error === 'string' && error) inspect.error = error;
	else if (typeof error === 'object' && error !== null && typeof (error as Record<string, unknown>)['Message'] === 'string') inspect.error = (error as Record<string, unknown>)['Message'] as string;
	return inspect;
}

/** A build arg of a record; the value of one whose name looks secret never leaves the parser. */
export function buildArg(name: string, value: string): {name: string; value: string} {
	return {name, value: isSecretName(name) ? redacted : value};
}

function count(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function str(value: unknown): string | undefined {
	return typeof value === 'string' ? value : undefined;
}

/** Whether an argument that is not a file looks like a history ref (`builder/node/id`, or a 25-character id). */
export function looksLikeHistoryRef(arg: string): boolean {
	return /^[a-z0-9]{20,32}$/.test(arg) || /^[\w.-]+\/[\w.-]+\/[a-z0-9]{20,32}$/.test(arg);
}
