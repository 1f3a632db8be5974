// Parsers of `docker buildx du` in its three shapes: the table (default), `--verbose` (Key:\tValue blocks on
// buildx 0.13; the "pretty" template with aligned spaces and a `Parents:` list on newer buildx) and `--format json`
// (buildx >= 0.28: one object per line, sizes as human strings, no summary). The table and verbose forms end with
// a footer (`Shared:` and `Private:` only when something is shared, then `Reclaimable:` and `Total:`).
import type {CacheRecord, CacheUsage} from '../domain/resources-events.js';
import {parseSize} from './sizes.js';
import {jsonLineObjects} from './json-lines.js';

export type DuFooter = {sharedBytes?: number; privateBytes?: number; reclaimableBytes?: number; totalBytes?: number};

export type DuParse = {records: CacheRecord[]; footer: DuFooter; format: CacheUsage['format']};

const footerKeys: Record<string, keyof DuFooter> = {
	shared: 'sharedBytes',
	private: 'privateBytes',
	reclaimable: 'reclaimableBytes',
	total: 'totalBytes',
};

const rowPattern = /^(\S+?)(\*?)\s+(true|false)\s+(\S+?)(\*?)(?:\s+(.*?))?\s*$/;
const keyValuePattern = /^([A-Za-z][A-Za-z ]*):\s*(.*)$/;

/** The default table. Mutable IDs end with `*`, shared sizes end with `*`. */
export function parseDuTable(text: string): DuParse {
	const records: CacheRecord[] = [];
	const footer: DuFooter = {};
	for (const line of text.split('\n')) {
		if (line.trim() === '' || /^ID\s+RECLAIMABLE/.test(line)) continue;
		if (readFooter(line, footer)) continue;
		const row = parseDuRow(line);
		if (row) records.push(row);
	}
	return {records, footer, format: 'table'};
}

/** One table row (also what `buildx prune` streams). */
export function parseDuRow(line: string): CacheRecord | undefined {
	const match = rowPattern.exec(line.trim());
	if (!match) return undefined;
	const sizeBytes = parseSize(match[4]!);
	if (sizeBytes === undefined) return undefined;
	const record: CacheRecord = {
		id: match[1]!,
		sizeBytes,
		isReclaimable: match[3] === 'true',
		isShared: match[5] === '*',
		isMutable: match[2] === '*',
	};
	if (match[6]) record.lastUsed = match[6];
	return record;
}

function readFooter(line: string, footer: DuFooter): boolean {
	const match = /^(Shared|Private|Reclaimable|Total):\s+(\S+)\s*$/.exec(line);
	if (!match) return false;
	const bytes = parseSize(match[2]!);
	if (bytes === undefined) return false;
	footer[footerKeys[match[1]!.toLowerCase()]!] = bytes;
	return true;
}

/** `--verbose`: one block per record, a blank line after each, then the footer. */
export function parseDuVerbose(text: string): DuParse {
	const records: CacheRecord[] = [];
	const footer: DuFooter = {};
	let current: Partial<CacheRecord> & {id?: string} = {};
	let isOpen = false;
	let lastKey = '';

	const close = () => {
		if (isOpen && current.id !== undefined) {
			const record: CacheRecord = {
				id: current.id,
				sizeBytes: current.sizeBytes ?? 0,
				isReclaimable: current.isReclaimable ?? false,
				isShared: current.isShared ?? false,
				isMutable: current.isMutable ?? false,
			};
			if (current.description !== undefined) record.description = current.description;
			if (current.recordType !== undefined) record.recordType = current.recordType;
			if (current.lastUsed !== undefined) record.lastUsed = current.lastUsed;
			records.push(record);
		}
		current = {};
		isOpen = false;
		lastKey = '';
	};

	for (const line of text.split('\n')) {
		if (line.trim() === '') {
			close();
			continue;
		}
		const kv = keyValuePattern.exec(line);
		const key = kv?.[1]!.toLowerCase();
		if (kv && key === 'id') {
			close();
			isOpen = true;
			current.id = kv[2]!.trim();
			lastKey = key;
			continue;
		}
		if (!isOpen) {
			readFooter(line, footer);
			continue;
		}
		if (!kv || !recordKeys.has(key!)) {
			// A `Parents:` list item (" - id") or a description that spans lines (a RUN with a heredoc).
			if (lastKey === 'description' && !/^\s+-\s/.test(line)) current.description = `${current.description ?? ''}\n${line}`;
			continue;
		}
		lastKey = key!;
		const value = kv[2]!.trim();
		switch (key) {
			case 'size':
				current.sizeBytes = parseSize(value) ?? 0;
				break;
			case 'reclaimable':
				current.isReclaimable = value === 'true';
				break;
			case 'shared':
				current.isShared = value === 'true';
				break;
			case 'mutable':
				current.isMutable = value === 'true';
				break;
			case 'description':
				current.description = value;
				break;
			case 'type':
				current.recordType = value;
				break;
			case 'last used':
				current.lastUsed = value;
				break;
			default:
				break;
		}
	}
	close();
	return {records, footer, format: 'verbose'};
}

const recordKeys = new Set(['parent', 'parents', 'created at', 'mutable', 'reclaimable', 'shared', 'size', 'description', 'usage count', 'last used', 'type']);

