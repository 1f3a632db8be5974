import {describe, expect, test} from 'vitest';
import {readFileSync, writeFileSync, mkdtempSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {eventCountAt, loadTimeline, stateAfter, checkpointEvery} from '../../source/record/timeline.js';
import {createReplayer} from '../../source/record/replayer.js';
import {createAppStore} from '../../source/state/store.js';
import {manualClock} from '../../source/domain/clock.js';
import {RecordingError} from '../../source/record/reader.js';
import {realDir} from '../helpers/captures.js';
import {sessionFromCapture, writeRecording} from '../helpers/recordings.js';

describe('record and replay', () => {
	test('round trip: the replayed final state equals the live final state', async () => {
		const live = sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson');
		const liveState = reduceAll(initialDomainState, live);
		const file = await writeRecording(live);
		const timeline = await loadTimeline(file);
		expect(timeline.damage).toEqual([]);
		expect(timeline.events).toHaveLength(live.length);
		expect(timeline.final).toEqual(liveState);
		// and through the replayer into a store, as the board sees it
		const store = createAppStore();
		const replayer = createReplayer(timeline, store, {clock: manualClock()});
		replayer.seekToPosition(timeline.endMs - timeline.startMs);
		expect(store.getState().domain).toEqual(liveState);
	});

	test('an event stamped earlier than the one before it (BuildKit time) replays unchanged, positioned by the running maximum', async () => {
		const live = sessionFromCapture('02-warm-multiplatform-oci.stderr.rawjson');
		const middle = Math.floor(live.length / 2);
		live.splice(middle, 0, {type: 'session/warned', at: live[middle - 1]!.at - 500, message: 'stamped half a second early'});
		const timeline = await loadTimeline(await writeRecording(live));
		expect(timeline.events[middle]).toEqual(live[middle]);
		expect(timeline.final).toEqual(reduceAll(initialDomainState, live));
		expect(timeline.times[middle]).toBe(timeline.times[middle - 1]);
		expect(eventCountAt(timeline, timeline.times[middle]!)).toBeGreaterThan(middle);
	});

	test('.gz recordings are written and read', async () => {
		const live = sessionFromCapture('02-warm-multiplatform-oci.stderr.rawjson');
		const file = await writeRecording(live, path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-gz-')), 's.bxrec.gz'));
		expect(readFileSync(file).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
		const timeline = await loadTimeline(file);
		expect(timeline.final).toEqual(reduceAll(initialDomainState, live));
	});

	test('seek: the state after seeking to t equals playing from 0 to t, for many t, forwards and backwards', async () => {
		const live = sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson');
		const timeline = await loadTimeline(await writeRecording(live));
		const store = createAppStore();
		const replayer = createReplayer(timeline, store, {clock: manualClock()});
		const duration = timeline.endMs - timeline.startMs;
		// deterministic pseudo-random positions, jumping back and forth
		let seed = 7;
		const positions = Array.from({length: 60}, () => {
			seed = (seed * 48271) % 2147483647;
			return seed % (duration + 1);
		});
		for (const position of [...positions, 0, duration, Math.floor(duration / 2)]) {
			replayer.seekToPosition(position);
			const played = reduceAll(initialDomainState, timeline.events.filter(e => e.at <= timeline.startMs + position));
			expect(store.getState().domain).toEqual(played);
		}
	});

	test('a seek re-reduces at most checkpointEvery events', async () => {
		const timeline = await loadTimeline(await writeRecording(sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson')));
		expect(timeline.checkpoints.length).toBe(Math.floor(timeline.events.length / checkpointEvery) + 1);
		const count = eventCountAt(timeline, timeline.startMs + 20_000);
		expect(stateAfter(timeline, count)).toEqual(reduceAll(initialDomainState, timeline.events.slice(0, count)));
	});

	test('marks: step starts and build ends, for [ and ]', async () => {
		const timeline = await loadTimeline(await writeRecording(sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson')));
		const store = createAppStore();
		const replayer = createReplayer(timeline, store, {clock: manualClock()});
		expect(timeline.marks.length).toBeGreaterThan(10);
		expect(timeline.marks.every((m, i) => i === 0 || m - timeline.marks[i - 1]! >= 50)).toBe(true);
		replayer.seekToMark(1);
		expect(replayer.positionMs()).toBe(timeline.marks[0]! - timeline.startMs);
		replayer.seekToMark(1);
		expect(replayer.positionMs()).toBe(timeline.marks[1]! - timeline.startMs);
		replayer.seekToMark(-1);
		expect(replayer.positionMs()).toBe(timeline.marks[0]! - timeline.startMs);
	});

	test('a raw buildx capture replays with time from BuildKit timestamps', async () => {
		const timeline = await loadTimeline(path.join(realDir, '01-cold-multiplatform-oci.stderr.rawjson'));
		expect(timeline.kind).toBe('capture');
		expect(timeline.startMs).toBe(Date.parse('2026-11-29T10:41:58.461Z'));
		const rows = timeline.final.builds.byId['01-cold-multiplatform-oci']!;
		expect(rows.status).toBe('done');
		const failed = await loadTimeline(path.join(realDir, '09-fail-multiplatform-rawjson.stderr.rawjson'));
		expect(failed.final.builds.byId['09-fail-multiplatform-rawjson']!.status).toBe('failed');
		// single-platform capture: --platform names it
		const single = await loadTimeline(path.join(realDir, '07-concurrent-per-platform-cold-arm64.stderr.rawjson'), {platform: 'linux/arm64'});
		expect(single.final.builds.byId['07-concurrent-per-platform-cold-arm64']!.spec.platforms).toEqual(['linux/arm64']);
	});
});

describe('damaged recordings', () => {
	async function damaged(transform: (text: string) => string | Buffer, name = 'd.bxrec') {
		const file = await writeRecording(sessionFromCapture('01-cold-multiplatform-oci.stderr.rawjson'));
		const target = path.join(path.dirname(file), name);
		writeFileSync(target, transform(readFileSync(file, 'utf8')));
		return target;
	}

	test('truncated last line: replays up to it and says which line', async () => {
		const file = await damaged(text => text.slice(0, text.length - 40));
		const timeline = await loadTimeline(file);
		const lines = readFileSync(file, 'utf8').split('\n').length;
		expect(timeline.damage).toEqual([{line: lines, reason: 'truncated or malformed JSON'}]);
		expect(timeline.events.length).toBe(lines - 2);
	});

	test('garbage line in the middle: reported, the rest still replays', async () => {
		const file = await damaged(text => {
			const lines = text.split('\n');
			lines.splice(50, 0, 'this is not json');
			return lines.join('\n');
		});
		const timeline = await loadTimeline(file);
		expect(timeline.damage).toEqual([{line: 51, reason: 'not JSON'}]);
		expect(timeline.final.builds.byId.b1!.status).toBe('done');
	});

	test('wrong header, future version, empty file, other file: clear errors', async () => {
		await expect(loadTimeline(await damaged(text => text.replace('"version":2', '"version":99')))).rejects.toThrow(
			/recording format version 99 is newer than this bxtop reads \(2\); upgrade bxtop/,
		);
		await expect(loadTimeline(await damaged(() => ''))).rejects.toThrow(/empty file, not a bxtop recording/);
		await expect(loadTimeline(await damaged(() => 'hello\nworld\n'))).rejects.toThrow(/neither a bxtop recording nor a buildx rawjson capture/);
		await expect(loadTimeline(await damaged(text => text.replace('bxtop-recording', 'something-else')))).rejects.toThrow(RecordingError);
	});

	test('gz truncated: replays what decompresses and reports the abrupt end', async () => {
		const file = await damaged(text => {
			const gz = gzipSync(text);
			return gz.subarray(0, Math.floor(gz.length * 0.6));
		}, 'cut.bxrec.gz');
		const timeline = await loadTimeline(file);
		expect(timeline.events.length).toBeGreaterThan(10);
		expect(timeline.damage.at(-1)!.reason).toMatch(/file ends abruptly|truncated or malformed JSON/);
	});

	test('odd lines (null, a status without status, a partial spec, an infinite time) are reported and skipped; the rest replays', async () => {
		const file = await damaged(text => {
			const lines = text.split('\n');
			lines.splice(5, 0, 'null', '{"t":1,"event":{"type":"build/status-received","at":1,"buildId":"b1"}}', '{"t":1,"event":{"type":"build/queued","at":1795948918461,"spec":{"buildId":"x"}}}', '{"t":1,"event":{"type":"session/warned","at":1e999,"message":"x"}}');
			return lines.join('\n');
		});
		const timeline = await loadTimeline(file);
		expect(timeline.damage).toEqual([
			{line: 6, reason: 'not an event line'},
			{line: 7, reason: 'build/status-received without an object status'},
			{line: 8, reason: 'build/queued: a spec without buildId or target'},
			{line: 9, reason: 'session/warned without a time'},
		]);
		expect(timeline.final.builds.order).toEqual(['b1']); // the partial spec was refused at the edge
		expect(timeline.final.builds.byId.b1!.status).toBe('done');
		expect(Number.isFinite(timeline.endMs)).toBe(true);
	});
});
