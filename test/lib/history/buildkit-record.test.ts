// BuildKit's history events as the gRPC stream delivers them (real events from this machine's modern stack,
// decoded by @grpc/proto-loader), and the buildx help texts that tell whether `history` exists.
import {expect, test} from 'vitest';
import {isoOf, nameFromAttrs, recordFromWire, withInspect, type WireHistoryEvent} from '../../../source/lib/buildkit-record.js';
import {parseHistoryInspect} from '../../../source/lib/history-records.js';
import {hasHistoryCommand} from '../../../source/lib/buildx-features.js';
import {readReal} from '../../helpers/captures.js';

const events = readReal('modern28-attach-single.listen.stamped.jsonl')
	.trim()
	.split('\n')
	.map(l => JSON.parse(l.slice(l.indexOf(' ') + 1)) as WireHistoryEvent);
const where = {builder: 'default', node: 'default'};

test('a STARTED event (no type on the wire: enum 0) is a running record with BuildKit start time', () => {
	expect(events[0]!.type).toBeUndefined();
	expect(recordFromWire(events[0]!.record!, where)).toEqual({
		ref: 'default/default/27y4pwqzwq4xoxo80e9jblnq5',
		id: '27y4pwqzwq4xoxo80e9jblnq5',
		builder: 'default',
		node: 'default',
		name: '27y4pwqzwq4x',
		status: 'running',
		platforms: [],
		startedAt: '2026-12-01T19:23:59.877364614Z',
		steps: {total: 0, completed: 0, cached: 0},
		origin: 'listen',
	});
});

test('the COMPLETE event carries the counts; history inspect of the same build agrees and names it', () => {
	const completed = recordFromWire(events[1]!.record!, where)!;
	expect(completed).toMatchObject({status: 'completed', completedAt: '2026-12-01T19:24:04.512054313Z', steps: {total: 7, completed: 7, cached: 1}});
	const text = readReal('modern28-attach-single.inspect.json');
	const inspect = parseHistoryInspect(text);
	const merged = withInspect(completed, text);
	expect(merged).toMatchObject({name: 'capctx', status: 'completed', startedAt: inspect.startedAt, completedAt: inspect.completedAt, steps: completed.steps, origin: 'history'});
});

test('errors: gRPC code 1 is a cancelled build, any other a failed one (inspect\'s words); no Ref is no record', () => {
	const base = {Ref: 'x', CreatedAt: {seconds: 1796153039}, CompletedAt: {seconds: 1796153044}};
	expect(recordFromWire({...base, error: {code: 1, message: 'context canceled'}}, where)!.status).toBe('canceled');
	expect(recordFromWire({...base, error: {code: 2, message: 'exit code: 3'}}, where)).toMatchObject({status: 'failed', error: 'exit code: 3'});
	expect(recordFromWire({CreatedAt: {seconds: 1}}, where)).toBeUndefined();
});

test('names before inspect answers, and timestamps as Go prints them', () => {
	expect(nameFromAttrs({'build-arg:BUILDKIT_BUILD_NAME': 'nightly', target: 'x'})).toBe('nightly');
	expect(nameFromAttrs({context: 'lab/scenario/', target: 'runtime'})).toBe('scenario (runtime)');
	expect(nameFromAttrs({filename: 'Dockerfile'})).toBe('');
	expect(isoOf({seconds: 1796150533, nanos: 26762890})).toBe('2026-12-01T18:42:13.02676289Z');
	expect(isoOf({seconds: 1796150533})).toBe('2026-12-01T18:42:13Z');
	expect(isoOf(undefined)).toBeUndefined();
});

test('buildx 0.13.1 prints its own help for `history` (exit 0); 0.29.1 has the command', () => {
	expect(hasHistoryCommand(readReal('old-buildx0131-history-help.txt'))).toBe(false);
	expect(hasHistoryCommand(readReal('modern28-buildx0291-history-help.txt'))).toBe(true);
});
