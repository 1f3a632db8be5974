// Pure parsers for what pip prints while it downloads, one visible line at a time (ANSI codes and carriage returns
// already removed by the caller: the download tracker's log assembly). Formats, from pip's source:
//   `Collecting torch==2.5.1+cpu`
//   `  Downloading torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl (174.7 MB)`  (PyPI: the file name)
//   `  Downloading http://127.0.0.1:8000/files/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl (120.0 MB)`  (other index)
//   `  Resuming download <url> (40.0 MB/174.7 MB)`  (pip >= 25.1)
//   `  Using cached <url or file> (3.0 MB)`  (HTTP cache hit: nothing downloaded)
//   `     ━━━━━━━━━━ 74.1/174.7 MB 14.8 MB/s eta 0:00:07`  (rich bar; the only one without a TTY is the last)
//   `     ━━━━━━━━━━ 174.7/174.7 MB 12.3 MB/s  0:01:03`  (pip >= 25.2: the last bar shows elapsed time)
//   `     - 12.3 MB 5.0 MB/s 0:00:02`  (no Content-Length: spinner, size so far, rate, elapsed)
//   `Progress 1048576 of 174700000`  (`--progress-bar raw`, pip >= 24.1: exact bytes, 4 a second)
// Sizes are decimal (kB = 1000 B), printed with one decimal: a parsed size is rounded, not exact.

export type FileKind = 'wheel' | 'sdist' | 'file';

export type FileIdentity = {
	/** Decoded file name: `torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl`. */
	file: string;
	/** Set when pip printed a URL (an index other than PyPI). */
	url?: string;
	package: string;
	version?: string;
	fileKind: FileKind;
};

export type PipLine =
	| {kind: 'collecting'; requirement: string}
	| ({kind: 'downloading'; totalBytes?: number; initialBytes?: number} & FileIdentity)
	| ({kind: 'cached'; sizeBytes?: number} & FileIdentity)
	| {
			kind: 'bar';
			doneBytes: number;
			totalBytes: number;
			bytesPerSecond?: number;
			etaMs?: number;
			/** pip >= 25.2 replaces the ETA by the elapsed time once the download is complete. */
			elapsedMs?: number;
			/** The bar pip leaves on screen when the download is complete. */
			isFinal: boolean;
	  }
	| {kind: 'spinner'; doneBytes: number; bytesPerSecond?: number; elapsedMs: number}
	| {kind: 'raw'; doneBytes: number; totalBytes?: number}
	/** A pip line that means the download before it is over (the next step of pip's work). */
	| {kind: 'boundary'; text: string}
	| {kind: 'error'; message: string}
	| {kind: 'other'};

const number = String.raw`\d[\d,]*(?:\.\d+)?`;
const unit = String.raw`bytes|B|kB|KB|MB|GB|TB|KiB|MiB|GiB|TiB`;
const sizeRe = new RegExp(String.raw`^(${number})\s*(${unit})$`);
// pip's bar characters (━╸╺╾╼─) as escapes: one non-Latin-1 character in a chunk makes V8 keep its whole source as
// two-byte text
const barRe = new RegExp(
	String.raw`^(?:[\u2501\u2578\u257a\u257e\u257c\u2500=#\-]+\s+)?(${number})\/(${number})\s+(${unit})\s+(\?|${number}\s*(?:${unit})\/s)\s+(?:eta\s+(-:--:--|\d+:\d\d:\d\d)|(\d+:\d\d:\d\d))$`,
);
const spinnerRe = new RegExp(String.raw`^[-\\|/]\s+(${number})\s*(${unit})\s+(\?|${number}\s*(?:${unit})\/s)\s+(\d+:\d\d:\d\d)$`);
const rawRe = /^Progress (\d+) of (\d+)$/;
const downloadRe = /^(Downloading|Resuming download|Using cached)\s+(\S+)(?:\s+\(([^)]*)\))?$/;
const boundaryRe =
	/^(Collecting|Installing collected packages|Successfully (installed|downloaded)|Saved |Requirement already satisfied|Processing |Building wheels? |Created wheel|Stored in directory|Preparing metadata|Getting requirements|Installing build dependencies|Looking in (indexes|links)|Obtaining |Attempting uninstall|File was already downloaded)/;

const multipliers: Record<string, number> = {
	bytes: 1,
	B: 1,
	kB: 1e3,
	KB: 1e3,
	MB: 1e6,
	GB: 1e9,
	TB: 1e12,
	KiB: 1024,
	MiB: 1024 ** 2,
	GiB: 1024 ** 3,
	TiB: 1024 ** 4,
};

/** A size as pip and uv print it: `120.0 MB` -> 120000000, `731.1MiB` -> 766615142, `512 bytes` -> 512 (docker's are lib/sizes.ts). */
export function parsePipSize(text: string): number | undefined {
	const match = sizeRe.exec(text.trim());
	if (!match) return undefined;
	return toBytes(match[1]!, match[2]!);
}

function toBytes(value: string, unitName: string): number | undefined {
	const n = Number(value.replace(/,/g, ''));
	const m = multipliers[unitName];
	if (!Number.isFinite(n) || m === undefined) return undefined;
	return Math.round(n * m);
}

