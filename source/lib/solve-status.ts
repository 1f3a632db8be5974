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

/** Characters a token can hold: a run of them at the end of a chunk may be the first half of a secret. */
const wordChar = /[A-Za-z0-9_\-.:/+=@]/;
const maxHeldChars = 512;

/** Where the run of word characters at the end of `text` starts (text.length when there is none). A backward scan:
 * an end-anchored regex would try every position of a long chunk. */
function trailingWordStart(text: string): number {
	let i = text.length;
	const stop = Math.max(0, text.length - maxHeldChars);
	while (i > stop && wordChar.test(text[i - 1]!)) i--;
	return i;
}

/**
 * Stateful because BuildKit cuts log chunks anywhere: one UTF-8 decoder per vertex and stream (a character may be
 * split), and the unfinished word at the end of a chunk is held back until the next chunk of that stream or the
 * vertex's end, so a token split across two chunks is still seen whole by the redaction.
 */
export class SolveStatusNormalizer {
	private decoders = new Map<string, StringDecoder>();
	/** Held words by vertex, then stream. */
	private held = new Map<string, Map<number, Held>>();
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
		let logs: VertexLog[] | undefined;
		if (Array.isArray(raw.logs)) for (const l of raw.logs) if (isObject(l)) logs = this.addLog(l, logs);
		// a vertex that completed (or failed) writes no more: what was held for it is final
		if (this.held.size > 0) for (const v of vertexes ?? []) if (v.completed || v.error) logs = this.release(logs, v.digest);
		if (logs && logs.length > 0) status.logs = logs;
		const warnings = collect(raw.warnings, toWarning);
		if (warnings) status.warnings = warnings;
		return status;
	}

	private addLog(raw: Json, logs: VertexLog[] | undefined): VertexLog[] | undefined {
		const vertex = str(raw.vertex);
		const data = str(raw.data);
		if (!vertex || data === undefined) return logs;
		const stream = num(raw.stream);
		const streamKey = stream ?? 1;
		const key = `${vertex}:${streamKey}`;
		let decoder = this.decoders.get(key);
		if (!decoder) {
			decoder = new StringDecoder('utf8');
			this.decoders.set(key, decoder);
		}
		const decoded = decoder.write(Buffer.from(data, 'base64'));
		// The held word was complete if this chunk does not continue it: it goes out on its own, with its own time.
		let previous = this.held.get(vertex)?.get(streamKey);
		if (previous && !(decoded.length > 0 && wordChar.test(decoded[0]!))) {
			logs = this.release(logs, vertex, streamKey);
			previous = undefined;
		}
		let text = (previous?.text ?? '') + decoded;
		const timestamp = str(raw.timestamp);
		const tailStart = trailingWordStart(text);
		if (tailStart < text.length) {
			const hold: Held = {vertex, text: text.slice(tailStart)};
			if (stream !== undefined) hold.stream = stream;
			if (timestamp) hold.timestamp = timestamp;
			let streams = this.held.get(vertex);
			if (!streams) this.held.set(vertex, (streams = new Map()));
			streams.set(streamKey, hold);
			text = text.slice(0, tailStart);
		} else if (previous) this.forget(vertex, streamKey);
		if (text === '') return logs;
		const log: VertexLog = {vertex, text: redactText(text)};
		if (stream !== undefined) log.stream = stream;
		if (timestamp) log.timestamp = timestamp;
		(logs ??= []).push(log);
		return logs;
	}

	private forget(vertex: string, stream: number): void {
		const streams = this.held.get(vertex);
		streams?.delete(stream);
		if (streams?.size === 0) this.held.delete(vertex);
	}

	/** Appends the held text of a vertex (one stream, or all) to `logs` and forgets it. */
	private release(logs: VertexLog[] | undefined, vertex: string, stream?: number): VertexLog[] | undefined {
		const streams = this.held.get(vertex);
		if (!streams) return logs;
		for (const [key, hold] of [...streams]) {
			if (stream !== undefined && key !== stream) continue;
			this.forget(vertex, key);
			const log: VertexLog = {vertex: hold.vertex, text: redactText(hold.text)};
			if (hold.stream !== undefined) log.stream = hold.stream;
			if (hold.timestamp) log.timestamp = hold.timestamp;
			(logs ??= []).push(log);
		}
		return logs;
	}

	/** End of the stream: every held text, as a final status (undefined when nothing is held). */
	flush(): SolveStatus | undefined {
		let logs: VertexLog[] | undefined;
		for (const vertex of [...this.held.keys()]) logs = this.release(logs, vertex);
		return logs ? {logs} : undefined;
	}
}

type Held = {vertex: string; stream?: number; text: string; timestamp?: string};

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
