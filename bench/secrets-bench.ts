// `npm run bench` section "secrets": what redaction costs on the live path, and whether secretlint keeps up with a
// live stream when it runs where the recorder runs it (once per flush, on the batch of events queued since the
// last one). Figures only, side by side in one run; README "Secrets" quotes them.
import {createBuildStream} from '../source/sources/buildx-stream.js';
import {createRedactor, shapeRedactor, type Redactor} from '../source/lib/redact.js';
import {scrubValues} from '../source/lib/secretlint-scrub.js';
import {shareEvent} from '../source/record/share.js';
import type {DomainEvent} from '../source/domain/events.js';

const mb = (bytes: number) => bytes / 1e6;
/** Made-up secret values of the kinds a session knows (a --secret file, build args). */
const sessionValues = ['file-secret-0123456789abcdef', 'hunter2-db-password', 'correct horse battery staple', 'x9Q2-build-arg-value', 'env-secret-value-42'];

/** The events of a stream; stamped by a clock as live does, or (`isTimed`) with BuildKit's own times. */
function eventsOf(text: string, redactor: Redactor, isTimed = false): DomainEvent[] {
	const events: DomainEvent[] = [];
	const stream = createBuildStream({buildId: 'b', emit: event => events.push(event), redactor, ...(isTimed ? {} : {clock: {now: () => 1}})});
	for (let i = 0; i < text.length; i += 65536) stream.push(text.slice(i, i + 65536));
	stream.end();
	return events;
}

function best(rounds: number, run: () => void): number {
	let ms = Infinity;
	for (let i = 0; i < rounds; i++) {
		const start = performance.now();
		run();
		ms = Math.min(ms, performance.now() - start);
	}
	return ms;
}

/** Events grouped as the recorder flushes them: everything within each 500 ms of the stream's own clock. */
function flushBatches(events: DomainEvent[], flushMs = 500): DomainEvent[][] {
	const batches: DomainEvent[][] = [];
	let start = -Infinity;
	for (const event of events) {
		if (event.at - start >= flushMs || batches.length === 0) {
			batches.push([]);
			start = event.at;
		}
		batches.at(-1)!.push(event);
	}
	return batches;
}

/** `repeat`: the live-path figure reads the stream this many times over (small captures time badly alone). */
export async function secretsBench(streams: {label: string; text: string; repeat: number}[], rounds: number): Promise<void> {
	const session = createRedactor(sessionValues, text => text);
	const none: Redactor = {...shapeRedactor, text: t => t, value: v => v, local: t => t, localValue: v => v};
	console.log(`  live path (splitter + normaliser + no reducer), best of ${rounds}: no redaction, shapes, shapes + ${sessionValues.length} known values`);
	for (const {label, text: once, repeat} of streams) {
		const text = once.repeat(repeat);
		// alternating rounds, the best of each kept: a burst of load elsewhere hits all three alike
		let noneMs = Infinity;
		let shapesMs = Infinity;
		let sessionMs = Infinity;
		for (let round = 0; round < rounds; round++) {
			noneMs = Math.min(noneMs, best(1, () => eventsOf(text, none)));
			shapesMs = Math.min(shapesMs, best(1, () => eventsOf(text, shapeRedactor)));
			sessionMs = Math.min(sessionMs, best(1, () => eventsOf(text, session)));
		}
		const bytes = Buffer.byteLength(text);
		const rate = (ms: number) => (mb(bytes) / (ms / 1000)).toFixed(0).padStart(4);
		console.log(`    ${label.padEnd(58)} ${mb(bytes).toFixed(1).padStart(5)} MB  none ${rate(noneMs)} MB/s  shapes ${rate(shapesMs)} MB/s  with values ${rate(sessionMs)} MB/s`);
	}
	console.log('  recorder: the share pass (redactor + path rule) per event, then secretlint once per 500 ms flush');
	for (const {label, text} of streams) {
		const events = eventsOf(text, session, true);
		const encodedBytes = events.reduce((n, e) => n + JSON.stringify(e).length, 0);
		const shareMs = best(rounds, () => {
			for (const event of events) shareEvent(event, session);
		});
		const batches = flushBatches(events);
		await scrubValues(batches[0] ?? []); // loads secretlint once, outside the figures
		let lintMs = Infinity;
		let worstBatchMs = 0;
		for (let round = 0; round < Math.max(3, Math.floor(rounds / 5)); round++) {
			const start = performance.now();
			for (const batch of batches) {
				const batchStart = performance.now();
				await scrubValues(batch);
				worstBatchMs = Math.max(worstBatchMs, performance.now() - batchStart);
			}
			lintMs = Math.min(lintMs, performance.now() - start);
		}
		const stamped = events.filter(e => e.at > 0); // events before BuildKit's first timestamp carry 0
		const streamMs = Math.max(1, (stamped.at(-1)?.at ?? 0) - (stamped[0]?.at ?? 0));
		const lintMbps = mb(encodedBytes) / (lintMs / 1000);
		console.log(
			`    ${label.padEnd(58)} ${events.length} events, ${mb(encodedBytes).toFixed(2)} MB over ${(streamMs / 1000).toFixed(1)} s of build: share ${(mb(encodedBytes) / (shareMs / 1000)).toFixed(0)} MB/s; ` +
				`secretlint ${batches.length} flushes ${lintMs.toFixed(0)} ms (${lintMbps.toFixed(1)} MB/s, worst flush ${worstBatchMs.toFixed(1)} ms) = ${((lintMs / streamMs) * 100).toFixed(2)}% of one core at the build's own pace`,
		);
	}
}

/**
 * secretlint 11's profiler (secretlint/secretlint#1633) makes each call slower than the last: a long session's
 * flushes, 800 small calls, with bxtop's no-op for the profiler's marks and then with the profiler as shipped.
 * Run last: once restored, the profiler keeps its marks (and scans them) for the rest of the process.
 */
export async function longSessionBench(): Promise<void> {
	const {secretLintProfiler} = await import('@secretlint/profiler');
	const calls = 800;
	const run = async () => {
		const ms: number[] = [];
		for (let i = 0; i < calls; i++) {
			const start = performance.now();
			await scrubValues([{type: 'build/text-received', at: i, buildId: 'b', line: `#${i} RUN pip install torch: step ${i} of a long session`}]);
			// the event loop turns between flushes, as in a session: the profiler's observer runs there
			await new Promise(resolve => setImmediate(resolve));
			ms.push(performance.now() - start);
		}
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		return `first 100 calls ${mean(ms.slice(0, 100)).toFixed(2)} ms each, last 100 ${mean(ms.slice(-100)).toFixed(2)} ms each`;
	};
	console.log(`  a long session's flushes (${calls} secretlint calls of one short line, the event loop turning between them)`);
	console.log(`    bxtop (profiler marks dropped):   ${await run()}`);
	delete (secretLintProfiler as {mark?: unknown}).mark; // the prototype's mark again: secretlint as shipped
	console.log(`    secretlint's profiler as shipped: ${await run()}`);
}

