// Batches events and dispatches them once per frame: one store notification and one React commit per frame,
// however many events arrived. Ink re-lays out on every commit, so batching here is what keeps bxtop cheap.
import type {DomainEvent, Emit} from './events.js';
import type {AppStore} from './store.js';
import type {Clock} from '../sources/clock.js';

export type Pump = {
	emit: Emit;
	/** Dispatch what is queued now (end of session, tests). */
	flush: () => void;
	stop: () => void;
};

/**
 * Frames per second of the board. Ink redraws the whole screen cell by cell on every commit (most of bxtop's own
 * CPU); 8 frames a second still looks live and keeps bxtop near 3% of a core while it watches builds.
 */
export const boardFps = 8;

export type PumpOptions = {
	fps?: number;
	taps?: Emit[];
	/**
	 * Live: each frame also moves the store's clock (spinners, elapsed times). Replay owns the clock itself, so
	 * there an empty frame must not touch it.
	 */
	isClockSource?: boolean;
};

export function createPump(store: AppStore, clock: Clock, options: PumpOptions = {}): Pump {
	const isClockSource = options.isClockSource ?? true;
	const frameMs = Math.round(1000 / (options.fps ?? boardFps));
	const taps = options.taps ?? [];
	let queue: DomainEvent[] = [];
	const flush = () => {
		const batch = queue;
		queue = [];
		if (batch.length === 0 && !isClockSource) return;
		store.getState().dispatch(batch, isClockSource ? clock.now() : undefined);
	};
	const timer = setInterval(flush, frameMs);
	timer.unref?.();
	return {
		emit: event => {
			for (const tap of taps) tap(event);
			queue.push(event);
		},
		flush,
		stop: () => {
			clearInterval(timer);
			flush();
		},
	};
}