/** `0:01:03` -> 63000; `-:--:--` -> undefined. */
export function parseClock(text: string): number | undefined {
	const match = /^(\d+):(\d\d):(\d\d)$/.exec(text);
	if (!match) return undefined;
	return ((Number(match[1]) * 60 + Number(match[2])) * 60 + Number(match[3])) * 1000;
}

function parseRate(text: string): number | undefined {
	if (text === '?') return undefined;
	const match = new RegExp(String.raw`^(${number})\s*(${unit})\/s$`).exec(text);
	return match ? toBytes(match[1]!, match[2]!) : undefined;
}

export function parsePipLine(line: string): PipLine {
	const text = line.trim();
	if (text === '') return {kind: 'other'};

	const raw = rawRe.exec(text);
	if (raw) {
		const total = Number(raw[2]);
		// pip prints `of 0` when the server sent no Content-Length.
		return total > 0 ? {kind: 'raw', doneBytes: Number(raw[1]), totalBytes: total} : {kind: 'raw', doneBytes: Number(raw[1])};
	}

	const bar = barRe.exec(text);
	if (bar) {
		const [, doneText, totalText, unitName, rateText, etaText, elapsedText] = bar;
		const doneBytes = toBytes(doneText!, unitName!) ?? 0;
		const totalBytes = toBytes(totalText!, unitName!) ?? 0;
		const parsed: PipLine & {kind: 'bar'} = {kind: 'bar', doneBytes, totalBytes, isFinal: false};
		const rate = parseRate(rateText!);
		if (rate !== undefined) parsed.bytesPerSecond = rate;
		if (elapsedText !== undefined) {
			const elapsed = parseClock(elapsedText);
			if (elapsed !== undefined) parsed.elapsedMs = elapsed;
			parsed.isFinal = doneBytes >= totalBytes;
		} else {
			const eta = etaText === undefined ? undefined : parseClock(etaText);
			if (eta !== undefined) parsed.etaMs = eta;
			// rich rounds: `120.0/120.0 MB ... eta 0:00:01` is drawn while the last bytes still arrive.
			parsed.isFinal = doneBytes >= totalBytes && eta === 0;
		}
		return parsed;
	}

	const spinner = spinnerRe.exec(text);
	if (spinner) {
		const parsed: PipLine & {kind: 'spinner'} = {
			kind: 'spinner',
			doneBytes: toBytes(spinner[1]!, spinner[2]!) ?? 0,
			elapsedMs: parseClock(spinner[4]!) ?? 0,
		};
		const rate = parseRate(spinner[3]!);
		if (rate !== undefined) parsed.bytesPerSecond = rate;
		return parsed;
	}

	const download = downloadRe.exec(text);
	if (download) {
		const [, verb, target, sizeText] = download;
		const identity = identifyFile(target!);
		if (verb === 'Using cached') {
			const size = sizeText === undefined ? undefined : parsePipSize(sizeText);
			return size === undefined ? {kind: 'cached', ...identity} : {kind: 'cached', ...identity, sizeBytes: size};
		}
		const parsed: PipLine & {kind: 'downloading'} = {kind: 'downloading', ...identity};
		if (sizeText !== undefined) {
			// `Resuming download <url> (40.0 MB/174.7 MB)`
			const slash = sizeText.indexOf('/');
			if (slash > 0) {
				const initial = parsePipSize(sizeText.slice(0, slash));
				const total = parsePipSize(sizeText.slice(slash + 1));
				if (initial !== undefined) parsed.initialBytes = initial;
				if (total !== undefined) parsed.totalBytes = total;
			} else {
				const total = parsePipSize(sizeText);
				if (total !== undefined) parsed.totalBytes = total;
			}
		}
		return parsed;
	}

	if (text.startsWith('Collecting ')) return {kind: 'collecting', requirement: text.slice('Collecting '.length)};
	if (text.startsWith('ERROR:')) return {kind: 'error', message: text.slice(6).trim()};
	if (boundaryRe.test(text)) return {kind: 'boundary', text};
	return {kind: 'other'};
}

/**
 * What a file name or URL says: name, version, kind. Wheel names are `{name}-{version}(-{build})?-{py}-{abi}-{plat}.whl`
 * (PEP 427); sdists `{name}-{version}.tar.gz`. URL escapes (`%2B` for `+`) are decoded; query and fragment dropped.
 */
export function identifyFile(target: string): FileIdentity {
	const isUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(target);
	const path = target.split('#', 1)[0]!.split('?', 1)[0]!;
	const base = path.slice(path.lastIndexOf('/') + 1) || path;
	const file = safeDecode(base);
	const identity: FileIdentity = {file, package: file, fileKind: 'file'};
	if (isUrl) identity.url = target;
	const metadata = file.endsWith('.metadata') ? file.slice(0, -'.metadata'.length) : file;
	if (metadata.endsWith('.whl')) {
		const parts = metadata.slice(0, -4).split('-');
		if (parts.length >= 5) {
			identity.package = parts[0]!;
			identity.version = parts[1]!;
			identity.fileKind = metadata === file ? 'wheel' : 'file';
		}
		return identity;
	}
	const sdist = /^(.+)-(\d[^-]*)\.(tar\.gz|tar\.bz2|tar\.xz|tgz|zip)$/.exec(metadata);
	if (sdist) {
		identity.package = sdist[1]!;
		identity.version = sdist[2]!;
		identity.fileKind = metadata === file ? 'sdist' : 'file';
	}
	return identity;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

