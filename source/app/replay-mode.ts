// `bxtop replay [FILE]`: a recording (or raw buildx capture, or `.dockerbuild`) played in the same board, or
// printed by the plain reporter with --plain. Without FILE: the recordings in ./recordings, newest first, to pick
// one. `bxtop replay [--builder X] REF`: a BuildKit history record of the builder, the same way.
import {existsSync} from 'node:fs';
import {createInterface} from 'node:readline/promises';
import {systemClock} from '../domain/clock.js';
import {loadTimeline, timelineOf, type Timeline} from '../record/timeline.js';
import type {HistoryTarget} from '../sources/buildx-history.js';
import {looksLikeHistoryRef} from '../lib/history-records.js';
import {takeBuilder, UsageError} from './cli-options.js';
import {createReplayer} from '../record/replayer.js';
import {RecordingError} from '../record/reader.js';
import {listRecordings} from '../record/recordings-list.js';
import {runSession, type SessionIo} from './run-session.js';
import type {SessionFlags} from './cli-options.js';
import {UserFacingError} from '../domain/errors.js';

/** `replay` arguments: a file, nothing (pick a recording), or with `--builder X` (or in ref form) a history REF. */
export async function runReplayArgs(args: readonly string[], flags: SessionFlags, io: SessionIo): Promise<number> {
	const {builder, rest} = takeBuilder(args);
	const [first, ...extra] = rest;
	if (extra.length > 0) throw new UsageError(`replay takes one FILE or REF, not ${rest.length} (${rest.join(' ')})`);
	if (first !== undefined && !existsSync(first) && (builder !== undefined || looksLikeHistoryRef(first))) {
		return runHistoryReplay(first, {...(builder ? {builder} : {})}, flags, io);
	}
	if (builder !== undefined && first === undefined) throw new UsageError('replay --builder X needs a REF (bxtop history lists them)');
	return runReplayCommand(first, flags, io);
}

/** One BuildKit history record, replayed like a recording. */
export async function runHistoryReplay(ref: string, target: HistoryTarget, flags: SessionFlags, io: SessionIo): Promise<number> {
	let timeline: Timeline;
	// loaded here: a history record is read through buildx (execa), a file replay needs none of it
	const {readHistoryRefSession} = await import('../record/history-ref.js');
	try {
		timeline = timelineOf(await readHistoryRefSession(ref, target));
	} catch (error) {
		if (error instanceof RecordingError) throw new UserFacingError(`${ref}: ${error.message.replace(`${ref}: `, '')}`);
		throw error;
	}
	return playTimeline(timeline, flags, io);
}

export async function runReplayCommand(file: string | undefined, flags: SessionFlags, io: SessionIo, dir = 'recordings'): Promise<number> {
	const chosen = file ?? (await pickRecording(dir, io));
	if (!chosen) return 2;
	let timeline: Timeline;
	try {
		timeline = await loadTimeline(chosen, flags.platform ? {platform: flags.platform} : {});
	} catch (error) {
		if (error instanceof RecordingError) throw new UserFacingError(error.message);
		throw error;
	}
	return playTimeline(timeline, flags, io);
}

async function playTimeline(timeline: Timeline, flags: SessionFlags, io: SessionIo): Promise<number> {
	const chosen = timeline.file;
	for (const d of timeline.damage.slice(0, 3)) io.stderr.write(`bxtop: ${chosen}: line ${d.line}: ${d.reason}; replaying what came before\n`);
	if (timeline.damage.length > 3) io.stderr.write(`bxtop: ${chosen}: ${timeline.damage.length - 3} more damaged line(s)\n`);

	const isInteractive = !flags.isPlain && io.stdout.isTTY === true;
	let replayer: ReturnType<typeof createReplayer> | undefined;
	const {exitCode} = await runSession({
		mode: 'replay',
		isPlain: flags.isPlain,
		...(flags.jsonFile ? {jsonFile: flags.jsonFile} : {}),
		clock: systemClock,
		io,
		replay: store => {
			replayer = createReplayer(timeline, store, {clock: systemClock, ...(flags.speed ? {speed: flags.speed} : {})});
			return replayer;
		},
		run: async (_emit, signal, store) => {
			if (!isInteractive) {
				// Plain: the recorded session at full speed, a frame of recorded time at a time, so lines come
				// out in the order a live plain run printed them.
				// Each step lands on the next event's time (at least 100 ms on), so a long idle stretch costs nothing.
				const player = createReplayer(timeline, store, {clock: systemClock});
				const duration = timeline.endMs - timeline.startMs;
				let t = 0;
				for (const event of timeline.events) {
					if (signal.aborted) return;
					const at = event.at - timeline.startMs;
					if (at < t) continue;
					player.seekToPosition(at);
					t = at + 100;
				}
				player.seekToPosition(duration);
				return;
			}
			await replayer!.play(signal);
		},
	});
	// A replay's exit code reflects the recorded builds, so CI can check recordings.
	return exitCode;
}

async function pickRecording(dir: string, io: SessionIo): Promise<string | undefined> {
	const listings = await listRecordings(dir);
	if (listings.length === 0) throw new UserFacingError(`no recordings in ${dir}/: run a build with bxtop first, or give a file`);
	const chosen = await pickOne(io, {
		title: `recordings in ${dir}/ (newest first):`,
		labels: listings.map(l => l.label),
		noTerminal: 'bxtop replay FILE plays one; no terminal to choose here.',
		what: 'recording',
	});
	return chosen === undefined ? undefined : listings[chosen]!.file;
}

/**
 * The picker of `bxtop replay` (recordings) and `bxtop history` (records): a numbered list (at most 20), then on
 * a terminal the question; the index chosen, or undefined without a terminal.
 */
export async function pickOne(io: SessionIo, list: {title: string; labels: string[]; noTerminal: string; what: string}): Promise<number | undefined> {
	io.stdout.write(`${list.title}\n`);
	list.labels.slice(0, 20).forEach((label, i) => io.stdout.write(`  ${String(i + 1).padStart(2)}  ${label}\n`));
	if (!io.stdin.isTTY) {
		io.stdout.write(`${list.noTerminal}\n`);
		return undefined;
	}
	const rl = createInterface({input: io.stdin, output: io.stdout});
	const answer = await rl.question('play which? [1] ');
	rl.close();
	const index = answer.trim() === '' ? 0 : Number(answer) - 1;
	if (!Number.isInteger(index) || index < 0 || index >= list.labels.length) throw new UserFacingError(`no ${list.what} number ${answer.trim()}`);
	return index;
}
