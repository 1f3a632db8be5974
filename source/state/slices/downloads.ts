// The downloads slice (issue 5). Placeholder until that slice lands.
import type {DownloadEvent} from './downloads-events.js';

export type DownloadsState = Record<string, never>;
export const initialDownloadsState: DownloadsState = {};

export function reduceDownloads(state: DownloadsState, event: DownloadEvent): DownloadsState {
	void event;
	return state;
}
