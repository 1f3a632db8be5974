// Reads a `.dockerbuild` (`docker buildx history export`): gunzip (node:zlib), then the tar entries (node-tar's
// Parser), then the parts bxtop replays: BuildKit's history record and its status log as rawjson text.
import {readFile} from 'node:fs/promises';
import {promisify} from 'node:util';
import {gunzip} from 'node:zlib';
import {Parser, type ReadEntry} from 'tar';
import {DockerbuildError, readDockerbuildParts} from '../lib/dockerbuild-record.js';
import {statusLogToRawjson, StatusLogError} from '../lib/buildkit-status-log.js';
import type {HistoryInspect} from '../lib/history-records.js';
import {RecordingError} from './reader.js';

/** A record and its progress; `isLive` when `history logs` followed a running build (update by update, not stored). */
export type HistoryRecordCapture = {record: HistoryInspect; rawjson: string; isLive?: boolean};

export async function readDockerbuild(file: string): Promise<HistoryRecordCapture> {
	let tarBytes: Buffer;
	try {
		tarBytes = await promisify(gunzip)(await readFile(file));
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') throw new RecordingError(`${file}: cannot read: ${code}`);
		throw new RecordingError(`${file}: not gzip data (${(error as Error).message}): not a \`docker buildx history export\` file`);
	}
	const files = await untar(file, tarBytes);
	try {
		const {record, statusLog} = readDockerbuildParts(name => files.get(name));
		return {record, rawjson: statusLogToRawjson(statusLog)};
	} catch (error) {
		if (error instanceof DockerbuildError || error instanceof StatusLogError) throw new RecordingError(`${file}: ${error.message}`);
		throw error;
	}
}

/** Regular files of the archive by path (`./` dropped). */
async function untar(file: string, bytes: Buffer): Promise<Map<string, Buffer>> {
	const files = new Map<string, Buffer>();
	await new Promise<void>((resolve, reject) => {
		const parser = new Parser({
			strict: true,
			onReadEntry: (entry: ReadEntry) => {
				if (entry.type !== 'File') {
					entry.resume();
					return;
				}
				const chunks: Buffer[] = [];
				entry.on('data', (chunk: Buffer) => chunks.push(chunk));
				entry.on('end', () => files.set(entry.path.replace(/^\.\//, ''), Buffer.concat(chunks)));
			},
		});
		parser.on('error', (error: Error) => reject(new RecordingError(`${file}: not a tar archive inside the gzip (${error.message})`)));
		parser.on('end', () => resolve());
		parser.end(bytes);
	});
	return files;
}
