// Two definitions the board, the `--json` summary and the report share, so they say the same thing about a session:
// when the BuildKit container restarted, and which build-cache measurements are "before" and "after".
import type {StatsSample} from '../domain/resources-events.js';

export const containerCounters = ['netRxBytes', 'netTxBytes', 'blockReadBytes', 'blockWriteBytes'] as const;

export type CounterName = (typeof containerCounters)[number];

export type CounterValues = Record<CounterName, number>;

/** A new container (another id), or one whose counters started again (any of them went down). */
export function isContainerRestart(previous: {containerId?: string; counters?: CounterValues}, sample: StatsSample): boolean {
	if (previous.containerId !== undefined && sample.containerId !== undefined && sample.containerId !== previous.containerId) return true;
	const counters = previous.counters;
	return counters !== undefined && containerCounters.some(name => sample[name] < counters[name]);
}

/**
 * "Before" is the first measurement if it was taken before the first build started (or is du's initial one);
 * "after" is the latest, if it is another measurement than "before".
 */
export function cacheBeforeAfter<T extends {at: number; reason?: string}>(first: T | undefined, latest: T | undefined, firstBuildMs: number | undefined): {before?: T; after?: T} {
	const before = first && (first.at <= (firstBuildMs ?? Infinity) || first.reason === 'initial') ? first : undefined;
	const after = latest && (!before || latest.at !== before.at) ? latest : undefined;
	return {...(before ? {before} : {}), ...(after ? {after} : {})};
}
