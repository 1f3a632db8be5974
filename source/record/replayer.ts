// Plays a timeline into the store on a replay clock: pause, seek, speed. Playing dispatches the events between
// the previous and the new position once per frame; a seek lands on a checkpointed state (bounded work).
import type {AppStore} from '../state/store.js';
import type {ReplayControls} from '../domain/replay-controls.js';
import {eventCountAt, stateAfter, type Timeline} from './timeline.js';
import type {Clock} from '../domain/clock.js';
import {boardFps} from '../state/pump.js';
import {frameMsFor, needsClockTicks, tickFrameMs} from '../state/frame-policy.js';

export const replaySpeeds = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64];

export type Replayer = ReplayControls & {
	/**
	 * Plays until the signal aborts; with stopAtEnd also resolves at the end. Interactive replay keeps playing
	 * after the end so that a seek back plays on.
	 */
	play: (signal: AbortSignal, options?: {stopAtEnd?: boolean}) => Promise<void>;
	/** Moves to an absolute position (ms from the start) without playing: used by tests and seeks. */
	seekToPosition: (positionMs: number) => void;
	positionMs: () => number;
};

export function createReplayer(timeline: Timeline, store: AppStore, options: {clock: Clock; speed?: number; frameMs?: number}): Replayer {
	const {clock} = options;
	const frameMs = options.frameMs ?? Math.round(1000 / boardFps);
	const durationMs = timeline.endMs - timeline.startMs;
	let speed = nearestSpeed(options.speed ?? 1);
	let isPaused = false;
	let position = 0;
	let applied = 0; // events dispatched so far
	let lastTick = clock.now();
	let wake: (() => void) | undefined;

	const damage = timeline.damage[0] ? `file damaged at line ${timeline.damage[0].line}: ${timeline.damage[0].reason}` : undefined;
	const lacks = timeline.lacks.length > 0 ? {facts: timeline.lacks, file: timeline.kind} : undefined;
	let shown = '';
	// The status line shows whole seconds: publish only what a person would see change (each publish re-renders).
	const publish = () => {
		const visible = `${Math.floor(position / 1000)}|${speed}|${isPaused}|${position >= durationMs}`;
		if (visible === shown) return;
		shown = visible;
		store.getState().setReplay({
			positionMs: position,
			durationMs,
			speed,
			isPaused,
			isAtEnd: position >= durationMs,
			...(damage ? {damage} : {}),
			...(lacks ? {lacks} : {}),
		});
	};

	let lastFrameAt = -Infinity;
	/**
	 * Moves the position; `isPlaying` frames follow the board's frame policy (frame-policy.ts), so playing draws
	 * no more often than live would: events at most every changeFrameMs (bytesFrameMs while bytes move), the clock
	 * alone every tickFrameMs while something runs. A seek always lands at once.
	 */
	const advanceTo = (target: number, isPlaying = false) => {
		position = Math.max(0, Math.min(durationMs, target));
		const count = eventCountAt(timeline, timeline.startMs + position);
		const nowMs = timeline.startMs + position;
		const frameAt = clock.now();
		if (count >= applied && count - applied <= 4096) {
			const events = timeline.events.slice(applied, count);
			const sinceFrame = frameAt - lastFrameAt;
			const isDue = events.length > 0 ? sinceFrame >= frameMsFor(events) - frameMs / 2 : sinceFrame >= tickFrameMs - frameMs / 2 && needsClockTicks(store.getState().domain);
			if (isPlaying && !isDue && position < durationMs) {
				publish();
				return;
			}
			store.getState().dispatch(events, nowMs);
		} else {
			store.getState().resetDomain(stateAfter(timeline, count), nowMs);
		}
		lastFrameAt = frameAt;
		applied = count;
		publish();
	};

	const seekToPosition = (target: number) => {
		lastTick = clock.now();
		advanceTo(target);
		wake?.();
	};

	const controls: Replayer = {
		togglePause: () => {
			isPaused = !isPaused;
			lastTick = clock.now();
			publish();
			wake?.();
		},
		seekBy: ms => seekToPosition(position + ms),
		seekTo: where => seekToPosition(where === 'start' ? 0 : durationMs),
		seekToMark: direction => {
			const now = timeline.startMs + position;
			const marks = timeline.marks;
			const target = direction > 0 ? marks.find(m => m > now + 1) : [...marks].reverse().find(m => m < now - 1);
			seekToPosition(target === undefined ? (direction > 0 ? durationMs : 0) : target - timeline.startMs);
		},
		changeSpeed: direction => {
			const index = replaySpeeds.indexOf(speed);
			speed = replaySpeeds[Math.max(0, Math.min(replaySpeeds.length - 1, index + direction))]!;
			publish();
		},
		seekToPosition,
		positionMs: () => position,
		play: async (signal, playOptions = {}) => {
			advanceTo(0);
			lastTick = clock.now();
			while (!signal.aborted) {
				if (position >= durationMs && playOptions.stopAtEnd) return;
				// paused or at the end nothing moves: sleep until a key (seek, pause, speed) wakes the loop
				const isStill = isPaused || position >= durationMs;
				await new Promise<void>(resolve => {
					const timer = isStill ? undefined : setTimeout(resolve, frameMs);
					wake = () => {
						clearTimeout(timer);
						resolve();
					};
					signal.addEventListener('abort', wake, {once: true});
				});
				if (wake) signal.removeEventListener('abort', wake);
				wake = undefined;
				const now = clock.now();
				const elapsed = now - lastTick;
				lastTick = now;
				if (!isPaused && position < durationMs) advanceTo(position + elapsed * speed, true);
				if (position >= durationMs && playOptions.stopAtEnd) return;
			}
		},
	};
	return controls;
}

function nearestSpeed(speed: number): number {
	return replaySpeeds.reduce((best, s) => (Math.abs(s - speed) < Math.abs(best - speed) ? s : best), 1);
}
