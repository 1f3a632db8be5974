// The docker driver's build cache read from its daemon's Engine API (lib/engine-build-cache.ts), for the du
// runner. Each answer says what the runner does next: use the usage; ask buildx this time (the daemon did not
// answer, or answered 5xx: buildx then says why in its own words if it fails too); ask buildx from now on (the
// daemon is older than API 1.42, or refused the path); or report a failure without asking buildx (no answer in
// the time allowed: buildx would wait as long again).
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
				if (!path) {
					const version = await client.get('/version', {signal, timeoutMs});
					if (version.status !== 200) return {fallback: 'this-time'};
					path = buildCachePathFor(version.body);
					if (!path) return {fallback: 'from-now-on'};
				}
				const response = await client.get(path, {signal, timeoutMs});
				if (response.status >= 500) return {fallback: 'this-time'};
				const parse = response.status === 200 ? parseEngineBuildCache(response.body) : undefined;
				return parse ? {usage: summarizeDu(parse, undefined, nowMs())} : {fallback: 'from-now-on'};
			} catch (error) {
				if (error instanceof EngineError && error.code === 'ETIMEDOUT') return {failed: error.message};
				return {fallback: 'this-time'};
			}
		},
	};
}
