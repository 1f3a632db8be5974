// Plain-mode lines for downloads: one when a download starts, one when it finishes, fails or is a cache hit
// (progress is for the board only). Pure: an event in, a line (or nothing) out.
import type {DomainEvent} from '../domain/events.js';
import type {DomainState} from '../state/reducer.js';
import {formatBytes, formatDuration, formatRate} from '../lib/format.js';
import {bytesPair, downloadLabel} from './download-text.js';

/** `[target linux/arm64]`; a shared vertex (`*`) gets only the target. */
export function downloadPrefix(target: string, platform: string): string {
	return platform === '*' ? `[${target}]` : `[${target} ${platform}]`;
}

export function downloadPlainLine(event: DomainEvent, target: string): string | undefined {
	switch (event.type) {
		case 'download/started': {
			const label = downloadLabel({...event, downloadKind: event.kind});
			const size = event.totalBytes !== undefined ? ` (${formatBytes(event.totalBytes)})` : '';
			const verb = event.kind === 'layer-push' ? 'pushing' : 'downloading';
			return `${downloadPrefix(target, event.platform)} ${verb} ${label}${size}`;
		}
		case 'download/finished': {
			const label = downloadLabel({...event, downloadKind: event.kind});
			const approx = event.isEstimate ? '≈' : '';
			const rate = event.bytesPerSecond !== undefined ? `, ${approx}${formatRate(event.bytesPerSecond)}` : '';
			const verb = event.kind === 'layer-push' ? 'pushed' : 'downloaded';
			return `${downloadPrefix(target, event.platform)} ${verb} ${label}: ${approx}${formatBytes(event.sizeBytes)} in ${formatDuration(event.durationMs)}${rate}`;
		}
		case 'download/failed': {
			const label = downloadLabel({...event, downloadKind: event.kind});
			const at = event.doneBytes !== undefined ? ` at ${bytesPair(event.doneBytes, event.totalBytes)}` : '';
			return `${downloadPrefix(target, event.platform)} download of ${label} FAILED after ${formatDuration(event.durationMs)}${at}: ${event.reason}`;
		}
		case 'download/cache-hit': {
			const label = downloadLabel({...event, downloadKind: event.kind});
			const size = event.sizeBytes !== undefined ? ` (${formatBytes(event.sizeBytes)})` : '';
			return `${downloadPrefix(target, event.platform)} ${label}: cached${size}, not downloaded`;
		}
		default:
			return undefined;
	}
}

/** Downloads a `build/exited` ended (the state after the events says which): one FAILED line each. */
export function downloadEndedLines(events: readonly DomainEvent[], state: DomainState): string[] {
	const lines: string[] = [];
	for (const event of events) {
		if (event.type !== 'build/exited') continue;
		const target = state.builds.byId[event.buildId]?.spec.target ?? event.buildId;
		for (const key of state.downloads.order) {
			const r = state.downloads.byKey[key]!;
			if (r.buildId !== event.buildId || !r.isEndedByBuild) continue;
			const label = downloadLabel({...r, downloadKind: r.kind});
			const at = r.doneBytes !== undefined ? ` at ${bytesPair(r.doneBytes, r.totalBytes)}` : '';
			lines.push(`${downloadPrefix(target, r.platform)} download of ${label} FAILED after ${formatDuration(r.durationMs)}${at}: ${r.reason ?? 'build ended'}`);
		}
	}
	return lines;
}
