// A BuildKit history record named by its ref, read from the builder: `history inspect` + `history logs`, then the
// same events as a `.dockerbuild` of the same record (timeline.ts historyRecordSession).
import {builderOfRef, fetchHistoryRecord, type HistoryTarget} from '../sources/buildx-history.js';
import {historyRecordSession, type SessionEvents} from './timeline.js';

export async function readHistoryRefSession(ref: string, target: HistoryTarget): Promise<SessionEvents> {
	const builder = builderOfRef(ref, target.builder);
	const capture = await fetchHistoryRecord(ref, {...target, ...(builder ? {builder} : {})});
	return historyRecordSession(capture, {file: ref, origin: 'history', ...(builder ? {builder} : {})});
}
