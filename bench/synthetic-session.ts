// A SYNTHETIC long session for benchmarks (never presented as real): `builds` concurrent builds over
// `durationMs`, each a sequence of steps that log a line every 500 ms, one with a layer pull reporting bytes.
import type {DomainEvent, SolveStatus} from '../source/domain/events.js';
import {encodeEvent, recordingFormat, recordingVersion, type RecordingHeader} from '../source/record/format.js';

export function syntheticSession(options: {builds: number; durationMs: number; startMs?: number}): DomainEvent[] {
	const start = options.startMs ?? Date.parse('2026-01-01T00:00:00Z');
	const events: DomainEvent[] = [{type: 'session/started', at: start, info: {command: ['synthetic'], mode: 'build'}}];
	const perBuild: DomainEvent[][] = [];
	const stepsPerBuild = 24;
	for (let b = 0; b < options.builds; b++) {
		const buildId = `synthetic-${b}`;
		const platform = b % 2 === 0 ? 'linux/amd64' : 'linux/arm64';
		const list: DomainEvent[] = [
			{type: 'build/queued', at: start, spec: {buildId, target: `target-${b >> 1}`, tags: [], platforms: [platform], argv: []}},
			{type: 'build/started', at: start, buildId},
		];
		const stepMs = Math.floor(options.durationMs / stepsPerBuild);
		for (let s = 0; s < stepsPerBuild; s++) {
			const digest = `sha256:${b}-${s}`;
			const name = `[builder ${s + 1}/${stepsPerBuild}] RUN step ${s} of build ${b}`;
			const t0 = start + s * stepMs;
			const status = (at: number, st: SolveStatus): DomainEvent => ({type: 'build/status-received', at, buildId, status: st});
			list.push(status(t0, {vertexes: [{digest, name, started: t0}]}));
			for (let t = t0 + 500, line = 0; t < t0 + stepMs - 1; t += 500, line++) {
				const st: SolveStatus = {logs: [{vertex: digest, stream: 1, text: `step ${s} progress line ${line}: building things\n`, timestamp: t}]};
				if (s === 1) st.statuses = [{id: 'sha256:layer', vertex: digest, name: 'downloading', current: Math.min(800e6, line * 1e6), total: 800e6, timestamp: t, started: t0}];
				list.push(status(t, st));
			}
			list.push(status(t0 + stepMs - 1, {vertexes: [{digest, name, started: t0, completed: t0 + stepMs - 1}]}));
		}
		list.push({type: 'build/exited', at: start + options.durationMs, buildId, exitCode: 0, isCancelled: false});
		perBuild.push(list);
	}
	const merged = perBuild.flat().sort((a, b) => a.at - b.at);
	events.push(...merged, {type: 'session/ended', at: start + options.durationMs, reason: 'completed'});
	return events;
}

/** The synthetic session written as a bxtop recording (what `bxtop replay` reads). */
export function syntheticRecording(options: {builds: number; durationMs: number}): string {
	const events = syntheticSession(options);
	const header: RecordingHeader = {
		format: recordingFormat,
		version: recordingVersion,
		bxtopVersion: 'bench',
		startedAt: events[0]!.at,
		startedAtIso: new Date(events[0]!.at).toISOString(),
		host: {os: 'linux', arch: 'x64'},
		versions: {},
		command: ['bench'],
		mode: 'build',
		targets: ['synthetic'],
	};
	return JSON.stringify(header) + '\n' + events.map(e => encodeEvent(header, e)).join('');
}
