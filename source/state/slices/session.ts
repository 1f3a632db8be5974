// The session slice: what was started, where it is recorded, warnings worth showing in the header.
import type {SessionEvent, SessionInfo} from '../../domain/events.js';

export type SessionState = {
	info?: SessionInfo;
	startedAt?: number;
	endedAt?: number;
	endReason?: 'completed' | 'cancelled' | 'failed';
	/** Recent warnings (ring), e.g. "recording stopped: disk full". */
	warnings: {at: number; message: string}[];
};

export const initialSessionState: SessionState = {warnings: []};

const warningsKept = 10;

export function reduceSession(state: SessionState, event: SessionEvent): SessionState {
	switch (event.type) {
		case 'session/started':
			return {...state, info: event.info, startedAt: event.at};
		case 'session/info-updated':
			return {...state, info: {...(state.info ?? {command: [], mode: 'build'}), ...event.info}};
		case 'session/warned': {
			const warnings = [...state.warnings, {at: event.at, message: event.message}].slice(-warningsKept);
			return {...state, warnings};
		}
		case 'session/ended':
			return {...state, endedAt: event.at, endReason: event.reason};
		default: {
			const unreachable: never = event;
			void unreachable;
			return state;
		}
	}
}
