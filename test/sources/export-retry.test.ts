// A build whose image name BuildKit refused ("already exists": another build created it at the same moment) runs
// again, and the board keeps what the first attempt did. The streams are real: one build of a pair that exported the
// same new tag together on dockerd 28 (it lost), and the same build run again right after (tag-race.meta.txt).
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import type {DomainEvent, Emit} from '../../source/domain/events.js';
import {initialDomainState, reduce, type DomainState} from '../../source/state/reducer.js';
import {selectRows} from '../../source/state/selectors.js';
import {createBuildStream} from '../../source/sources/buildx-stream.js';
import {createExportRetry, refusedImageName} from '../../source/sources/export-retry.js';
import {runBuild} from '../../source/sources/build-process.js';
import type {BuildSpec} from '../../source/domain/events.js';

const fixture = (name: string) => path.join(import.meta.dirname, '..', 'fixtures', 'real', name);
const lost = readFileSync(fixture('local-dockerd28-buildx029-tag-race-lost.stderr.rawjson'), 'utf8');
const retried = readFileSync(fixture('local-dockerd28-buildx029-tag-race-retry.stderr.rawjson'), 'utf8');
const failed = readFileSync(fixture('bx029-09-fail-multiplatform-rawjson.stderr.rawjson'), 'utf8');
const refused = 'docker.io/library/race-rj:n2-11093';

const spec: BuildSpec = {buildId: 'b', target: 'race-rj:n2-11093', tags: ['race-rj:n2-11093'], platforms: ['linux/amd64'], argv: []};

function collector(): {emit: Emit; events: DomainEvent[]; state: () => DomainState} {
	const events: DomainEvent[] = [{type: 'build/queued', at: 0, spec}];
	return {
		emit: event => events.push(event),
		events,
		state: () => events.reduce(reduce, initialDomainState),
	};
}

function play(emit: Emit, text: string): void {
	const stream = createBuildStream({buildId: 'b', emit});
	stream.push(text);
	stream.end();
}

describe('export retry over the real streams', () => {
	test('the refusal is recognised in the vertex error and in the ERROR line, nothing else is', () => {
		expect(refusedImageName(`image "${refused}": already exists`)).toBe(refused);
		expect(refusedImageName(`ERROR: failed to build: failed to solve: image "${refused}": already exists`)).toBe(refused);
		expect(refusedImageName('ERROR: failed to build: failed to solve: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3')).toBeUndefined();
	});

	test('lost, then run again: done, the first attempt\'s steps stand (ran, not cached), no error left', () => {
		const {emit, events, state} = collector();
		const retry = createExportRetry(emit);
		const first = retry.attempt();
		play(first.emit, lost);
		expect(first.refusedName()).toBe(refused);
		const second = retry.attempt();
		play(second.emit, retried);
		expect(second.refusedName()).toBeUndefined();
		second.release();
		events.push({type: 'build/exited', at: Date.now(), buildId: 'b', exitCode: 0, isCancelled: false});

		const build = state().builds.byId['b']!;
		expect(build.steps.filter(s => s.error)).toEqual([]);
		expect(build.textLines.filter(l => l.startsWith('ERROR'))).toEqual([]);
		const run = build.steps.find(s => s.name === '[2/2] RUN echo a-2-19227');
		expect(run?.isCached).toBe(false); // it ran in the first attempt; the retry's cached re-send is not shown
		expect(build.steps.filter(s => s.name === '[2/2] RUN echo a-2-19227')).toHaveLength(1);
		const exports = build.steps.filter(s => s.name === 'exporting to image');
		expect(exports).toHaveLength(1);
		expect(exports[0]!.completedMs).toBeDefined();
		const [row] = selectRows(state(), 0);
		expect(row!.status).toBe('done');
		expect(row!.stepsCached).toBeLessThan(row!.stepsTotal);
	});

	test('lost and not run again: what was held back goes out, the row fails on the export as BuildKit said', () => {
		const {emit, events, state} = collector();
		const attempt = createExportRetry(emit).attempt();
		play(attempt.emit, lost);
		const before = state().builds.byId['b']!;
		expect(before.steps.filter(s => s.error)).toEqual([]); // held until the caller knows no retry follows
		attempt.release();
		events.push({type: 'build/exited', at: Date.now(), buildId: 'b', exitCode: 1, isCancelled: false});
		const [row] = selectRows(state(), 0);
		expect(row!.status).toBe('failed');
		expect(row!.failingStep?.name).toBe('exporting to image');
		expect(row!.failingStep?.error).toBe(`image "${refused}": already exists`);
		expect(row!.errorLines.join('\n')).toContain('already exists');
	});
});

