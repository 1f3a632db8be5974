// The docker driver's build cache read from its daemon's Engine API (lib/engine-build-cache.ts), for the du
// runner. Each answer says what the runner does next: use the usage; ask buildx this time (the daemon did not
// answer, or answered 5xx: buildx then says why in its own words if it fails too); ask buildx from now on (the
// daemon is older than API 1.42, or refused the path: a path that worked before is first asked of /version
// again, for a daemon upgraded in the meantime); or report a failure without asking buildx (no answer in the time
// allowed: buildx would wait as long again).
import type {CacheUsage} from '../domain/resources-events.js';
import {summarizeDu} from '../lib/du-table.js';
import {buildCachePathFor, parseEngineBuildCache} from '../lib/engine-build-cache.js';
import {EngineError, type EngineClient} from './engine-api.js';

export type EngineCacheAnswer = {usage: CacheUsage} | {fallback: 'this-time' | 'from-now-on'} | {failed: string};

export type EngineCache = {measure: (signal: AbortSignal, nowMs: () => number) => Promise<EngineCacheAnswer>};

export function createEngineCache(client: EngineClient, timeoutMs: number): EngineCache {
	let path: string | undefined;
	return {
		measure: async (signal, nowMs) => {
			try {
				for (let attempt = 0; ; attempt++) {
					const isFreshPath = !path;
					if (!path) {
						const version = await client.get('/version', {signal, timeoutMs});
						if (version.status !== 200) return {fallback: 'this-time'};
						path = buildCachePathFor(version.body);
						if (!path) return {fallback: 'from-now-on'};
					}
					const response = await client.get(path, {signal, timeoutMs});
					if (response.status >= 500) return {fallback: 'this-time'};
					const parse = response.status === 200 ? parseEngineBuildCache(response.body) : undefined;
					if (parse) return {usage: summarizeDu(parse, undefined, nowMs())};
					if (isFreshPath || attempt > 0) return {fallback: 'from-now-on'};
					path = undefined; // refused a path that worked: the daemon may have changed, ask its version again
				}
			} catch (error) {
				if (error instanceof EngineError && error.isNoAnswer) return {failed: error.message};
				return {fallback: 'this-time'};
			}
		},
	};
}
