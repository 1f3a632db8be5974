// Writes a live session to a recording as it happens. Events are queued by the tap (cheap, synchronous) and
// written at least once every flushMs, so a bxtop killed with SIGKILL leaves a file that replays up to the last
// flush. A write error (disk full, unwritable directory) becomes one visible warning; the live session goes on.
import {createWriteStream, existsSync, mkdirSync, type WriteStream} from 'node:fs';
import path from 'node:path';
import {constants as zlibConstants, createGzip, type Gzip} from 'node:zlib';
import type {DomainEvent, Emit} from '../state/events.js';
import {encodeEvent, type RecordingHeader} from './format.js';
import {isGzipName} from './reader.js';
import {scrubValues} from '../lib/redact.js';

export type Recorder = {
	path: string;
	tap: Emit;
	/** Writes what is queued and closes the file. */
	close: () => Promise<void>;
	/** Writes what is queued now (tests, and before a deliberate exit). */
	flush: () => void;
};

export type RecorderOptions = {
	file: string;
	header: RecordingHeader;
	/** Literal secret values (from build args / secrets) to scrub from every line. */
	secretValues?: string[];
	onWarning?: (message: string) => void;
	flushMs?: number;
};

export function createRecorder(options: RecorderOptions): Recorder {
	const {file, header, secretValues = [], onWarning = () => {}, flushMs = 500} = options;
	let failed = false;
	let queue: string[] = [];
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

	write(scrubValues(JSON.stringify(header), secretValues) + '\n');

	const flush = () => {
		if (queue.length === 0) return;
		const text = queue.join('');
		queue = [];
		write(text);
	};
	const timer = setInterval(flush, flushMs);
	timer.unref?.();

	return {
		path: file,
		tap: (event: DomainEvent) => {
			if (failed) return;
			queue.push(scrubValues(encodeEvent(header, event), secretValues));
		},
		flush,
		close: async () => {
			clearInterval(timer);
			flush();
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
