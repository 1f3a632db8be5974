// The edge check of recorded events (lib/event-shape.ts): every event of real recordings passes (bundled ones and
// the lab's version-1 files from a docker-container builder), and each shape the reducers could not take is refused
// with a reason (synthetic lines, named so).
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {checkEvent} from '../../source/lib/event-shape.js';
import {readRecording} from '../../source/record/reader.js';
import {realDir} from '../helpers/captures.js';
import type {DomainEvent} from '../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {selectRows} from '../../source/state/selectors.js';
import {selectBuilderView, selectCacheView, selectHostView, selectResourceRows, selectResourceWarnings} from '../../source/state/resource-selectors.js';
import {summarize} from '../../source/report/json-summary.js';
import {createPlainMemory, plainLines} from '../../source/plain/plain-lines.js';
import {createMetricsFold, sessionReport} from '../../source/report/metrics.js';

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
		['a status event without its status', {type: 'build/status-received', at, buildId: 'b1'}, 'build/status-received without an object status'],
		['vertexes that are not a list', {type: 'build/status-received', at, buildId: 'b1', status: {vertexes: 'x'}}, "build/status-received: a status whose vertexes are not BuildKit's"],
		['a log without text', {type: 'build/status-received', at, buildId: 'b1', status: {logs: [{vertex: 'v', data: 'aGk='}]}}, "build/status-received: a status whose logs are not BuildKit's"],
		['a partial spec', {type: 'build/queued', at, spec: {buildId: 'x'}}, 'build/queued: a spec without buildId or target'],
		['a spec without lists', {type: 'build/queued', at, spec: {buildId: 'x', target: 'app'}}, 'build/queued: a spec without platform and tag lists'],
		['a stats sample missing', {type: 'stats/sampled', at}, 'stats/sampled without an object sample'],
		['a vertex whose inputs are not a list', {type: 'build/status-received', at, buildId: 'b1', status: {vertexes: [{digest: 'd', name: 'RUN x', inputs: 'x'}]}}, "build/status-received: a status whose vertexes are not BuildKit's"],
		['a vertex time that is not epoch ms', {type: 'build/status-received', at, buildId: 'b1', status: {vertexes: [{digest: 'd', name: 'RUN x', started: '2026-11-29T10:41:58Z'}]}}, "build/status-received: a status whose vertexes are not BuildKit's"],
		['a record without its step counts', {type: 'build/record-updated', at, buildId: 'b1', record: {ref: 'r'}}, 'build/record-updated: a record without ref, steps or platforms'],
		['a builder without nodes', {type: 'builder/inspected', at, builder: {}, targets: []}, 'builder/inspected: a builder without its node list'],
		['a target that is not one', {type: 'builder/inspected', at, builder: {nodes: []}, targets: [null]}, 'builder/inspected: a target without its node'],
		['a du usage without its records', {type: 'cache/measured', at, builder: 'default', usage: {}}, 'cache/measured: a usage without its largest records'],
		['a download without its id', {type: 'download/progressed', at, buildId: 'b1', platform: 'linux/amd64'}, 'download/progressed without a text downloadId'],
	])('%s', (_what, value, reason) => {
		expect(checkEvent(value)).toBe(reason);
	});

	test('format 1 (times as RFC 3339 text): a time that is not text is refused; the others become epoch ms, one that does not parse is left out', () => {
		const v1 = (vertex: object) => ({type: 'build/status-received', at, buildId: 'b1', status: {vertexes: [{digest: 'd', name: 'RUN x', ...vertex}]}});
		expect(checkEvent(v1({started: 5}), 'rfc3339')).toBe("build/status-received: a status whose vertexes are not BuildKit's");
		const read = checkEvent(v1({started: '2026-11-29T10:41:58.460997895Z', completed: 'not a time'}), 'rfc3339') as Extract<DomainEvent, {type: 'build/status-received'}>;
		expect(read.status.vertexes).toEqual([{digest: 'd', name: 'RUN x', started: Date.parse('2026-11-29T10:41:58.460Z')}]);
	});

	test('a type this bxtop does not know (a newer one wrote it) is skipped quietly, not damage', () => {
		expect(checkEvent({type: 'mystery/happened', at})).toBeUndefined();
	});

	test('a well-formed event comes back as it is', () => {
		const event = {type: 'build/text-received', at, buildId: 'b1', line: 'ERROR: x'};
		expect(checkEvent(event)).toBe(event);
	});
});

describe('every event the edge accepts goes through the core without throwing (synthetic minimal events)', () => {
	const at = 1_795_948_918_461;
	const spec = {buildId: 'b1', target: 'app', platforms: ['linux/amd64'], tags: [], argv: []};
	const d = {buildId: 'b1', platform: 'linux/amd64', downloadId: 'x', package: 'torch'};
	// the fewest fields each type may carry and still pass checkEvent
	const minimal: Record<DomainEvent['type'], Record<string, unknown>> = {
		'session/started': {info: {}},
		'session/info-updated': {info: {}},
		'session/warned': {message: 'm'},
		'session/ended': {reason: 'completed'},
		'build/queued': {spec},
		'build/started': {buildId: 'b1'},
		'build/status-received': {buildId: 'b1', status: {vertexes: [{digest: 'd', name: '[1/1] RUN x'}], statuses: [{id: 's', vertex: 'd'}], logs: [{vertex: 'd', text: 'hi\n'}], warnings: [{vertex: 'd', short: 'w'}]}},
		'build/text-received': {buildId: 'b1', line: 'ERROR: x'},
		'build/parse-failed': {buildId: 'b1', message: 'm', snippet: 's'},
		'build/record-updated': {buildId: 'b1', record: {ref: 'r', steps: {total: 0, completed: 0, cached: 0}, platforms: []}},
		'build/exited': {buildId: 'b1'},
		'builder/inspected': {builder: {nodes: [{name: 'n', platforms: []}]}, targets: [{node: 'n'}]},
		'builder/inspect-failed': {message: 'm'},
		'stats/sampled': {sample: {}},
		'stats/unavailable': {node: 'n', message: 'm'},
		'host/sampled': {host: {}},
		'sampling/stopped': {},
		'cache/measured': {builder: 'default', usage: {largest: []}},
		'cache/measure-failed': {builder: 'default', message: 'm'},
		'prune/started': {pruneId: 'p', builder: 'default', argv: []},
		'prune/progressed': {pruneId: 'p'},
		'prune/finished': {pruneId: 'p'},
		'prune/failed': {pruneId: 'p', message: 'm'},
		'image/measured': {buildId: 'b1', platform: 'linux/amd64'},
		'image/not-measured': {buildId: 'b1', reason: 'r'},
		'download/started': d,
		'download/progressed': d,
		'download/finished': d,
		'download/failed': d,
		'download/cache-hit': d,
	};

	test.each(Object.entries(minimal))('%s', (type, fields) => {
		const event = checkEvent({type, at: at + 10, ...fields});
		expect(typeof event).toBe('object');
		const events = [{type: 'build/queued', at, spec} as DomainEvent, event as DomainEvent];
		const state = reduceAll(initialDomainState, events);
		expect(() => [selectRows(state, at + 20), selectResourceRows(state, at + 20), selectBuilderView(state), selectHostView(state), selectCacheView(state, at + 20), selectResourceWarnings(state, at + 20), summarize(state), plainLines(state, createPlainMemory())]).not.toThrow();
		const fold = createMetricsFold();
		for (const e of events) fold.add(e);
		expect(() => sessionReport(fold.state(), {file: 'x', damage: []})).not.toThrow();
	});
});
