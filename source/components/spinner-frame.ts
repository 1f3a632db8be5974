// One shared frame tick for every spinner: the frame comes from the store's clock, not from a timer per spinner
// (ink-spinner's component runs its own interval, one React commit per spinner per frame).
import spinners from 'cli-spinners';
import {clockQuantumMs} from '../state/store.js';

const dots = spinners.dots;

/** One frame per step of the store's clock (it moves in clockQuantumMs steps). */
export function spinnerFrame(nowMs: number): string {
	return dots.frames[Math.floor(nowMs / clockQuantumMs) % dots.frames.length]!;
}
