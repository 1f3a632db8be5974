// The injected clock. Sources stamp events with it; tests and replay substitute their own.
export type Clock = {now: () => number};

export const systemClock: Clock = {now: () => Date.now()};

/** A clock tests move by hand. */
export function manualClock(start = 0): Clock & {advance: (ms: number) => void; set: (ms: number) => void} {
	let current = start;
	return {
		now: () => current,
		advance: ms => {
			current += ms;
		},
		set: ms => {
			current = ms;
		},
	};
}
