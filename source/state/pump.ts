// Batches events and dispatches them in frames: one store notification and one React commit per frame, however
// many events arrived. Ink re-lays out and redraws the whole live area on every commit, so how often this
// dispatches is what bxtop's CPU follows: frame-policy.ts says when (on change, faster while bytes move, slowly
// when only timers tick, never when nothing runs).
import type {DomainEvent, Emit} from '../domain/events.js';
import type {AppStore} from './store.js';
import type {Clock} from '../domain/clock.js';
import {frameMsFor, needsClockTicks, tickFrameMs} from './frame-policy.js';

export type Pump = {
	emit: Emit;
	/** Dispatch what is queued now (end of session, tests). */
	flush: () => void;
	stop: () => void;
};

/**
 * Ink's own throttle and the replay clock's step: above the policy's fastest rate, so a key (selection, panels)
 * redraws within 125 ms; data frames are paced by frame-policy.ts, not by this.
 */
export const boardFps = 8;

export type PumpOptions = {
	taps?: Emit[];
	/**
	 * Live: frames also move the store's clock (spinners, elapsed times), and while something runs the clock
	 * ticks on its own. Replay owns the clock itself, so there a frame must not touch it.
	 */
	isClockSource?: boolean;
	/** Time for the frame schedule (tests may pass their own); default performance.now. */
	now?: () => number;
};

export function createPump(store: AppStore, clock: Clock, options: PumpOptions = {}): Pump {
	const isClockSource = options.isClockSource ?? true;
	const now = options.now ?? (() => performance.now());
	const taps = options.taps ?? [];
	let queue: DomainEvent[] = [];
	let lastFrameAt = -Infinity;
	let timer: NodeJS.Timeout | undefined;
	let timerDue = Infinity;
	let isStopped = false;

	const schedule = (due: number) => {
		if (isStopped || (timer && timerDue <= due)) return;
		clearTimeout(timer);
		timerDue = due;
		timer = setTimeout(flush, Math.max(0, due - now()));
		timer.unref?.();
	};
	const flush = () => {
		clearTimeout(timer);
		timer = undefined;
		timerDue = Infinity;
		const batch = queue;
		queue = [];
		lastFrameAt = now();
		if (batch.length > 0 || isClockSource) store.getState().dispatch(batch, isClockSource ? clock.now() : undefined);
		if (isClockSource && needsClockTicks(store.getState().domain)) schedule(lastFrameAt + tickFrameMs);
	};
	return {
		emit: event => {
			for (const tap of taps) tap(event);
			queue.push(event);
			schedule(lastFrameAt + frameMsFor([event]));
		},
		flush,
		stop: () => {
			flush();
			isStopped = true;
			clearTimeout(timer);
		},
	};
}