/** A `docker` (synthetic, named so: the race cannot be forced on demand) that plays real captures in turn, one per call,
 * to stderr, exiting as the real runs did. */
function replayingDocker(plays: {stderr: string; exitCode: number}[]): {binary: string; calls: () => number} {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-replaying-docker-'));
	plays.forEach((p, i) => writeFileSync(path.join(dir, `${i}.stderr`), p.stderr));
	const counter = path.join(dir, 'calls');
	writeFileSync(counter, '0');
	const codes = plays.map(p => p.exitCode).join(' ');
	const binary = path.join(dir, 'docker');
	writeFileSync(
		binary,
		`#!/bin/sh
n=$(cat '${counter}')
echo $((n + 1)) > '${counter}'
cat "${dir}/$n.stderr" >&2
set -- ${codes}
shift $n
exit $1
`,
	);
	chmodSync(binary, 0o755);
	return {binary, calls: () => Number(readFileSync(counter, 'utf8'))};
}

describe('runBuild runs a refused build again', () => {
	const clock = {now: () => Date.now()};

	test('refused once: a second run, one warning that says why, one start, one exit 0', async () => {
		const docker = replayingDocker([
			{stderr: lost, exitCode: 1},
			{stderr: retried, exitCode: 0},
		]);
		const {emit, events, state} = collector();
		const outcome = await runBuild({spec, dockerArgs: ['buildx', 'build', '.']}, {emit, clock, signal: new AbortController().signal, dockerBinary: docker.binary});
		expect(outcome).toEqual({exitCode: 0, isCancelled: false});
		expect(docker.calls()).toBe(2);
		expect(events.filter(e => e.type === 'build/started')).toHaveLength(1);
		expect(events.filter(e => e.type === 'build/exited')).toMatchObject([{exitCode: 0, isCancelled: false}]);
		const warnings = events.flatMap(e => (e.type === 'session/warned' ? [e.message] : []));
		expect(warnings).toEqual([`race-rj:n2-11093 linux/amd64: another build created ${refused} at the same moment and BuildKit refused the name; every step is done, exporting again`]);
		expect(selectRows(state(), 0)[0]!.status).toBe('done');
		// the first attempt's refusal never reached the board: no errored step, no ERROR line
		const build = state().builds.byId['b']!;
		expect(build.steps.filter(s => s.error)).toEqual([]);
		expect(build.textLines.filter(l => l.startsWith('ERROR'))).toEqual([]);
		expect(build.steps.find(s => s.name === '[2/2] RUN echo a-2-19227')?.isCached).toBe(false);
	});

	test('refused every time: two retries, then the failure as BuildKit said it', async () => {
		const docker = replayingDocker([0, 1, 2].map(() => ({stderr: lost, exitCode: 1})));
		const {emit, state} = collector();
		const outcome = await runBuild({spec, dockerArgs: ['buildx', 'build', '.']}, {emit, clock, signal: new AbortController().signal, dockerBinary: docker.binary});
		expect(outcome.exitCode).toBe(1);
		expect(docker.calls()).toBe(3);
		expect(selectRows(state(), 0)[0]!.failingStep?.error).toBe(`image "${refused}": already exists`);
	});

	test('Ctrl-C after a refusal: no retry, the build ends cancelled', async () => {
		const docker = replayingDocker([
			{stderr: lost, exitCode: 1},
			{stderr: retried, exitCode: 0},
		]);
		const {emit, events, state} = collector();
		const stop = new AbortController();
		const warned: Emit = event => {
			emit(event);
			if (event.type === 'session/warned') setTimeout(() => stop.abort(), 50); // while bxtop waits to retry
		};
		const outcome = await runBuild({spec, dockerArgs: ['buildx', 'build', '.']}, {emit: warned, clock, signal: stop.signal, dockerBinary: docker.binary});
		expect(docker.calls()).toBe(1);
		expect(outcome).toEqual({exitCode: 1, isCancelled: true});
		expect(events.filter(e => e.type === 'build/exited')).toMatchObject([{isCancelled: true}]);
		expect(selectRows(state(), 0)[0]!.status).toBe('cancelled');
	});

	test('any other failure: no retry', async () => {
		const docker = replayingDocker([{stderr: failed, exitCode: 1}]);
		const {emit, events} = collector();
		const outcome = await runBuild({spec, dockerArgs: ['buildx', 'build', '.']}, {emit, clock, signal: new AbortController().signal, dockerBinary: docker.binary});
		expect(outcome.exitCode).toBe(1);
		expect(docker.calls()).toBe(1);
		expect(events.some(e => e.type === 'session/warned')).toBe(false);
	});
});
