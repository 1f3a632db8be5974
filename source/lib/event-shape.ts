// The edge check of a recorded event: a recording is a file users keep, share and sometimes cut by hand, so before
// an event reaches the reducers (which trust their input and throw on what they cannot use) this says whether it
// has the fields they read. Live sources build their events in code; raw captures pass the SolveStatus normaliser.
import type {DomainEvent, SolveStatus} from '../domain/events.js';
import {rfc3339Ms} from './proto-time.js';

type Kind = 'string' | 'string?' | 'object' | 'array';

/** The fields each event type's reducers read, by kind. Every event type has an entry (checked by `satisfies`). */
const fieldsByType = {
	'session/started': {info: 'object'},
	'session/info-updated': {info: 'object'},
	'session/warned': {message: 'string'},
	'session/ended': {reason: 'string'},
	'build/queued': {spec: 'object'},
	'build/started': {buildId: 'string'},
	'build/status-received': {buildId: 'string', status: 'object'},
	'build/text-received': {buildId: 'string', line: 'string'},
	'build/parse-failed': {buildId: 'string', message: 'string', snippet: 'string'},
	'build/record-updated': {buildId: 'string', record: 'object'},
	'build/exited': {buildId: 'string'},
	'builder/inspected': {builder: 'object', targets: 'array'},
	'builder/inspect-failed': {message: 'string'},
	'stats/sampled': {sample: 'object'},
	'stats/unavailable': {node: 'string', message: 'string'},
	'host/sampled': {host: 'object'},
	'sampling/stopped': {},
	'cache/measured': {builder: 'string', usage: 'object'},
	'cache/measure-failed': {builder: 'string', message: 'string'},
	'prune/started': {pruneId: 'string', builder: 'string', argv: 'array'},
	'prune/progressed': {pruneId: 'string'},
	'prune/finished': {pruneId: 'string'},
	'prune/failed': {pruneId: 'string', message: 'string'},
	'image/measured': {buildId: 'string', platform: 'string'},
	'image/not-measured': {buildId: 'string', platform: 'string?', reason: 'string'},
	'download/started': {buildId: 'string', platform: 'string', downloadId: 'string', package: 'string'},
	'download/progressed': {buildId: 'string', platform: 'string', downloadId: 'string'},
	'download/finished': {buildId: 'string', platform: 'string', downloadId: 'string', package: 'string'},
	'download/failed': {buildId: 'string', platform: 'string', downloadId: 'string', package: 'string'},
	'download/cache-hit': {buildId: 'string', platform: 'string', downloadId: 'string', package: 'string'},
} satisfies Record<DomainEvent['type'], Record<string, Kind>>;

/**
 * How a recording wrote BuildKit's times in statuses: epoch ms (format 2), or RFC 3339 strings (format 1, read into
 * ms here so that nothing past the edge parses a status time).
 */
export type StatusTimes = 'ms' | 'rfc3339';

/**
 * The event; or why the reducers cannot take it; or undefined for a type this bxtop does not know (a newer bxtop
 * wrote it: skipped quietly, as an older reader skips what it has no use for).
 */
export function checkEvent(value: unknown, times: StatusTimes = 'ms'): DomainEvent | string | undefined {
	if (!isObject(value) || typeof value['type'] !== 'string') return 'not an event';
	const type = value['type'];
	if (!Number.isFinite(value['at'])) return `${type} without a time`;
	const fields = (fieldsByType as Record<string, Record<string, Kind>>)[type];
	if (!fields) return undefined;
	for (const [name, kind] of Object.entries(fields)) {
		if (!hasKind(value[name], kind)) return `${type} without ${kind === 'array' ? 'a list' : kind === 'object' ? 'an object' : 'a text'} ${name}`;
	}
	const problem = nestedProblem(type, value, times);
	if (problem) return problem;
	if (times === 'rfc3339' && type === 'build/status-received') return {...value, status: statusInMs(value['status'] as Record<string, unknown>)} as DomainEvent;
	return value as DomainEvent;
}

