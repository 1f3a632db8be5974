// One zustand vanilla store. Domain state changes only through dispatch(events) (the pure reducer) and
// resetDomain (a replay seek to a state the reducer computed); UI state (selection, open panels) and the frame's
// "now" live beside it and are never recorded.
import {createStore, type StoreApi} from 'zustand/vanilla';
import type {DomainEvent} from '../domain/events.js';
import {initialDomainState, reduceAll, type DomainState} from './reducer.js';

export type Dialog =
	| {
			kind: 'prune';
			commandId: string;
			step: 'confirm' | 'confirm-again' | 'running';
			input?: string;
			problem?: string;
			/** The session's last prune when this one was confirmed ('' for none): its own record comes after it. */
			afterPruneId?: string;
	  }
	| {kind: 'message'; text: string};

export type UiState = {
	selectedRow: number;
	isLogOpen: boolean;
	isHelpOpen: boolean;
	isTimelineOpen: boolean;
	dialog?: Dialog;
	/** After a live session: each build against the previous comparable run, shown on the held board. */
	summaryLines?: string[];
	/** Until the session starts, the board is this line alone (a live build: what docker is being asked). */
	startingLine?: string;
	/** The session ended before it started (quit, or an error the caller tells): the board draws nothing. */
	isCleared?: boolean;
};

export type ReplayStatus = {
	positionMs: number;
	durationMs: number;
	speed: number;
	isPaused: boolean;
	isAtEnd: boolean;
	/** Why replay stopped early (truncated or corrupt file), shown in the status line. */
	damage?: string;
	/** Resource facts the file holds none of, and what kind of file it is: the panels say so instead of waiting. */
	lacks?: ResourceLacks;
};

/** Kinds of resource facts a replayed file may hold none of. */
export type ResourceFact = 'builder' | 'host' | 'cache';

/** Resource facts a session will never have, and why: a file without them, or `bxtop watch` (it measures none). */
export type ResourceLacks = {facts: ResourceFact[]; file: 'recording' | 'capture' | 'watch'};

export type AppState = {
	domain: DomainState;
	ui: UiState;
	/** The frame's clock: wall time live, the replay position's time in replay. */
	nowMs: number;
	replay?: ReplayStatus;
	dispatch: (events: readonly DomainEvent[], nowMs?: number) => void;
	setUi: (change: (ui: UiState) => Partial<UiState>) => void;
	setReplay: (replay: ReplayStatus | undefined) => void;
	/** Replace the domain state wholesale: replay seeks land here from a checkpoint. */
	resetDomain: (domain: DomainState, nowMs: number) => void;
};

export type AppStore = StoreApi<AppState>;

/**
 * Whether the board is its starting frame (a live build's or bake's, drawn while preflight asks docker and bake
 * --print answers): only the title, the footer and the help show, and only their keys act (keymap.ts: `starting`).
 */
export function showsStartingFrame(state: Pick<AppState, 'ui' | 'domain'>): boolean {
	return state.ui.startingLine !== undefined && !state.domain.session.info;
}

/**
 * The frame clock moves in steps of this many ms: spinners and elapsed times need no more, and every change of
 * nowMs costs a React commit and an Ink re-layout. Events still render at the pump's frame rate.
 */
export const clockQuantumMs = 250;

const quantize = (ms: number) => Math.floor(ms / clockQuantumMs) * clockQuantumMs;

export const initialUiState: UiState = {selectedRow: 0, isLogOpen: true, isHelpOpen: false, isTimelineOpen: false};

export type StoreOptions = {
	/** Sees every dispatched batch (the plain reporter's event lines). Not called for resetDomain (seeks). */
	onEvents?: (events: readonly DomainEvent[], domain: DomainState) => void;
};

export function createAppStore(domain: DomainState = initialDomainState, options: StoreOptions = {}): AppStore {
	return createStore<AppState>()(set => ({
		domain,
		ui: initialUiState,
		nowMs: quantize(domain.lastEventAt),
		dispatch: (events, nowMs) =>
			set(state => {
				if (events.length === 0) return nowMs === undefined || quantize(nowMs) === state.nowMs ? state : {nowMs: quantize(nowMs)};
				const next = reduceAll(state.domain, events);
				options.onEvents?.(events, next);
				return {domain: next, nowMs: quantize(Math.max(nowMs ?? 0, next.lastEventAt))};
			}),
		setUi: change => set(state => ({ui: {...state.ui, ...change(state.ui)}})),
		setReplay: replay => set({replay}),
		resetDomain: (next, nowMs) => set({domain: next, nowMs: quantize(nowMs)}),
	}));
}
