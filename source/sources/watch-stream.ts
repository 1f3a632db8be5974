// `bxtop watch`: one build started elsewhere, read as its rawjson stream (stdin or a file) through the same
// translator as a child build. Without an exit code to go by, buildx's own `ERROR:` line says it failed.
import type {Readable} from 'node:stream';
import type {BuildSpec, Emit} from '../domain/events.js';
import type {Clock} from '../domain/clock.js';
import type {Redactor} from '../lib/redact.js';
import {isBuildxErrorLine} from '../lib/rawjson-stream.js';
import {createBuildStream} from './buildx-stream.js';
import {createDownloadTracker} from './download-tracker.js';

export type WatchOptions = {
	/** utf8 text (setEncoding('utf8') on it: a multi-byte character may straddle two chunks). */
	input: Readable;
	/** How a read failure names the input: "standard input", a file name. */
	inputName: string;
	spec: BuildSpec;
	clock: Clock;
	redactor: Redactor;
};

/** Emits the build's events from queued to exited; resolves at the input's end, on a read error or on abort. */
export async function watchStream(options: WatchOptions, emit: Emit, signal: AbortSignal): Promise<void> {
	const {input, spec, clock, redactor} = options;
	const buildId = spec.buildId;
	emit({type: 'build/queued', at: clock.now(), spec});
	emit({type: 'build/started', at: clock.now(), buildId});
	let sawError = false;
	const watchEmit: Emit = event => {
		if (event.type === 'build/text-received' && isBuildxErrorLine(event.line)) sawError = true;
		emit(event);
	};
	const stream = createBuildStream({buildId, emit: watchEmit, clock, listeners: [createDownloadTracker(spec)], redactor});
	let readError: string | undefined;
	await new Promise<void>(resolve => {
		const stop = () => {
			input.off('data', onData);
			resolve();
		};
		const onData = (chunk: string | Buffer) => stream.push(String(chunk));
		input.on('data', onData);
		input.once('end', stop);
		input.once('error', (error: Error) => {
			readError = `reading ${options.inputName} failed: ${error.message}`;
			stop();
		});
		signal.addEventListener('abort', stop, {once: true});
	});
	stream.end();
	emit({
		type: 'build/exited',
		at: clock.now(),
		buildId,
		exitCode: sawError || readError ? 1 : 0,
		isCancelled: signal.aborted,
		...(readError ? {failure: readError} : {}),
	});
}
