// A live session is a trickle: a few status lines a second, one frame a second. V8 (11.3, Node 20's) considers a
// function for its optimising compiler (TurboFan, on V8's worker threads) each time the function has used up an
// interrupt budget of 66 KB of bytecode, and hands it over after a few such ticks. At a trickle's pace hundreds of
// React, Ink and bxtop functions get there one after another, for minutes: in the bench build (npm run bench:live,
// dockerd 28) TurboFan's threads took 5-11 of the 22-31 CPU ticks bxtop spent per 10 s, and the faster code paid
// back little of it at that rate. With 64 times the budget those threads took 0-2 ticks per 10 s over a 60-s build
// (the main thread's share stayed where it was), while code that is busy, a burst of log lines, is still optimised
// after a few milliseconds of it: ingest throughput in npm run bench was the same with the raised budget (263-347
// MB/s against 281-353 MB/s). Capping the tier instead (`--max-opt=1`, no TurboFan at all) saved the same ticks but
// halved that throughput.
// Live sessions only: replay's seeks and the report read everything at once and want the optimised code early.
// V8 reads the budget each time it resets a function's, so setting it after start takes effect. Only V8 11 is
// touched: later V8s tier up on other counters (and one of them without this flag, which it would print an error
// for), and what they would need was not measured.
import {setFlagsFromString} from 'node:v8';

/** V8 11's default interrupt budget (bytes of bytecode run between two looks at a function's tier). */
const defaultInterruptBudget = 66 * 1024;

/** bxtop's budget for live sessions. */
export const liveInterruptBudget = 64 * defaultInterruptBudget;

/** Whether this V8 is the one the budget was measured on (Node 20's V8 11). */
export function hasMeasuredTiering(v8Version: string = process.versions.v8): boolean {
	return v8Version.split('.')[0] === '11';
}

let raisedTo: number | undefined;

/** Raises V8's optimisation budget for the rest of the process (V8 11 only); says whether it did. */
export function raiseOptimisationThreshold(): boolean {
	if (!hasMeasuredTiering()) return false;
	setFlagsFromString(`--interrupt-budget=${liveInterruptBudget}`);
	raisedTo = liveInterruptBudget;
	return true;
}

/** The budget this process raised V8's to, if it did (V8 has no way to read a flag back). */
export function raisedOptimisationBudget(): number | undefined {
	return raisedTo;
}