/** The nested parts the reducers, selectors and the report walk into. */
function nestedProblem(type: string, value: Record<string, unknown>, times: StatusTimes): string | undefined {
	const object = (name: string) => value[name] as Record<string, unknown>;
	switch (type) {
		case 'build/queued':
			return specProblem(object('spec'));
		case 'build/status-received':
			return statusProblem(object('status'), times);
		case 'build/record-updated': {
			const record = object('record');
			const steps = record['steps'];
			const counts = isObject(steps) && ['total', 'completed', 'cached'].every(k => typeof steps[k] === 'number');
			return typeof record['ref'] === 'string' && counts && isStrings(record['platforms']) ? undefined : 'build/record-updated: a record without ref, steps or platforms';
		}
		case 'builder/inspected': {
			const nodes = object('builder')['nodes'];
			if (!Array.isArray(nodes) || !nodes.every(n => isObject(n) && typeof n['name'] === 'string' && isStrings(n['platforms']))) return 'builder/inspected: a builder without its node list';
			const targets = value['targets'] as unknown[];
			return targets.every(t => isObject(t) && typeof t['node'] === 'string') ? undefined : 'builder/inspected: a target without its node';
		}
		case 'cache/measured':
			const largest = object('usage')['largest'];
			return Array.isArray(largest) && largest.every(isObject) ? undefined : 'cache/measured: a usage without its largest records';
		default:
			return undefined;
	}
}

function specProblem(spec: Record<string, unknown>): string | undefined {
	if (typeof spec['buildId'] !== 'string' || typeof spec['target'] !== 'string') return 'build/queued: a spec without buildId or target';
	if (!isStrings(spec['platforms']) || !isStrings(spec['tags'])) return 'build/queued: a spec without platform and tag lists';
	return undefined;
}

/** A recorded SolveStatus: the normaliser's output (text already decoded), four optional lists. */
function statusProblem(status: Record<string, unknown>, times: StatusTimes): string | undefined {
	const isTimes = times === 'ms' ? areMs : areStrings;
	const lists: [string, (item: Record<string, unknown>) => boolean][] = [
		[
			'vertexes',
			v =>
				typeof v['digest'] === 'string' &&
				typeof v['name'] === 'string' &&
				(v['inputs'] === undefined || isStrings(v['inputs'])) &&
				isTimes(v, 'started', 'completed'),
		],
		['statuses', s => typeof s['id'] === 'string' && typeof s['vertex'] === 'string' && isTimes(s, 'timestamp', 'started', 'completed')],
		['logs', l => typeof l['vertex'] === 'string' && typeof l['text'] === 'string' && isTimes(l, 'timestamp')],
		['warnings', w => typeof w['vertex'] === 'string' && typeof w['short'] === 'string'],
	];
	for (const [key, isValid] of lists) {
		const list = status[key];
		if (list === undefined) continue;
		if (!Array.isArray(list) || !list.every(item => isObject(item) && isValid(item))) return `build/status-received: a status whose ${key} are not BuildKit's`;
	}
	return undefined;
}

function hasKind(value: unknown, kind: Kind): boolean {
	switch (kind) {
		case 'string':
			return typeof value === 'string';
		case 'string?':
			return value === undefined || typeof value === 'string';
		case 'object':
			return isObject(value);
		case 'array':
			return Array.isArray(value);
	}
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Format 2: BuildKit's times are epoch ms, absent or a finite number. */
function areMs(item: Record<string, unknown>, ...names: string[]): boolean {
	return names.every(name => item[name] === undefined || Number.isFinite(item[name]));
}

/** Format 1: they were RFC 3339 text, absent or a string. */
function areStrings(item: Record<string, unknown>, ...names: string[]): boolean {
	return names.every(name => item[name] === undefined || typeof item[name] === 'string');
}

/** A format-1 status (checked: its times are strings or absent) with its times in epoch ms; one that does not
 * parse is left out, as the reducer of format 1 ignored it. */
function statusInMs(status: Record<string, unknown>): SolveStatus {
	const inMs = (items: unknown, names: string[]) =>
		(items as Record<string, unknown>[] | undefined)?.map(item => {
			const next: Record<string, unknown> = {...item};
			for (const name of names) {
				if (next[name] === undefined) continue;
				const ms = rfc3339Ms(next[name]);
				if (ms === undefined) delete next[name];
				else next[name] = ms;
			}
			return next;
		});
	const next: Record<string, unknown> = {...status};
	if (status['vertexes'] !== undefined) next['vertexes'] = inMs(status['vertexes'], ['started', 'completed']);
	if (status['statuses'] !== undefined) next['statuses'] = inMs(status['statuses'], ['timestamp', 'started', 'completed']);
	if (status['logs'] !== undefined) next['logs'] = inMs(status['logs'], ['timestamp']);
	return next as SolveStatus;
}

function isStrings(value: unknown): boolean {
	return Array.isArray(value) && value.every(v => typeof v === 'string');
}
