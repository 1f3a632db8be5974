// One shared frame tick for every spinner: the frame comes from the store's clock, not from a timer per spinner
// (ink-spinner's component runs its own interval, one React commit per spinner per frame).
import spinners from 'cli-spinners';
import {changeFrameMs} from '../state/frame-policy.js';

const dots = spinners.dots;

/** One spinner frame per board frame at most: the board draws at most every changeFrameMs unless bytes move. */
export function spinnerFrame(nowMs: number): string {
	return dots.frames[Math.floor(nowMs / changeFrameMs) % dots.frames.length]!;
}
