// A live session's recorder (build, bake, watch, attach): the header from the session's facts, and where a recording
// problem goes (stderr until the session runs, then a board warning).
import os from 'node:os';
import type {SessionInfo} from '../domain/events.js';
import type {Redactor} from '../lib/redact.js';
import {bxtopVersion} from '../lib/version.js';
import {recordingFormat, recordingVersion, type RecordingHeader} from './format.js';
import {createRecorder, defaultRecordingName, type Recorder} from './recorder.js';

export type SessionRecorderOptions = {
	info: SessionInfo;
	targets: string[];
	startedAt: number;
	redactor: Redactor;
	/** --record FILE; else recordings/<time>-<targets>.bxrec. */
	file?: string;
	terminal?: {columns: number; rows: number};
};

/** Opens the recording of a live session: its header from the session's facts, then every event through the tap. */
export function openSessionRecorder(options: SessionRecorderOptions): SessionRecorder {
	const {info, targets, startedAt, redactor} = options;
	const file = options.file ?? defaultRecordingName(startedAt, targets);
	const header: RecordingHeader = {
		format: recordingFormat,
		version: recordingVersion,
		bxtopVersion,
		startedAt,
		startedAtIso: new Date(startedAt).toISOString(),
		host: {os: os.platform(), arch: os.arch()},
		versions: {
			...(info.dockerVersion ? {docker: info.dockerVersion} : {}),
			...(info.buildxVersion ? {buildx: info.buildxVersion} : {}),
			...(info.buildkitVersion ? {buildkit: info.buildkitVersion} : {}),
		},
		...(info.builder ? {builder: info.builder} : {}),
		...(info.driver ? {driver: info.driver} : {}),
		command: info.command,
		mode: info.mode,
		targets,
		...(options.terminal ? {terminal: options.terminal} : {}),
	};
	// Until the session runs a recording problem can only go to stderr; then it becomes a visible board warning.
	let warn = (message: string) => {
		process.stderr.write(`bxtop: ${message}\n`);
	};
	const recorder = createRecorder({file, header, redactor, onWarning: message => warn(message)});
	return {
		...recorder,
		setWarn: next => {
			warn = next;
		},
	};
}

export type SessionRecorder = Recorder & {setWarn: (warn: (message: string) => void) => void};

export async function closeRecorder(recorder: SessionRecorder | undefined): Promise<void> {
	if (recorder) await recorder.close();
}
