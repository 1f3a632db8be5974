// One shared frame tick for every spinner: the frame comes from the store's clock, not from a timer per spinner
// (ink-spinner's component runs its own interval, one React commit per spinner per frame).
import spinners from 'cli-spinners';

const dots = spinners.dots;

export function spinnerFrame(nowMs: number): string {
	return dots.frames[Math.floor(nowMs / dots.interval) % dots.frames.length]!;
}
