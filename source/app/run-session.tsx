// Wires one session: a store, the pump, the recorder tapping the same events, the UI (Ink board on a TTY, the
// plain reporter otherwise), and the way out (q, Ctrl-C, SIGTERM: stop sources, restore the terminal).
// Live and replay both come through here; they differ only in where events come from.
import React from 'react';
import {render} from 'ink';
import {writeFileSync} from 'node:fs';
import type {Emit} from '../domain/events.js';
import {createAppStore, type AppStore} from '../state/store.js';
import {boardFps, createPump} from '../state/pump.js';
import type {Clock} from '../domain/clock.js';
import {StoreProvider} from './store-context.js';
import {App} from './app.js';
import type {CommandContext} from './commands.js';
import type {Mode} from '../state/keymap.js';
import {createPlainMemory, plainLines} from '../plain/plain-lines.js';
import {exitCodeOf, summarize, type SessionSummary} from '../report/json-summary.js';
import {downloadEndedLines, downloadPlainLine} from '../plain/download-lines.js';
import type {DomainEvent} from '../domain/events.js';
import type {DomainState} from '../state/reducer.js';
import type {Redactor} from '../lib/redact.js';
import {shareSummary} from '../report/share-summary.js';
import {scrubValues} from '../lib/secretlint-scrub.js';
import {sessionRedactor} from '../lib/session-redactor.js';
import {boardColorMode, stripColors} from '../lib/no-color.js';
import {buildLabel} from '../state/selectors.js';
import {installInkRowCache} from '../components/ink-row-cache.js';
import {raiseOptimisationThreshold} from './optimisation-threshold.js';

export type SessionIo = {
	stdout: NodeJS.WriteStream;
	stderr: NodeJS.WriteStream;
	stdin: NodeJS.ReadStream;
};

export type SessionOptions = {
	mode: Mode;
	isPlain: boolean;
	jsonFile?: string;
	clock: Clock;
	io: SessionIo;
	/** Extra listeners of every event (the recorder). */
	taps?: Emit[];
	/**
	 * What the --json summary passes through (the session's secrets, local paths); shapes and paths without one.
	 * Asked at the end: a live build knows its secrets only once docker has answered and the builds are planned.
	 */
	redactor?: () => Redactor;
	/** Starts the sources; resolves when they are all done. `signal` aborts on quit. */
	run: (emit: Emit, signal: AbortSignal, store: AppStore) => Promise<void>;
	replay?: (store: AppStore) => CommandContext['replay'];
	/** Live controls that need the store: prune keys and the prune dialog. */
	controls?: (store: AppStore) => Pick<CommandContext, 'prune' | 'onDialogCommand'>;
	/** Right after the sources finished: the session's last domain events (session/ended). */
	ended?: (emit: Emit, store: AppStore, wasCancelled: boolean, quit: AbortSignal) => Promise<void>;
	/** After the board was held open (TTY) and before the UI closes: stop monitors, close the recorder. */
	finish?: (emit: Emit, store: AppStore) => Promise<void>;
	/** Lines printed under the final board (the comparison with earlier runs). */
	closingLines?: (store: AppStore) => Promise<string[]>;
	/** What the board says until the session starts (a live build draws its first frame while docker is asked). */
	startingLine?: string;
	/** On a terminal, keep the finished board open (logs, timeline, prune) until q. */
	holdAtEnd?: boolean;
	fps?: number;
};

