// Turns one parsed rawjson object into a normalised SolveStatus: only the fields bxtop uses, base64 payloads
// (`logs[].data`, `warnings[].short`, `warnings[].detail[]`) decoded, secrets redacted. Odd input yields an empty
// status rather than an exception: a stream must keep flowing past one strange object.
import {StringDecoder} from 'node:string_decoder';
import type {SolveStatus, Vertex, VertexLog, VertexStatus, VertexWarning} from '../state/events.js';
import {redactText} from './redact.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function isSolveStatus(value: unknown): boolean {
	return isObject(value) && ('vertexes' in value || 'statuses' in value || 'logs' in value || 'warnings' in value);
}

/** Stateful because log chunks can split a multi-byte UTF-8 character: one decoder per vertex and stream. */
export class SolveStatusNormalizer {
	private decoders = new Map<string, StringDecoder>();
	/** Vertex names repeat with every re-send: redact each distinct name once. */
	private names = new Map<string, string>();

	private vertexName(raw: string): string {
		let name = this.names.get(raw);
		if (name === undefined) {
			name = redactText(raw);
			if (this.names.size > 4096) this.names.clear();
			this.names.set(raw, name);
		}
		return name;
	}

	normalize(raw: unknown): SolveStatus {
		if (!isObject(raw)) return {};
		const status: SolveStatus = {};
		const vertexes = collect(raw.vertexes, v => toVertex(v, this.vertexName(str(v.name) ?? '')));
		if (vertexes) status.vertexes = vertexes;
		const statuses = collect(raw.statuses, toStatus);
		if (statuses) status.statuses = statuses;
		const logs = collect(raw.logs, l => this.toLog(l));
		if (logs) status.logs = logs;
		const warnings = collect(raw.warnings, toWarning);
		if (warnings) status.warnings = warnings;
		return status;
	}

	private toLog(raw: Json): VertexLog | undefined {
		const vertex = str(raw.vertex);
		const data = str(raw.data);
		if (!vertex || data === undefined) return undefined;
		const stream = num(raw.stream);
		const key = `${vertex}:${stream ?? 1}`;
		let decoder = this.decoders.get(key);
		if (!decoder) {
			decoder = new StringDecoder('utf8');
			this.decoders.set(key, decoder);
		}
		const log: VertexLog = {vertex, text: redactText(decoder.write(Buffer.from(data, 'base64')))};
		if (stream !== undefined) log.stream = stream;
		const timestamp = str(raw.timestamp);
		if (timestamp) log.timestamp = timestamp;
		return log;
	}
}

/** Converts each object element of `value` (if it is an array); undefined when none converts. */
function collect<T>(value: unknown, convert: (raw: Json) => T | undefined): T[] | undefined {
	if (!Array.isArray(value)) return undefined;
	let out: T[] | undefined;
	for (const item of value) {
		if (!isObject(item)) continue;
		const converted = convert(item);
		if (converted !== undefined) (out ??= []).push(converted);
	}
	return out;
}

function toVertex(raw: Json, name: string): Vertex | undefined {
	const digest = str(raw.digest);
	if (!digest) return undefined;
	const vertex: Vertex = {digest, name: name || digest};
	const inputs = list(raw.inputs).filter((i): i is string => typeof i === 'string');
	if (inputs.length > 0) vertex.inputs = inputs;
	const started = str(raw.started);
	if (started) vertex.started = started;
	const completed = str(raw.completed);
	if (completed) vertex.completed = completed;
	if (raw.cached === true) vertex.cached = true;
	const error = str(raw.error);
	if (error) vertex.error = redactText(error);
	return vertex;
}

function toStatus(raw: Json): VertexStatus | undefined {
	const id = str(raw.id);
	const vertex = str(raw.vertex);
	if (!id || !vertex) return undefined;
	const status: VertexStatus = {id, vertex};
	const name = str(raw.name);
	if (name) status.name = name;
	const current = num(raw.current);
	if (current !== undefined) status.current = current;
	const total = num(raw.total);
	if (total !== undefined) status.total = total;
	for (const key of ['timestamp', 'started', 'completed'] as const) {
		const value = str(raw[key]);
		if (value) status[key] = value;
	}
	return status;
}

function toWarning(raw: Json): VertexWarning | undefined {
	const vertex = str(raw.vertex) ?? '';
	const short = decode64(str(raw.short));
	if (!short) return undefined;
	const warning: VertexWarning = {vertex, short: redactText(short)};
	const level = num(raw.level);
	if (level !== undefined) warning.level = level;
	const detail = list(raw.detail).map(d => decode64(str(d))).filter((d): d is string => !!d);
	if (detail.length > 0) warning.detail = detail.map(redactText);
	const url = str(raw.url);
	if (url) warning.url = url;
	return warning;
}

function decode64(value: string | undefined): string | undefined {
	return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}
