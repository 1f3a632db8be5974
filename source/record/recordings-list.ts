// The recordings of a folder, newest first, each with its date, targets, duration and how it ended: what `bxtop
// replay` without a file offers to play.
import {readdirSync, statSync} from 'node:fs';
import {open} from 'node:fs/promises';
import path from 'node:path';
import type {DomainEvent} from '../domain/events.js';
import {formatDuration} from '../lib/format.js';
import {recordingExtension} from './format.js';
import {isGzipName, openRecording, parseEventLine} from './reader.js';

type Listing = {file: string; mtimeMs: number; label: string; isReadable: boolean};

export async function listRecordings(dir: string): Promise<Listing[]> {
	let names: string[];
	try {
		names = readdirSync(dir).filter(n => n.endsWith(recordingExtension) || n.endsWith(`${recordingExtension}.gz`));
	} catch {
		return [];
	}
	const listings: Listing[] = [];
	for (const name of names) {
		const file = path.join(dir, name);
		const mtimeMs = statSync(file).mtimeMs;
		try {
			const contents = await openRecording(file);
			contents.close();
			const {lastAt, result} = await sessionEnd(file, contents.header.startedAt, contents.header.version);
			const date = contents.header.startedAtIso.replace('T', ' ').slice(0, 16);
			listings.push({file, mtimeMs: contents.header.startedAt, isReadable: true, label: `${date}  ${contents.header.targets.join(', ')}  ${formatDuration(lastAt - contents.header.startedAt)}  ${result}`});
		} catch (error) {
			listings.push({file, mtimeMs, isReadable: false, label: `${name}  (unreadable: ${(error as Error).message})`});
		}
	}
	// newest first by when the session started; files that are not recordings go last
	return listings.sort((a, b) => Number(b.isReadable) - Number(a.isReadable) || b.mtimeMs - a.mtimeMs);
}

/**
 * When a recorded session ended and how: from the file's last 64 kB, so listing months of recordings does not
 * read them whole; the whole file only when the tail does not say (gzip, or no session/ended near the end).
 */
async function sessionEnd(file: string, startedAt: number, version: number): Promise<{lastAt: number; result: string}> {
	let lastAt = startedAt;
	let result: string | undefined;
	const consider = (event: DomainEvent) => {
		lastAt = Math.max(lastAt, event.at);
		if (event.type === 'session/ended') result = event.reason;
	};
	if (!isGzipName(file)) {
		const handle = await open(file, 'r');
		try {
			const {size} = await handle.stat();
			const length = Math.min(size, 64 * 1024);
			const buffer = Buffer.alloc(length);
			await handle.read(buffer, 0, length, size - length);
			const lines = buffer.toString('utf8').split('\n');
			if (length < size) lines.shift(); // the first line is cut
			for (const line of lines) {
				const event = line.trim() === '' ? undefined : parseEventLine(line, version);
				if (event && typeof event !== 'string') consider(event);
			}
		} finally {
			await handle.close();
		}
		if (result !== undefined) return {lastAt, result};
	}
	const contents = await openRecording(file);
	for await (const event of contents.events) consider(event);
	return {lastAt, result: result ?? 'incomplete'};
}
