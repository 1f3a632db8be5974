// Streams a recording (plain or .gz) line by line: the header, then events, then where and why reading stopped
// early if the file is damaged. Never holds the whole file; never throws for damage after a valid header.
import {createReadStream} from 'node:fs';
import {createGunzip} from 'node:zlib';
import {createInterface} from 'node:readline';
import type {Readable} from 'node:stream';
import type {DomainEvent} from '../domain/events.js';
import {isRecordingHeader, recordingVersion, type RecordingHeader} from './format.js';
import {checkEvent} from '../lib/event-shape.js';

export class RecordingError extends Error {}

export type Damage = {line: number; reason: string};

export type RecordingContents = {
	header: RecordingHeader;
	events: AsyncIterable<DomainEvent>;
	/** Set once `events` is exhausted: the first damaged line, if any. Lines after damage are still read. */
	damage: () => Damage[];
	/** Closes the file early (only the header was wanted). */
	close: () => void;
};

function openLines(file: string): {lines: AsyncIterable<string>; source: Readable} {
	const raw = createReadStream(file);
	const source = isGzipName(file) ? raw.pipe(createGunzip()) : raw;
	raw.on('error', error => source.destroy(error));
	return {lines: createInterface({input: source, crlfDelay: Infinity}), source};
}

export function isGzipName(file: string): boolean {
	return file.endsWith('.gz');
}

/**
 * Opens a recording. Throws RecordingError (a clear message) when the file is empty, not a recording, or of a
 * future version; damage later in the file is reported through damage() and the readable part still plays.
 */
export async function openRecording(file: string): Promise<RecordingContents> {
	const {lines, source} = openLines(file);
	const fail: (message: string) => never = message => {
		source.destroy(); // not a recording we will read: let the file go now
		throw new RecordingError(message);
	};
	const iterator = lines[Symbol.asyncIterator]();
	let first: IteratorResult<string>;
	try {
		first = await iterator.next();
	} catch (error) {
		fail(`${file}: cannot read: ${(error as Error).message}`);
	}
	if (first.done || first.value.trim() === '') fail(`${file}: empty file, not a bxtop recording`);
	let header: unknown;
	try {
		header = JSON.parse(first.value);
	} catch {
		fail(`${file}: line 1 is not JSON: not a bxtop recording`);
	}
	if (!isRecordingHeader(header)) fail(`${file}: line 1 is not a bxtop recording header`);
	if (typeof header.version !== 'number' || header.version > recordingVersion) {
		fail(
			`${file}: recording format version ${String(header.version)} is newer than this bxtop reads (${recordingVersion}); upgrade bxtop`,
		);
	}

	const damage: Damage[] = [];
	async function* events(): AsyncGenerator<DomainEvent> {
		let lineNumber = 1;
		try {
			for (;;) {
				const next = await iterator.next();
				if (next.done) break;
				lineNumber++;
				const text = next.value;
				if (text.trim() === '') continue;
				const event = parseEventLine(text, (header as RecordingHeader).version);
				if (typeof event === 'string') damage.push({line: lineNumber, reason: event});
				else if (event) yield event;
			}
		} catch (error) {
			damage.push({line: lineNumber + 1, reason: `file ends abruptly (${(error as Error).message})`});
		}
	}
	return {header: header as RecordingHeader, events: events(), damage: () => damage, close: () => source.destroy()};
}

/**
 * One event line, or why it is not one; undefined for an event of a type this bxtop does not know. `version` is the
 * recording's: version 1 kept BuildKit's times as RFC 3339 strings, which are read into epoch ms here.
 */
export function parseEventLine(text: string, version: number = recordingVersion): DomainEvent | string | undefined {
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		return text.startsWith('{') ? 'truncated or malformed JSON' : 'not JSON';
	}
	if (typeof value !== 'object' || value === null || !('event' in value)) return 'not an event line';
	return checkEvent(value.event, version === 1 ? 'rfc3339' : 'ms');
}

/** Reads a whole recording into memory: for replay (which needs random access) and tests. */
export async function readRecording(file: string): Promise<{header: RecordingHeader; events: DomainEvent[]; damage: Damage[]}> {
	const contents = await openRecording(file);
	const events: DomainEvent[] = [];
	for await (const event of contents.events) events.push(event);
	return {header: contents.header, events, damage: contents.damage()};
}
