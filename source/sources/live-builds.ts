// Runs the planned child builds, at most `concurrency` at once, every one queued on the board from the start.
import type {Emit} from '../domain/events.js';
import type {Clock} from '../domain/clock.js';
import {runBuild} from './build-process.js';
import type {ChildBuild} from '../domain/child-build.js';
import {createDownloadTracker} from './download-tracker.js';
import type {Redactor} from '../lib/redact.js';

export type LiveBuildsOptions = {
	emit: Emit;
	clock: Clock;
	signal: AbortSignal;
	concurrency?: number;
	/** Called after each build ends (refresh du, measure the image). */
	onBuildEnd?: (child: ChildBuild, exitCode: number | null) => void | Promise<void>;
	graceMs?: number;
	/** The session's redactor (its known secret values). */
	redactor?: Redactor;
};

export async function runLiveBuilds(children: ChildBuild[], options: LiveBuildsOptions): Promise<void> {
	const {emit, clock, signal} = options;
	for (const child of children) emit({type: 'build/queued', at: clock.now(), spec: child.spec});
	const limit = Math.max(1, options.concurrency ?? children.length);
	let next = 0;
	const worker = async () => {
		while (next < children.length) {
			const child = children[next++]!;
			const outcome = await runBuild(child, {
				emit,
				clock,
				signal,
				listeners: [createDownloadTracker(child.spec)],
				...(options.graceMs !== undefined ? {graceMs: options.graceMs} : {}),
				...(options.redactor ? {redactor: options.redactor} : {}),
			});
			await options.onBuildEnd?.(child, outcome.exitCode);
		}
	};
	await Promise.all(Array.from({length: Math.min(limit, children.length)}, worker));
}
