// Turns one parsed rawjson object into a normalised SolveStatus: only the fields bxtop uses, BuildKit's RFC 3339
// times as epoch ms (the one place they are parsed), base64 payloads (`logs[].data`, `warnings[].short`,
// `warnings[].detail[]`) decoded, secrets redacted. Odd input yields an empty status rather than an exception: a
// stream must keep flowing past one strange object.
import {StringDecoder} from 'node:string_decoder';
import type {SolveStatus, Vertex, VertexLog, VertexStatus, VertexWarning} from '../domain/events.js';
import {isWordChar, shapeRedactor, type Redactor} from './redact.js';
import {rfc3339Ms} from './proto-time.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/**
 * Stateful because BuildKit cuts log chunks anywhere: one UTF-8 decoder per vertex and stream (a character may be
 * split), and the unfinished word at the end of a chunk is held back until the next chunk of that stream or the
 * vertex's end, so a token split across two chunks is still seen whole by the redaction. What is held is the
 * redactor's call: the unfinished word, the start of a secret value it knows, an unfinished private key block.
 */
export class SolveStatusNormalizer {
	constructor(private readonly redactor: Redactor = shapeRedactor) {}

	/** UTF-8 decoders holding part of a character, by vertex, then stream (a nested map: a `${vertex}:${stream}` key
	 * would be built and hashed afresh for every chunk). */
	private decoders = new Map<string, Map<number, StringDecoder>>();
	/** Held words by vertex, then stream. */
	private held = new Map<string, Map<number, Held>>();
	/** Vertex names repeat with every re-send: each vertex's name is redacted once, and found again by its digest
	 * (names can be long RUN lines). */
	private names = new Map<string, {raw: string; safe: string}>();

	private vertexName(digest: string, raw: string): string {
		const known = this.names.get(digest);
		if (known !== undefined && known.raw === raw) return known.safe;
		const safe = this.redactor.text(raw);
		if (this.names.size > 4096) this.names.clear();
		this.names.set(digest, {raw, safe});
		return safe;
	}

	/** The normalised status, or undefined when `raw` is not a SolveStatus (none of its four lists). */
	statusOf(raw: unknown): SolveStatus | undefined {
		if (!isObject(raw)) return undefined;
		let rawVertexes: unknown;
		let rawStatuses: unknown;
		let rawLogs: unknown;
		let rawWarnings: unknown;
		let isStatus = false;
		for (const key in raw) {
			switch (key) {
				case 'vertexes':
					rawVertexes = raw[key];
					break;
				case 'statuses':
					rawStatuses = raw[key];
					break;
				case 'logs':
					rawLogs = raw[key];
					break;
				case 'warnings':
					rawWarnings = raw[key];
					break;
				default:
					continue; // not one of the four lists
			}
			isStatus = true;
		}
		if (!isStatus) return undefined;
		const vertexes = this.vertexesOf(rawVertexes);
		let logs: VertexLog[] | undefined;
		if (Array.isArray(rawLogs)) for (const l of rawLogs) if (isObject(l)) logs = this.addLog(l, logs);
		// a vertex that completed (or failed) writes no more: what was held for it is final
		if (this.held.size > 0 && vertexes) for (const v of vertexes) if (v.completed !== undefined || v.error) logs = this.release(logs, v.digest);
		// one shape for every status (absent lists undefined, which JSON.stringify leaves out)
		return {
			vertexes,
			statuses: statusesOf(rawStatuses),
			logs: logs && logs.length > 0 ? logs : undefined,
			warnings: collect(rawWarnings, raw => toWarning(raw, this.redactor)),
		};
	}

	// The two hot lists get their own loops (a shared generic one calls its converter through one polymorphic site).
	private vertexesOf(value: unknown): Vertex[] | undefined {
		if (!Array.isArray(value)) return undefined;
		let out: Vertex[] | undefined;
		for (const item of value) {
			if (typeof item !== 'object' || item === null) continue;
			const vertex = this.toVertex(item as Json);
			if (vertex !== undefined) (out ??= []).push(vertex);
		}
		return out;
	}

	// Fields are read with one for-in pass and a switch: JSON.parse gives objects of many shapes, and a named read
	// of each field (absent ones included) through V8's megamorphic cache costs twice as much.
	private toVertex(raw: Json): Vertex | undefined {
		let digest: string | undefined;
		let name: string | undefined;
		let inputs: string[] | undefined;
		let started: number | undefined;
		let completed: number | undefined;
		let cached: true | undefined;
		let error: string | undefined;
		for (const key in raw) {
			const value = raw[key];
			switch (key) {
				case 'digest':
					digest = str(value);
					break;
				case 'name':
					name = str(value);
					break;
				case 'inputs':
					inputs = stringList(value);
					break;
				case 'started':
					started = rfc3339Ms(value);
					break;
				case 'completed':
					completed = rfc3339Ms(value);
					break;
				case 'cached':
					cached = value === true ? true : undefined;
					break;
				case 'error':
					error = str(value) || undefined;
					break;
			}
		}
		if (!digest) return undefined;
		return {
			digest,
			name: this.vertexName(digest, name ?? '') || digest,
			inputs,
			started,
			completed,
			cached,
			error: error ? this.redactor.text(error) : undefined,
		};
	}


