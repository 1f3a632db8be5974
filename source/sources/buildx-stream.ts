// Turns one build's rawjson stderr (any chunking) into build events. Shared by the live child process, `watch -`
// (stdin) and raw-capture replay, so all three read buildx output the same way.
import type {DomainEvent, Emit, SolveStatus} from '../domain/events.js';
import {MalformedJson, RawjsonSplitter, TextLine, type RawjsonItem} from '../lib/rawjson-stream.js';
import {SolveStatusNormalizer} from '../lib/solve-status.js';
import {shapeRedactor, type Redactor} from '../lib/redact.js';
import type {Clock} from '../domain/clock.js';

export type StatusListener = (status: SolveStatus, at: number) => DomainEvent[];

export type BuildStreamOptions = {
	buildId: string;
	emit: Emit;
	/** Live: stamp events with the clock. Capture replay: stamp with the newest BuildKit timestamp seen. */
	clock?: Clock;
	/** Extra translators fed every status (the download tracker); their events follow the status event. */
	listeners?: StatusListener[];
	/** The session's redactor (its known secret values); credential shapes only without one. */
	redactor?: Redactor;
};

export type BuildStream = {push: (chunk: string) => void; end: () => void};

export function createBuildStream(options: BuildStreamOptions): BuildStream {
	const {buildId, emit, clock, listeners = [], redactor = shapeRedactor} = options;
	const splitter = new RawjsonSplitter();
	const normalizer = new SolveStatusNormalizer(redactor);
	let lastAt = 0;

	const stamp = (status?: SolveStatus): number => {
		if (clock) return clock.now();
		const latest = status ? latestTimestamp(status) : undefined;
		if (latest !== undefined && latest > lastAt) lastAt = latest;
		return lastAt;
	};

	const handle = (items: RawjsonItem[]) => {
		for (const item of items) {
			if (item instanceof TextLine) {
				emit({type: 'build/text-received', at: stamp(), buildId, line: redactor.local(item.line)});
			} else if (item instanceof MalformedJson) {
				emit({type: 'build/parse-failed', at: stamp(), buildId, message: item.message, snippet: redactor.text(item.snippet)});
			} else {
				const status = normalizer.statusOf(item);
				if (status) emitStatus(status, stamp(status));
			}
		}
	};

	const emitStatus = (status: SolveStatus, at: number) => {
		emit({type: 'build/status-received', at, buildId, status});
		for (const listen of listeners) for (const event of listen(status, at)) emit(event);
	};

	return {
		push: chunk => handle(splitter.push(chunk)),
		end: () => {
			handle(splitter.end());
			const rest = normalizer.flush(); // log text held back for redaction, of vertexes that never completed
			if (rest) emitStatus(rest, stamp(rest));
		},
	};
}

/** The newest BuildKit timestamp in a status: when BuildKit says this happened. */
export function latestTimestamp(status: SolveStatus): number | undefined {
	let latest: number | undefined;
	const consider = (ms: number | undefined) => {
		if (ms !== undefined && (latest === undefined || ms > latest)) latest = ms;
	};
	for (const v of status.vertexes ?? []) {
		consider(v.started);
		consider(v.completed);
	}
	for (const s of status.statuses ?? []) {
		consider(s.timestamp);
		consider(s.completed);
	}
	for (const l of status.logs ?? []) consider(l.timestamp);
	return latest;
}
