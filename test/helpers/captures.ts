// Reads the real buildx captures (test/fixtures/real/, copied unchanged from shared/captures) through the same
// path the live source uses, so parser and reducer tests see exactly what a live session would.
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';
import type {BuildSpec, DomainEvent} from '../../source/domain/events.js';
import {createBuildStream} from '../../source/sources/buildx-stream.js';
import {initialDomainState, reduceAll, type DomainState} from '../../source/state/reducer.js';

export const realDir = fileURLToPath(new URL('../fixtures/real/', import.meta.url));
export const syntheticDir = fileURLToPath(new URL('../fixtures/synthetic/', import.meta.url));

export function readReal(name: string): string {
	return readFileSync(path.join(realDir, name), 'utf8');
}

/** Events of one capture, stamped with BuildKit's own timestamps, fed in chunks of `chunkSize` characters. */
export function captureEvents(name: string, spec: Partial<BuildSpec> = {}, chunkSize = 4096, exitCode = 0): DomainEvent[] {
	const text = readReal(name);
	const buildId = spec.buildId ?? 'b1';
	const events: DomainEvent[] = [];
	const fullSpec: BuildSpec = {buildId, target: 'scenario', tags: [], platforms: ['linux/amd64', 'linux/arm64'], argv: [], ...spec};
	events.push({type: 'build/queued', at: 0, spec: fullSpec});
	const stream = createBuildStream({buildId, emit: e => events.push(e)});
	for (let i = 0; i < text.length; i += chunkSize) stream.push(text.slice(i, i + chunkSize));
	stream.end();
	const firstAt = events.find(e => e.at > 0)?.at ?? 0;
	const lastAt = events.reduce((max, e) => Math.max(max, e.at), 0);
	events[0] = {...events[0]!, at: firstAt};
	events.splice(1, 0, {type: 'build/started', at: firstAt, buildId});
	events.push({type: 'build/exited', at: lastAt, buildId, exitCode, isCancelled: false});
	return events;
}

export function captureState(name: string, spec: Partial<BuildSpec> = {}, exitCode = 0): DomainState {
	return reduceAll(initialDomainState, captureEvents(name, spec, 4096, exitCode));
}
