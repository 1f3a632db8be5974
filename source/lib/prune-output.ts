// `docker buildx prune --force` output: the removed records streamed as du table rows (the header first), then
// `Total:\t<size>` - the bytes reclaimed. Line by line, so the runner can show progress while it prunes.
import type {CacheRecord} from '../domain/resources-events.js';
import {parseDuRow} from './du-table.js';
import {parseSize} from './sizes.js';

export type PruneLine =
	| {kind: 'header'}
	| {kind: 'record'; record: CacheRecord}
	| {kind: 'total'; reclaimedBytes: number}
	| {kind: 'other'; text: string};

export function parsePruneLine(line: string): PruneLine {
	if (/^ID\s+RECLAIMABLE/.test(line)) return {kind: 'header'};
	const total = /^Total:\s+(\S+)\s*$/.exec(line);
	if (total) {
		const bytes = parseSize(total[1]!);
		if (bytes !== undefined) return {kind: 'total', reclaimedBytes: bytes};
	}
	const record = parseDuRow(line);
	if (record) return {kind: 'record', record};
	return {kind: 'other', text: line};
}

export type PruneResult = {records: CacheRecord[]; recordsBytes: number; reclaimedBytes?: number; otherLines: string[]};

export function parsePruneOutput(text: string): PruneResult {
	const result: PruneResult = {records: [], recordsBytes: 0, otherLines: []};
	for (const line of text.split('\n')) {
		if (line.trim() === '') continue;
		const parsed = parsePruneLine(line);
		if (parsed.kind === 'record') {
			result.records.push(parsed.record);
			result.recordsBytes += parsed.record.sizeBytes;
		} else if (parsed.kind === 'total') result.reclaimedBytes = parsed.reclaimedBytes;
		else if (parsed.kind === 'other') result.otherLines.push(line);
	}
	return result;
}
