// The recording format: newline-delimited JSON (gzip when the name ends in .gz).
//   line 1: the header (RecordingHeader)
//   later : one domain event per line, `{"t": <ms since header.startedAt>, "event": {...}}`
// UI events (selection, scrolling) are never recorded; secrets are redacted before anything is written.
import type {DomainEvent} from '../domain/events.js';

export const recordingFormat = 'bxtop-recording';
/** 2: BuildKit's times in statuses are epoch ms. 1 (bxtop before 2026-12) kept them as RFC 3339 strings; still read. */
export const recordingVersion = 2;
export const recordingExtension = '.bxrec';

export type RecordingHeader = {
	format: typeof recordingFormat;
	version: number;
	bxtopVersion: string;
	/** ms since the epoch; every event's `t` is relative to it. */
	startedAt: number;
	startedAtIso: string;
	host: {os: string; arch: string; hostname?: string};
	versions: {docker?: string; buildx?: string; buildkit?: string};
	builder?: string;
	driver?: string;
	/** The bxtop command line, secrets redacted. */
	command: string[];
	mode: string;
	/** Targets or tags, for listing recordings without reading them whole. */
	targets: string[];
	terminal?: {columns: number; rows: number};
};

export type RecordedLine = {t: number; event: DomainEvent};

export function encodeEvent(header: RecordingHeader, event: DomainEvent): string {
	const line: RecordedLine = {t: Math.max(0, event.at - header.startedAt), event};
	return JSON.stringify(line) + '\n';
}

export function isRecordingHeader(value: unknown): value is RecordingHeader {
	return typeof value === 'object' && value !== null && (value as {format?: unknown}).format === recordingFormat;
}
