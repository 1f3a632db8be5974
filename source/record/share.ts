// What may leave the machine: every event and header bxtop records passes through here first (the --json summary
// through report/share-summary.ts, the report through report/run-report.ts). Two rules:
// no secret (the session's redactor: known values and credential shapes), and no local absolute path in what comes
// from bxtop's own side (its argv, its messages, the buildx client's lines, image references). A build's own
// output (statuses, logs, the downloads read from them) names the container's paths, which stay.
import type {DomainEvent} from '../domain/events.js';
import type {Redactor} from '../lib/redact.js';
import type {RecordingHeader} from './format.js';

/** Events whose text comes from inside the build (BuildKit's statuses and logs). */
const isBuildOutput = (event: DomainEvent): boolean => event.type === 'build/status-received' || event.type.startsWith('download/');

export function shareEvent(event: DomainEvent, redactor: Redactor): DomainEvent {
	return isBuildOutput(event) ? redactor.value(event) : redactor.localValue(event);
}

export function shareHeader(header: RecordingHeader, redactor: Redactor): RecordingHeader {
	return redactor.localValue(header);
}
