// Writes a recording through the real recorder from a real capture fed through the live parsing path.
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {DomainEvent} from '../../source/domain/events.js';
import {createRecorder} from '../../source/record/recorder.js';
import {recordingFormat, recordingVersion, type RecordingHeader} from '../../source/record/format.js';
import {captureEvents} from './captures.js';

export function headerAt(startedAt: number, targets = ['backend-cpu']): RecordingHeader {
	return {
		format: recordingFormat,
		version: recordingVersion,
		bxtopVersion: 'test',
		startedAt,
		startedAtIso: new Date(startedAt).toISOString(),
		host: {os: 'linux', arch: 'x64'},
		versions: {},
		command: ['build'],
		mode: 'build',
		targets,
	};
}

export async function writeRecording(events: DomainEvent[], file?: string): Promise<string> {
	const target = file ?? path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-rec-')), 'session.bxrec');
	const recorder = createRecorder({file: target, header: headerAt(events[0]!.at)});
	for (const event of events) recorder.tap(event);
	await recorder.close();
	return target;
}

/** A real capture as a whole session: session/started, the build, session/ended. */
export function sessionFromCapture(name: string, platforms = ['linux/amd64', 'linux/arm64'], exitCode = 0): DomainEvent[] {
	const events = captureEvents(name, {platforms, target: 'backend-cpu'}, 4096, exitCode);
	const first = events[0]!.at;
	const last = events[events.length - 1]!.at;
	return [
		{type: 'session/started', at: first, info: {command: ['build'], mode: 'build', builder: 'mybuilder', driver: 'docker-container'}},
		...events,
		{type: 'session/ended', at: last, reason: exitCode === 0 ? 'completed' : 'failed'},
	];
}
