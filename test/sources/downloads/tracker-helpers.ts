// Feeds a capture (real or synthetic rawjson) through createBuildStream with the download tracker, the live path.
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {realDir, syntheticDir} from '../../helpers/captures.js';
import {createBuildStream} from '../../../source/sources/buildx-stream.js';
import {createDownloadTracker, type DownloadTrackerOptions} from '../../../source/sources/download-tracker.js';
import type {BuildSpec, DomainEvent} from '../../../source/domain/events.js';
import type {DownloadEvent} from '../../../source/domain/downloads-events.js';

export function specOf(platforms: string[], buildId = 'b1'): BuildSpec {
	return {buildId, target: 'scenario', tags: [], platforms, argv: []};
}

export function readFixture(name: string): string {
	return readFileSync(path.join(name.startsWith('synthetic-') ? syntheticDir : realDir, name), 'utf8');
}

/** All events (build and download) of a fixture fed in `chunkSize`-character pieces. */
export function trackFixture(name: string, platforms: string[], chunkSize = 4096, options: DownloadTrackerOptions = {}): DomainEvent[] {
	const spec = specOf(platforms);
	const events: DomainEvent[] = [{type: 'build/queued', at: 0, spec}];
	const stream = createBuildStream({buildId: spec.buildId, emit: e => events.push(e), listeners: [createDownloadTracker(spec, options)]});
	const text = readFixture(name);
	for (let i = 0; i < text.length; i += chunkSize) stream.push(text.slice(i, i + chunkSize));
	stream.end();
	return events;
}

export function downloadEvents(events: DomainEvent[]): DownloadEvent[] {
	return events.filter((e): e is DownloadEvent => e.type.startsWith('download/'));
}

/** Compact view for exact comparisons: type, time relative to `base`, and the fields given. */
export function brief(events: DownloadEvent[], base: number): Record<string, unknown>[] {
	return events.map(e => {
		const out: Record<string, unknown> = {type: e.type.slice('download/'.length), t: e.at - base, platform: e.platform, id: e.downloadId};
		for (const key of ['package', 'version', 'totalBytes', 'doneBytes', 'sizeBytes', 'durationMs', 'bytesPerSecond', 'etaMs', 'source', 'reason'] as const) {
			const value = (e as Record<string, unknown>)[key];
			if (value !== undefined) out[key] = value;
		}
		return out;
	});
}
