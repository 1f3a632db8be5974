// Pure parser for uv's download lines without a TTY (ANSI already removed):
//   `Downloading torch (731.1MiB)`   a large download starts (binary units, one decimal)
//   ` Downloaded torch`              it is done
//   `Downloading cpython-3.12.4-linux-x86_64-gnu (download) (24.3MiB)`  a Python download
// uv downloads in parallel and names only the distribution, never the version or the file.
import {parsePipSize} from './pip-lines.js';

export type UvLine =
	| {kind: 'downloading'; package: string; totalBytes?: number}
	| {kind: 'downloaded'; package: string}
	| {kind: 'other'};

const downloadingRe = /^Downloading\s+(\S+)(?:\s+\((?:download|[a-z ]+)\))?\s+\(([^)]*)\)$/;
const downloadedRe = /^Downloaded\s+(\S+)$/;

export function parseUvLine(line: string): UvLine {
	const text = line.trim();
	const started = downloadingRe.exec(text);
	// pip's `Downloading x.whl (1.0 MB)` has the same shape; uv's sizes are always binary (MiB).
	if (started && isUvSize(started[2]!)) {
		const total = parsePipSize(started[2]!);
		// uv sizes have no space before the unit; parsePipSize accepts both.
		return total === undefined ? {kind: 'downloading', package: started[1]!} : {kind: 'downloading', package: started[1]!, totalBytes: total};
	}
	const done = downloadedRe.exec(text);
	if (done) return {kind: 'downloaded', package: done[1]!};
	return {kind: 'other'};
}

/** uv lines look like pip's `Downloading x (1.0 MB)` only with binary units and no URL or `.whl`. */
export function isUvSize(text: string): boolean {
	return /\d(?:\.\d+)?\s*[KMGT]iB$/.test(text.trim());
}
