// Writes a live session to a recording as it happens. Events are queued by the tap (cheap, synchronous: the
// session's redactor and path rule, record/share.ts) and written at least once every flushMs, after secretlint has
// looked at the whole batch, so a bxtop killed with SIGKILL leaves a file that replays up to the last flush. A
// write error (disk full, unwritable directory) becomes one visible warning; the live session goes on.
import {createWriteStream, existsSync, mkdirSync, type WriteStream} from 'node:fs';
import path from 'node:path';
import {constants as zlibConstants, createGzip, type Gzip} from 'node:zlib';
import type {DomainEvent, Emit} from '../domain/events.js';
import {encodeEvent, type RecordingHeader} from './format.js';
import {isGzipName} from './reader.js';
import {createRedactor, type Redactor} from '../lib/redact.js';
import {preloadSecretlint, scrubValues} from '../lib/secretlint-scrub.js';
import {shareEvent, shareHeader} from './share.js';

export type Recorder = {
	path: string;
	tap: Emit;
	/** Writes what is queued and closes the file. */
	close: () => Promise<void>;
	/** Writes what is queued now (tests, and before a deliberate exit); resolves once it is written. */
	flush: () => Promise<void>;
};

export type RecorderOptions = {
	file: string;
	header: RecordingHeader;
	/** The session's redactor (its secret values and path rule); or only the literal secret values to scrub. */
	redactor?: Redactor;
	secretValues?: string[];
	onWarning?: (message: string) => void;
	flushMs?: number;
};

export function createRecorder(options: RecorderOptions): Recorder {
	const {file, onWarning = () => {}, flushMs = 500} = options;
	preloadSecretlint();
	const redactor = options.redactor ?? createRedactor(options.secretValues ?? []);
	const header = shareHeader(options.header, redactor);
	let failed = false;
	let queue: DomainEvent[] = [];
	/** Batches are scrubbed asynchronously and written in order. */
	let writing: Promise<void> = Promise.resolve();
	let file$: WriteStream | undefined;
	let gzip: Gzip | undefined;

	const fail = (error: unknown) => {
		if (failed) return;
		failed = true;
		queue = [];
		onWarning(`recording stopped: ${(error as Error).message ?? String(error)} (${file})`);
	};

	try {
		mkdirSync(path.dirname(path.resolve(file)), {recursive: true});
		file$ = createWriteStream(file, {flags: 'w'});
		file$.on('error', fail);
		if (isGzipName(file)) {
			gzip = createGzip();
			gzip.on('error', fail);
			gzip.pipe(file$);
		}
	} catch (error) {
		fail(error);
	}

	const write = (text: string) => {
		if (failed || !file$) return;
		if (gzip) {
			gzip.write(text);
			// A sync flush makes everything so far decodable even if the process dies before the gzip trailer.
			gzip.flush(zlibConstants.Z_SYNC_FLUSH);
		} else file$.write(text);
	};

	/** Scrubs a batch with secretlint and writes it, after every batch before it. */
	const writeBatch = (events: DomainEvent[], headerLine?: RecordingHeader) => {
		writing = writing
			.then(async () => {
				const scrubbed = await scrubValues<unknown>(headerLine ? [headerLine, ...events] : events);
				const lines = scrubbed.map((item, i) => (headerLine && i === 0 ? JSON.stringify(item) + '\n' : encodeEvent(header, item as DomainEvent)));
				write(lines.join(''));
			})
			.catch(fail); // a recording that cannot be scrubbed is not written
		return writing;
	};
	writeBatch([], header);

	const flush = () => {
		if (queue.length === 0) return writing;
		const events = queue;
		queue = [];
		return writeBatch(events);
	};
	const timer = setInterval(flush, flushMs);
	timer.unref?.();

	return {
		path: file,
		tap: (event: DomainEvent) => {
			if (failed) return;
			queue.push(shareEvent(event, redactor));
		},
		flush,
		close: async () => {
			clearInterval(timer);
			await flush();
			if (failed || !file$) return;
			await new Promise<void>(resolve => {
				const target = gzip ?? file$!;
				file$!.once('close', () => resolve());
				file$!.once('error', () => resolve());
				target.end();
			});
		},
	};
}

/**
 * `recordings/2026-11-29T10-41-58_backend-cpu+frontend.bxrec`; `..._2.bxrec` and on when two sessions of the
 * same targets start in the same second (a CI matrix, two terminals): never another session's file.
 */
export function defaultRecordingName(startedAt: number, targets: string[], dir = 'recordings'): string {
	const base = baseRecordingName(startedAt, targets, dir);
	let candidate = base;
	for (let n = 2; existsSync(candidate); n++) candidate = base.replace(/\.bxrec$/, `_${n}.bxrec`);
	return candidate;
}

function baseRecordingName(startedAt: number, targets: string[], dir: string): string {
	const stamp = new Date(startedAt).toISOString().replace(/:/g, '-').replace(/\.\d+Z$/, '');
	const names = targets.length > 0 ? targets : ['session'];
	const label = names
		.slice(0, 3)
		.map(t => t.replace(/[^A-Za-z0-9._-]+/g, '-'))
		.join('+')
		.slice(0, 60);
	return path.join(dir, `${stamp}_${label}${names.length > 3 ? `+${names.length - 3}more` : ''}.bxrec`);
}