	private addLog(raw: Json, logs: VertexLog[] | undefined): VertexLog[] | undefined {
		const vertex = str(raw.vertex);
		const data = str(raw.data);
		if (!vertex || data === undefined) return logs;
		const stream = num(raw.stream);
		const streamKey = stream ?? 1;
		const decoded = this.decode(vertex, streamKey, data);
		// The held word was complete if this chunk does not continue it: it goes out on its own, with its own time
		// (an unfinished key block or known value is joined to whatever comes next).
		// (size checks first: both maps are mostly empty, and a lookup would hash the fresh vertex string for nothing)
		let previous = this.held.size > 0 ? this.held.get(vertex)?.get(streamKey) : undefined;
		if (previous && !(decoded.length > 0 && isWordChar(decoded, 0)) && !this.redactor.isOpen(previous.text)) {
			logs = this.release(logs, vertex, streamKey);
			previous = undefined;
		}
		let text = (previous?.text ?? '') + decoded;
		const timestamp = rfc3339Ms(raw.timestamp);
		const tailStart = this.redactor.holdFrom(text);
		if (tailStart < text.length) {
			const hold: Held = {vertex, text: text.slice(tailStart)};
			if (stream !== undefined) hold.stream = stream;
			if (timestamp !== undefined) hold.timestamp = timestamp;
			let streams = this.held.get(vertex);
			if (!streams) this.held.set(vertex, (streams = new Map()));
			streams.set(streamKey, hold);
			text = text.slice(0, tailStart);
		} else if (previous) this.forget(vertex, streamKey);
		if (text === '') return logs;
		(logs ??= []).push({vertex, stream, text: this.redactor.text(text), timestamp});
		return logs;
	}

	/**
	 * Base64 to text. atob costs a fraction of a Buffer for the short chunks BuildKit sends, and its result is already
	 * the text when every byte is ASCII and no character of this stream is pending from its previous chunk. Otherwise
	 * a UTF-8 decoder, kept only while it holds part of a character.
	 */
	private decode(vertex: string, stream: number, data: string): string {
		const decoders = this.decoders.size > 0 ? this.decoders.get(vertex) : undefined;
		let decoder = decoders?.get(stream);
		if (decoder === undefined) {
			const binary = atobOrUndefined(data);
			if (binary !== undefined && !nonAscii.test(binary)) return binary;
			decoder = new StringDecoder('utf8');
		}
		const bytes = Buffer.from(data, 'base64');
		const text = decoder.write(bytes);
		if (endsMidCharacter(bytes)) {
			if (decoders) decoders.set(stream, decoder);
			else this.decoders.set(vertex, new Map([[stream, decoder]]));
		} else if (decoders?.delete(stream) && decoders.size === 0) this.decoders.delete(vertex);
		return text;
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
			(logs ??= []).push({vertex: hold.vertex, stream: hold.stream, text: this.redactor.text(hold.text), timestamp: hold.timestamp});
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

type Held = {vertex: string; stream?: number; text: string; timestamp?: number};

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

/** The array itself when it holds only strings (the usual case: no copy), a filtered copy otherwise. */
function stringList(value: unknown): string[] | undefined {
	if (!Array.isArray(value) || value.length === 0) return undefined;
	for (const item of value) if (typeof item !== 'string') return value.filter((i): i is string => typeof i === 'string');
	return value as string[];
}

function statusesOf(value: unknown): VertexStatus[] | undefined {
	if (!Array.isArray(value)) return undefined;
	let out: VertexStatus[] | undefined;
	for (const item of value) {
		if (typeof item !== 'object' || item === null) continue;
		const status = toStatus(item as Json);
		if (status !== undefined) (out ??= []).push(status);
	}
	return out;
}

function toStatus(raw: Json): VertexStatus | undefined {
	const status: VertexStatus = {id: '', vertex: '', name: undefined, current: undefined, total: undefined, timestamp: undefined, started: undefined, completed: undefined};
	for (const key in raw) {
		const value = raw[key];
		switch (key) {
			case 'id':
				status.id = str(value) ?? '';
				break;
			case 'vertex':
				status.vertex = str(value) ?? '';
				break;
			case 'name':
				status.name = str(value) || undefined;
				break;
			case 'current':
				status.current = num(value);
				break;
			case 'total':
				status.total = num(value);
				break;
			case 'timestamp':
				status.timestamp = rfc3339Ms(value);
				break;
			case 'started':
				status.started = rfc3339Ms(value);
				break;
			case 'completed':
				status.completed = rfc3339Ms(value);
				break;
		}
	}
	return status.id && status.vertex ? status : undefined;
}

function toWarning(raw: Json, redactor: Redactor): VertexWarning | undefined {
	const vertex = str(raw.vertex) ?? '';
	const short = decode64(str(raw.short));
	if (!short) return undefined;
	const warning: VertexWarning = {vertex, short: redactor.text(short)};
	const level = num(raw.level);
	if (level !== undefined) warning.level = level;
	const detail = list(raw.detail).map(d => decode64(str(d))).filter((d): d is string => !!d);
	if (detail.length > 0) warning.detail = detail.map(redactor.text);
	const url = str(raw.url);
	if (url) warning.url = redactor.text(url);
	return warning;
}

const nonAscii = /[^\x00-\x7f]/;

/** Whether `bytes` ends inside a UTF-8 character: its last lead byte announces more bytes than follow it. Trailing
 * continuation bytes with no lead byte in reach count as inside (keeping a decoder is always correct). */
function endsMidCharacter(bytes: Buffer): boolean {
	for (let i = bytes.length - 1, seen = 1; i >= 0 && seen <= 4; i--, seen++) {
		const byte = bytes[i]!;
		if ((byte & 0xc0) !== 0x80) return (byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1) > seen;
	}
	return bytes.length > 0;
}

/** atob, or undefined where it throws (characters outside base64; Buffer decodes those leniently). */
function atobOrUndefined(data: string): string | undefined {
	try {
		return atob(data);
	} catch {
		return undefined;
	}
}

function decode64(value: string | undefined): string | undefined {
	return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}