export async function runSession(options: SessionOptions): Promise<{exitCode: number; summary: SessionSummary}> {
	const {io, clock} = options;
	// a live session is a trickle, and TurboFan compiling it function by function costs more than it saves
	if (options.mode === 'live') raiseOptimisationThreshold();
	const isTty = !options.isPlain && io.stdout.isTTY === true;
	// Plain mode prints download lines from the events themselves (start, finish), step lines from the state.
	const store = createAppStore(undefined, isTty ? {} : {onEvents: (events, domain) => printDownloadLines(events, domain, io.stdout)});
	if (options.startingLine !== undefined) store.getState().setUi(() => ({startingLine: options.startingLine}));
	const fps = options.fps ?? boardFps;
	const pump = createPump(store, clock, {taps: options.taps ?? [], isClockSource: options.mode === 'live'});
	const controller = new AbortController();
	let wasCancelled = false;
	const quit = () => {
		wasCancelled = wasCancelled || !sourcesDone;
		controller.abort();
		releaseHold?.();
	};
	let sourcesDone = false;
	let releaseHold: (() => void) | undefined;

	const onSignal = () => quit();
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	process.on('SIGHUP', onSignal);

	let ink: ReturnType<typeof render> | undefined;
	let unsubscribePlain: (() => void) | undefined;
	if (isTty) {
		// incrementalRendering stays off: with Ink 6.8 it left stale header lines on every frame (seen in tmux);
		// the live area is kept shorter than the terminal instead, so a full redraw never clears the screen.
		await installInkRowCache();
		const replay = options.replay?.(store);
		const controls = options.controls?.(store) ?? {};
		ink = render(
			<StoreProvider store={store}>
				<App mode={options.mode} quit={quit} {...(replay ? {replay} : {})} {...controls} />
			</StoreProvider>,
			{stdout: boardColorMode(process.env) === 'strip' ? withoutColors(io.stdout) : io.stdout, stdin: io.stdin, stderr: io.stderr, exitOnCtrlC: false, patchConsole: false, maxFps: fps, incrementalRendering: false},
		);
	} else {
		const memory = createPlainMemory();
		unsubscribePlain = store.subscribe(state => {
			const lines = plainLines(state.domain, memory);
			if (lines.length > 0) io.stdout.write(lines.join('\n') + '\n');
		});
	}

	try {
		await options.run(pump.emit, controller.signal, store);
		sourcesDone = true;
		pump.flush(); // `ended` reads the store: the last build/exited must be in it
		await options.ended?.(pump.emit, store, wasCancelled, controller.signal);
		pump.flush();
		if (isTty && options.holdAtEnd && !controller.signal.aborted) {
			await new Promise<void>(resolve => {
				releaseHold = resolve;
			});
		}
	} finally {
		// close the recorder and stop monitors however the session ended (an error included)
		await options.finish?.(pump.emit, store).catch(error => io.stderr.write(`bxtop: closing the session: ${(error as Error).message}\n`));
		pump.flush();
		pump.stop();
		// A session quit (q) or refused (a preflight's "daemon unreachable") while its starting line showed never
		// started: its board clears itself, and the closing line or the caller's one-line error is all that shows.
		if (endedBeforeStart(store, options)) store.getState().setUi(() => ({isCleared: true}));
		// One more frame so the board shows the final state (cancelled, done) before Ink lets go of the terminal.
		if (ink) await new Promise(resolve => setTimeout(resolve, Math.ceil(1000 / fps) + 20));
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		process.off('SIGHUP', onSignal);
		if (ink) {
			// the cleared board's frame is one empty line: gone too, so the error message is the first thing on screen
			if (store.getState().ui.isCleared) ink.clear();
			ink.unmount();
			await ink.waitUntilExit().catch(() => {});
		}
		unsubscribePlain?.();
	}

	// the one way a session with a starting line ends here without starting (errors are thrown): quit while it showed
	const wasQuitBeforeStart = endedBeforeStart(store, options);
	const summary = summarize(store.getState().domain, {wasQuitBeforeStart});
	if (options.jsonFile) {
		try {
			const [shared] = await scrubValues([shareSummary(summary, options.redactor?.() ?? sessionRedactor())]);
			writeFileSync(options.jsonFile, JSON.stringify(shared, null, 2) + '\n');
		} catch (error) {
			// the builds' own result must not be lost to a bad --json path
			io.stderr.write(`bxtop: could not write --json ${options.jsonFile}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
		}
	}
	const out = isTty ? io.stderr : io.stdout;
	const closing = options.closingLines ? await options.closingLines(store).catch(() => []) : [];
	for (const line of closing) out.write(line + '\n');
	out.write((wasQuitBeforeStart ? 'bxtop: quit before the session started: no build ran' : summaryLine(summary)) + '\n');
	return {exitCode: exitCodeOf(summary), summary};
}

/** A session with a starting line that ended (quit, or refused by preflight) before it started. */
function endedBeforeStart(store: AppStore, options: SessionOptions): boolean {
	return options.startingLine !== undefined && store.getState().domain.session.startedAt === undefined;
}

function printDownloadLines(events: readonly DomainEvent[], domain: DomainState, out: NodeJS.WritableStream): void {
	for (const event of events) {
		if (!event.type.startsWith('download/')) continue;
		const buildId = (event as {buildId?: string}).buildId ?? '';
		const build = domain.builds.byId[buildId];
		const line = downloadPlainLine(event, build ? buildLabel(build) : buildId);
		if (line) out.write(line + '\n');
	}
	for (const line of downloadEndedLines(events, domain)) out.write(line + '\n');
}

export function summaryLine(summary: SessionSummary): string {
	const {counts} = summary;
	const parts = [`${counts.done} done`, `${counts.failed} failed`];
	if (counts.cancelled > 0) parts.push(`${counts.cancelled} cancelled`);
	const wall = summary.wallMs !== undefined ? ` in ${(summary.wallMs / 1000).toFixed(1)}s` : '';
	return `bxtop: ${counts.total} build${counts.total === 1 ? '' : 's'}: ${parts.join(', ')}${wall}`;
}

/** A terminal stream whose writes lose their colours: what Ink gets as stdout under NO_COLOR. */
export function withoutColors(stream: NodeJS.WriteStream): NodeJS.WriteStream {
	return new Proxy(stream, {
		get(target, property) {
			if (property === 'write') {
				return (chunk: unknown, ...rest: unknown[]) =>
					(target.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? stripColors(chunk) : chunk, ...rest);
			}
			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