/** `--format json`: one object per line (an array is accepted too). Lines that are not JSON are skipped. */
export function parseDuJson(text: string): DuParse {
	const records: CacheRecord[] = [];
	const objects: unknown[] = [];
	const trimmed = text.trim();
	if (trimmed.startsWith('[')) {
		try {
			objects.push(...(JSON.parse(trimmed) as unknown[]));
		} catch {
			// fall through to line by line
		}
	}
	if (objects.length === 0) objects.push(...jsonLineObjects(text));
	for (const item of objects) {
		if (!item || typeof item !== 'object') continue;
		const o = item as Record<string, unknown>;
		if (typeof o['ID'] !== 'string') continue;
		const size = typeof o['Size'] === 'number' ? (o['Size'] as number) : parseSize(String(o['Size'] ?? '')) ?? 0;
		const record: CacheRecord = {
			id: (o['ID'] as string).replace(/\*$/, ''),
			sizeBytes: size,
			isReclaimable: o['Reclaimable'] === true,
			isShared: o['Shared'] === true,
			isMutable: o['Mutable'] === true,
		};
		if (typeof o['Description'] === 'string' && o['Description'] !== '') record.description = o['Description'] as string;
		if (typeof o['Type'] === 'string' && o['Type'] !== '') record.recordType = o['Type'] as string;
		if (typeof o['LastUsedAt'] === 'string' && o['LastUsedAt'] !== '') record.lastUsed = o['LastUsedAt'] as string;
		records.push(record);
	}
	return {records, footer: {}, format: 'json'};
}

export const largestKept = 10;

/**
 * Totals as buildx's printSummary computes them (sizes above zero count; reclaimable = not in use; private = total -
 * shared), preferring the footer's own figures when the output has one: the footer sums exact sizes, the records
 * are rounded to four digits.
 */
export function summarizeDu(parse: DuParse, keep = largestKept, nowMs = Date.now()): CacheUsage {
	let total = 0;
	let reclaimable = 0;
	let shared = 0;
	const bytesByType: Record<string, number> = {};
	let hasTypes = false;
	let unused24h = 0;
	let hasLastUsed = false;
	let sharedReclaimable = 0;
	for (const r of parse.records) {
		if (r.sizeBytes > 0) {
			total += r.sizeBytes;
			if (r.isReclaimable) reclaimable += r.sizeBytes;
		}
		const age = r.lastUsed === undefined ? undefined : ageSecondsOf(r.lastUsed, nowMs);
		if (age !== undefined) hasLastUsed = true;
		if (r.isReclaimable && !r.isShared && r.sizeBytes > 0 && (age === undefined || age >= day)) unused24h += r.sizeBytes;
		if (r.isShared) shared += r.sizeBytes;
		if (r.isShared && r.isReclaimable) sharedReclaimable += r.sizeBytes;
		if (r.recordType) {
			hasTypes = true;
			bytesByType[r.recordType] = (bytesByType[r.recordType] ?? 0) + r.sizeBytes;
		}
	}
	const f = parse.footer;
	const totalBytes = f.totalBytes ?? total;
	const sharedBytes = f.sharedBytes ?? (f.totalBytes !== undefined ? 0 : shared);
	const usage: CacheUsage = {
		totalBytes,
		reclaimableBytes: f.reclaimableBytes ?? reclaimable,
		sharedBytes,
		privateBytes: f.privateBytes ?? totalBytes - sharedBytes,
		recordCount: parse.records.length,
		largest: [...parse.records].sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, keep),
		format: parse.format,
	};
	if (hasTypes) usage.bytesByType = bytesByType;
	usage.reclaimablePrivateBytes = Math.max(0, usage.reclaimableBytes - sharedReclaimable);
	if (hasLastUsed || parse.records.length === 0) usage.reclaimableUnused24hBytes = unused24h;
	return usage;
}

const day = 24 * 3600;

const unitSeconds: Record<string, number> = {second: 1, minute: 60, hour: 3600, day, week: 7 * day, month: 30 * day, year: 365 * day};

/**
 * go-units HumanDuration back to seconds (the lower bound of what it rounds): "Less than a second ago" -> 0,
 * "About a minute ago" -> 60, "47 hours ago" -> 169200, "3 weeks ago" -> 1814400. Undefined when unreadable.
 */
export function humanAgeSeconds(text: string): number | undefined {
	const t = text.trim().replace(/\s+ago$/, '').toLowerCase();
	if (t === 'less than a second') return 0;
	const about = /^about an? (second|minute|hour|day|week|month|year)$/.exec(t);
	if (about) return unitSeconds[about[1]!];
	const counted = /^(\d+) (second|minute|hour|day|week|month|year)s?$/.exec(t);
	if (counted) return Number(counted[1]) * unitSeconds[counted[2]!]!;
	return undefined;
}

/**
 * A record's "last used" in seconds before `nowMs`: buildx's human string, or the Engine API's RFC 3339 time (Go's
 * zero time for a record never used: counted as long unused, as buildx counts it).
 */
function ageSecondsOf(lastUsed: string, nowMs: number): number | undefined {
	const human = humanAgeSeconds(lastUsed);
	if (human !== undefined) return human;
	const at = /^\d{4}-\d\d-\d\dT/.test(lastUsed) ? Date.parse(lastUsed) : NaN;
	return Number.isNaN(at) ? undefined : Math.max(0, (nowMs - at) / 1000);
}

export function parseDu(text: string, format: Exclude<CacheUsage['format'], 'engine'>): CacheUsage {
	const parse = format === 'json' ? parseDuJson(text) : format === 'verbose' ? parseDuVerbose(text) : parseDuTable(text);
	return summarizeDu(parse);
}
