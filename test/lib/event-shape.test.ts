// The edge check of recorded events (lib/event-shape.ts): every event of real recordings passes (bundled ones and
// the lab's version-1 files from a docker-container builder), and each shape the reducers could not take is refused
// with a reason (synthetic lines, named so).
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {checkEvent} from '../../source/lib/event-shape.js';
import {readRecording} from '../../source/record/reader.js';
import {realDir} from '../helpers/captures.js';

const real = [
	path.join(import.meta.dirname, '..', '..', 'recordings', 'demo-backend-cpu-1-cold.bxrec'),
	path.join(import.meta.dirname, '..', '..', 'recordings', 'demo-backend-cpu-2-warm.bxrec'),
	path.join(realDir, 'lab-mybuilder-backend-cpu-1-cold.bxrec'),
	path.join(realDir, 'lab-mybuilder-backend-cpu-2-warm.bxrec'),
];

describe('real recordings pass the edge check whole', () => {
	test.each(real.map(f => [path.basename(f), f]))('%s', async (_name, file) => {
		const {events, damage} = await readRecording(file);
		expect(damage).toEqual([]);
		expect(events.length).toBeGreaterThan(40);
		const types = new Set(events.map(e => e.type));
		for (const type of ['session/started', 'build/queued', 'build/status-received', 'build/exited', 'host/sampled']) expect(types).toContain(type);
	});
});

describe('shapes the reducers cannot take (synthetic)', () => {
	const at = 1_795_948_918_461;
	test.each([
		['null', null, 'not an event'],
		['no time', {type: 'session/warned', message: 'x'}, 'session/warned without a time'],
		['an infinite time', {type: 'session/warned', at: Infinity, message: 'x'}, 'session/warned without a time'],
		['an unknown type', {type: 'mystery/happened', at}, 'event type mystery/happened is unknown to this bxtop'],
		['a status event without its status', {type: 'build/status-received', at, buildId: 'b1'}, 'build/status-received without an object status'],
		['vertexes that are not a list', {type: 'build/status-received', at, buildId: 'b1', status: {vertexes: 'x'}}, "build/status-received: a status whose vertexes are not BuildKit's"],
		['a log without text', {type: 'build/status-received', at, buildId: 'b1', status: {logs: [{vertex: 'v', data: 'aGk='}]}}, "build/status-received: a status whose logs are not BuildKit's"],
		['a partial spec', {type: 'build/queued', at, spec: {buildId: 'x'}}, 'build/queued: a spec without buildId or target'],
		['a spec without lists', {type: 'build/queued', at, spec: {buildId: 'x', target: 'app'}}, 'build/queued: a spec without platform and tag lists'],
		['a stats sample missing', {type: 'stats/sampled', at}, 'stats/sampled without an object sample'],
		['a download without its id', {type: 'download/progressed', at, buildId: 'b1', platform: 'linux/amd64'}, 'download/progressed without a text downloadId'],
	])('%s', (_what, value, reason) => {
		expect(checkEvent(value)).toBe(reason);
	});

	test('a well-formed event comes back as it is', () => {
		const event = {type: 'build/text-received', at, buildId: 'b1', line: 'ERROR: x'};
		expect(checkEvent(event)).toBe(event);
	});
});
