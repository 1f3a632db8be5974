// V8 doubles its young generation (the two semi-spaces new objects start in) whenever a scavenge finds more survivors
// than it holds, up to 32 MB on 64-bit Node. Reading a recording keeps nearly everything it allocates, so loading a
// 1-hour session grew it to the whole 32 MB, all of it resident: a third of replay's peak RSS. The size limit is
// fixed when Node starts (`--max-semi-space-size`), but V8 reads the growth factor each time it grows, so while the
// young generation holds `maxBytes` the factor is 1.
//
// Measured side by side (loading the SYNTHETIC 1-hour session, alternating runs in one sitting; a live two-platform
// build, three each): a 4 MB cap left CPU where it was (within the runs' spread) and took 25-31 MB off the load's
// peak RSS, 9-13 MB off the live session's. A 1 MB young generation (the factor 1 from the start) cost 7-30% more CPU.
import {setFlagsFromString, getHeapSpaceStatistics} from 'node:v8';
import {PerformanceObserver} from 'node:perf_hooks';

/** bxtop's cap: two 2 MB semi-spaces. */
export const youngGenerationMaxBytes = 4 * 1024 * 1024;

/** The young generation's size now (both semi-spaces), in bytes. */
export function youngGenerationBytes(): number {
	return getHeapSpaceStatistics().find(space => space.space_name === 'new_space')?.space_size ?? 0;
}

/**
 * Keeps the young generation at most `maxBytes`: after each garbage collection (when V8 grows or shrinks it; it
 * can overshoot by one doubling while JavaScript runs without a break) the growth factor is 1 at or above the cap
 * and V8's own 2 below it, so a young generation V8 shrank (its memory reducer does, after a quiet spell) grows
 * back to the cap again. Returns a function that stops watching.
 */
export function capYoungGeneration(maxBytes: number = youngGenerationMaxBytes): () => void {
	let isCapped: boolean | undefined;
	const apply = () => {
		const atCap = youngGenerationBytes() >= maxBytes;
		if (atCap === isCapped) return;
		isCapped = atCap;
		setFlagsFromString(`--semi-space-growth-factor=${atCap ? 1 : 2}`);
	};
	apply();
	const observer = new PerformanceObserver(apply);
	observer.observe({entryTypes: ['gc']});
	return () => observer.disconnect();
}
