// Finding recordings on disk: by name (`*.bxrec`, `*.bxrec.gz`) and the latest one in a directory.
import {readdir, stat} from 'node:fs/promises';
import path from 'node:path';
import {recordingExtension} from '../record/format.js';

export function isRecordingName(name: string): boolean {
	return name.endsWith(recordingExtension) || name.endsWith(`${recordingExtension}.gz`);
}

/** Recordings directly inside a directory, sorted by name. */
export async function recordingsIn(dir: string): Promise<string[]> {
	const names = await readdir(dir);
	return names.filter(isRecordingName).sort().map(n => path.join(dir, n));
}

/** The most recently modified recording in a directory (name breaks ties), or undefined when there is none. */
export async function latestRecording(dir: string): Promise<string | undefined> {
	let best: {file: string; mtimeMs: number} | undefined;
	for (const file of await recordingsIn(dir)) {
		const info = await stat(file);
		if (!info.isFile()) continue;
		if (!best || info.mtimeMs > best.mtimeMs || (info.mtimeMs === best.mtimeMs && file > best.file)) best = {file, mtimeMs: info.mtimeMs};
	}
	return best?.file;
}
