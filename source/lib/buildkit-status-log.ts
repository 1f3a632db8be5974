// The status log BuildKit stores with a build record (media type application/vnd.buildkit.status.v0, a layer of a
// `.dockerbuild`): moby.buildkit.v1.StatusResponse messages, each after its length as a 4-byte little-endian
// integer. Decoded with protobufjs into the objects `docker buildx ... --progress=rawjson` prints for the same
// messages (RFC 3339 times, base64 bytes), so a stored log goes down the same path as a rawjson capture.
import protobuf from 'protobufjs';
import {rfc3339} from './proto-time.js';

// The messages of BuildKit's api/services/control/control.proto that a status log holds, with their field numbers.
// google.protobuf.Timestamp is declared locally (same wire form) so no import needs resolving.
const schema = `
syntax = "proto3";
package bxtop.status;
message Timestamp { int64 seconds = 1; int32 nanos = 2; }
message ProgressGroup { string id = 1; string name = 2; bool weak = 3; }
message Vertex {
	string digest = 1; repeated string inputs = 2; string name = 3; bool cached = 4;
	Timestamp started = 5; Timestamp completed = 6; string error = 7; ProgressGroup progressGroup = 8;
}
message VertexStatus {
	string ID = 1; string vertex = 2; string name = 3; int64 current = 4; int64 total = 5;
	Timestamp timestamp = 6; Timestamp started = 7; Timestamp completed = 8;
}
message VertexLog { string vertex = 1; Timestamp timestamp = 2; int64 stream = 3; bytes msg = 4; }
message VertexWarning { string vertex = 1; int64 level = 2; bytes short = 3; repeated bytes detail = 4; string url = 5; }
message StatusResponse {
	repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2; repeated VertexLog logs = 3; repeated VertexWarning warnings = 4;
}
`;

const StatusResponse = protobuf.parse(schema, {keepCase: true}).root.lookupType('bxtop.status.StatusResponse');

type Json = Record<string, unknown>;

export class StatusLogError extends Error {}

/** Every message of a stored status log, as rawjson objects. Throws StatusLogError on a cut or foreign blob. */
export function decodeStatusLog(bytes: Uint8Array): Json[] {
	const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const out: Json[] = [];
	let offset = 0;
	while (offset < view.length) {
		if (offset + 4 > view.length) throw new StatusLogError(`status log cut short at byte ${offset}`);
		const length = view.readUInt32LE(offset);
		offset += 4;
		if (offset + length > view.length) throw new StatusLogError(`status log message of ${length} bytes at byte ${offset - 4} runs past the end`);
		let message: Json;
		try {
			message = StatusResponse.toObject(StatusResponse.decode(view.subarray(offset, offset + length)), {longs: Number, bytes: String, defaults: false, arrays: false}) as Json;
		} catch (error) {
			throw new StatusLogError(`status log message at byte ${offset - 4} is not a BuildKit StatusResponse (${(error as Error).message})`);
		}
		offset += length;
		out.push(toRawjson(message));
	}
	return out;
}

/**
 * The stored log as the text `history logs --progress=rawjson` prints: one compact object per line, with Go's
 * escaping of <, >, & and the two line separators (they occur only inside strings, so the JSON means the same).
 */
export function statusLogToRawjson(bytes: Uint8Array): string {
	return decodeStatusLog(bytes)
		.map(o => `${JSON.stringify(o).replace(/[<>&\u2028\u2029]/g, c => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`)
		.join('');
}

/** Field names and value forms as buildx's JSON of client.SolveStatus (omitempty fields left out). */
function toRawjson(m: Json): Json {
	const out: Json = {};
	const vertexes = list(m['vertexes']).map(v => compact({
		digest: v['digest'] ?? '',
		inputs: nonEmpty(v['inputs']),
		name: v['name'],
		started: rfc3339(v['started']),
		completed: rfc3339(v['completed']),
		cached: v['cached'] || undefined,
		error: v['error'] || undefined,
		progressGroup: v['progressGroup'],
	}));
	const statuses = list(m['statuses']).map(s => compact({
		id: s['ID'] ?? '',
		vertex: s['vertex'] ?? '',
		name: s['name'],
		total: s['total'] || undefined,
		current: s['current'] ?? 0,
		timestamp: rfc3339(s['timestamp']) ?? '0001-01-01T00:00:00Z',
		started: rfc3339(s['started']),
		completed: rfc3339(s['completed']),
	}));
	const logs = list(m['logs']).map(l => compact({
		vertex: l['vertex'] ?? '',
		stream: l['stream'] ?? 0,
		data: l['msg'] ?? '',
		timestamp: rfc3339(l['timestamp']) ?? '0001-01-01T00:00:00Z',
	}));
	const warnings = list(m['warnings']).map(w => compact({
		vertex: w['vertex'] ?? '',
		level: w['level'] || undefined,
		short: w['short'],
		detail: nonEmpty(w['detail']),
		url: w['url'],
	}));
	if (vertexes.length > 0) out['vertexes'] = vertexes;
	if (statuses.length > 0) out['statuses'] = statuses;
	if (logs.length > 0) out['logs'] = logs;
	if (warnings.length > 0) out['warnings'] = warnings;
	return out;
}

function list(value: unknown): Json[] {
	return Array.isArray(value) ? (value.filter(v => typeof v === 'object' && v !== null) as Json[]) : [];
}

function nonEmpty(value: unknown): unknown[] | undefined {
	return Array.isArray(value) && value.length > 0 ? value : undefined;
}

function compact(o: Json): Json {
	for (const key of Object.keys(o)) if (o[key] === undefined || o[key] === '') delete o[key];
	return o;
}
