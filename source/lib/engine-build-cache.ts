// The docker driver's build cache as the Engine API reports it: `GET /v<version>/system/df?type=build-cache` asks
// dockerd for BuildKit's disk usage, the same records `docker buildx du` reads through the same daemon, with exact
// sizes and RFC 3339 times instead of buildx's rounded human strings. API 1.42 (Docker Engine 23) added the type
// filter; without it /system/df would also size every image, container and volume, so an older daemon gets
// `buildx du`. The path carries the daemon's own API version (from /version): Engine 29 refuses versions below
// 1.44, so no fixed version suits every daemon.
import type {CacheRecord} from '../domain/resources-events.js';
import type {DuParse} from './du-table.js';
import {isApiAtLeast, parseApiVersion} from './engine-version.js';

/** The path to ask, from /version's body; undefined when the daemon is older than API 1.42 or says no version. */
export function buildCachePathFor(versionBody: string): string | undefined {
	const version = parseApiVersion(versionBody);
	if (!version || !isApiAtLeast(version, 1, 42)) return undefined;
	return `/v${version.major}.${version.minor}/system/df?type=build-cache`;
}

type WireRecord = {ID?: unknown; Type?: unknown; Description?: unknown; InUse?: unknown; Shared?: unknown; Size?: unknown; LastUsedAt?: unknown};

/** The records of that answer, or undefined when the body is not its JSON. */
export function parseEngineBuildCache(body: string): DuParse | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(body);
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	const list = (parsed as {BuildCache?: unknown}).BuildCache;
	// an empty cache is `null`
	if (list !== null && !Array.isArray(list)) return undefined;
	const records: CacheRecord[] = [];
	for (const item of (list ?? []) as WireRecord[]) {
		if (typeof item !== 'object' || item === null || typeof item.ID !== 'string') continue;
		const record: CacheRecord = {
			id: item.ID,
			sizeBytes: typeof item.Size === 'number' ? item.Size : 0,
			// buildx du's "reclaimable" is BuildKit's "not in use"
			isReclaimable: item.InUse !== true,
			isShared: item.Shared === true,
		};
		if (typeof item.Description === 'string' && item.Description !== '') record.description = item.Description;
		if (typeof item.Type === 'string' && item.Type !== '') record.recordType = item.Type;
		if (typeof item.LastUsedAt === 'string' && item.LastUsedAt !== '') record.lastUsed = item.LastUsedAt;
		records.push(record);
	}
	return {records, footer: {}, format: 'engine'};
}
