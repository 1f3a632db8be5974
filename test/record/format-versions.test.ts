// Recordings of format 1 (BuildKit's times in statuses as RFC 3339 text: every recording bxtop wrote before format 2)
// still read, with their times in epoch ms, and report to the same figures as the same session written as format 2.
// Inputs: the REAL bxtop recordings kept in the repository (./recordings) and the lab's (test/fixtures/real/lab-*).
import {mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, test} from 'vitest';
import {readRecording} from '../../source/record/reader.js';
import {encodeEvent, recordingVersion} from '../../source/record/format.js';
import {summarizeRecording} from '../../source/report/metrics.js';
import type {SolveStatus} from '../../source/domain/events.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const formatOne = [
	...readdirSync(path.join(root, 'recordings')).filter(n => n.endsWith('.bxrec')).map(n => path.join('recordings', n)),
	...readdirSync(path.join(root, 'test/fixtures/real')).filter(n => n.startsWith('lab-') && n.endsWith('.bxrec')).map(n => path.join('test/fixtures/real', n)),
];
const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-format-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** Every time of a status, in order: [field, value]. */
function timesOf(status: SolveStatus | Record<string, unknown>): unknown[] {
	const s = status as Record<string, Record<string, unknown>[] | undefined>;
	return [
		...(s['vertexes'] ?? []).flatMap(v => [v['started'], v['completed']]),
		...(s['statuses'] ?? []).flatMap(v => [v['timestamp'], v['started'], v['completed']]),
		...(s['logs'] ?? []).map(v => v['timestamp']),
	].filter(t => t !== undefined);
}

describe.each(formatOne)('%s (format 1)', file => {
	const absolute = path.join(root, file);

	test('reads with each BuildKit time in epoch ms, equal to Date.parse of the text it kept', async () => {
		const lines = readFileSync(absolute, 'utf8').split('\n').filter(Boolean);
		expect(JSON.parse(lines[0]!).version).toBe(1);
		const rawStatuses = lines.slice(1).map(l => JSON.parse(l).event).filter(e => e.type === 'build/status-received');
		const {events, damage} = await readRecording(absolute);
		expect(damage).toEqual([]);
		const statuses = events.filter(e => e.type === 'build/status-received');
		expect(statuses.length).toBe(rawStatuses.length);
		expect(statuses.length).toBeGreaterThan(10);
		const raw = rawStatuses.flatMap(e => timesOf(e.status)) as string[];
		const read = statuses.flatMap(e => timesOf(e.status));
		expect(raw.length).toBeGreaterThan(10);
		expect(raw.every(t => typeof t === 'string')).toBe(true);
		expect(read).toEqual(raw.map(t => Date.parse(t)));
	});

	// the conversion itself is checked above, and by the golden reports over ./recordings, which did not change
	test('reports to the same figures as its events written back as format 2 (the round trip of format 2)', async () => {
		const {header, events} = await readRecording(absolute);
		const rewritten = path.join(dir, path.basename(file));
		const v2 = {...header, version: recordingVersion};
		writeFileSync(rewritten, JSON.stringify(v2) + '\n' + events.map(e => encodeEvent(v2, e)).join(''));
		expect(recordingVersion).toBe(2);
		const [before, after] = [await summarizeRecording(absolute), await summarizeRecording(rewritten)];
		expect({...after, file: before.file}).toEqual(before);
		expect(before.builds.length).toBeGreaterThan(0);
	});
});
