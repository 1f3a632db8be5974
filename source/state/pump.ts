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

export function createPump(store: AppStore, clock: Clock, options: {fps?: number; taps?: Emit[]} = {}): Pump {
	const frameMs = Math.round(1000 / (options.fps ?? 12));
	const taps = options.taps ?? [];
	let queue: DomainEvent[] = [];
	const flush = () => {
		const batch = queue;
		queue = [];
		store.getState().dispatch(batch, clock.now());
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
