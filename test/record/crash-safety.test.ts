// A bxtop killed with SIGKILL leaves a recording that replays up to the last second before the kill. Real bxtop
// process (`watch -` fed a real capture over a pipe, chunk by chunk), real kill -9.
import {describe, expect, test} from 'vitest';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {MalformedJson, RawjsonSplitter, TextLine} from '../../source/lib/rawjson-stream.js';
import {loadTimeline} from '../../source/record/timeline.js';
import {readReal} from '../helpers/captures.js';
import {cliPath} from '../helpers/e2e.js';
import {spawn} from 'node:child_process';

describe('crash safety', () => {
	test('kill -9: every event read more than 1 s before the kill is in the file', async () => {
		const text = readReal('01-cold-multiplatform-oci.stderr.rawjson');
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-kill-')), 'killed.bxrec');
		const child = spawn(process.execPath, [cliPath, 'watch', '-', '--plain', '--record', file], {stdio: ['pipe', 'ignore', 'pipe']});
		const chunkCount = 40;
		const chunkSize = Math.ceil(text.length / chunkCount);
		const written: {at: number; objects: number}[] = [];
		const splitter = new RawjsonSplitter();
		let objects = 0;
		for (let i = 0; i < 30; i++) {
			const chunk = text.slice(i * chunkSize, (i + 1) * chunkSize);
			child.stdin.write(chunk);
			objects += splitter.push(chunk).filter(item => !(item instanceof TextLine) && !(item instanceof MalformedJson)).length;
			written.push({at: Date.now(), objects});
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		const killedAt = Date.now();
		child.kill('SIGKILL');
		await new Promise(resolve => child.on('close', resolve));

		const timeline = await loadTimeline(file);
		const recordedObjects = timeline.events.filter(e => e.type === 'build/status-received').length;
		// what was written (and so read by bxtop) more than one second before the kill
		const due = [...written].reverse().find(w => w.at <= killedAt - 1000)!;
		expect(due.objects).toBeGreaterThan(0);
		expect(recordedObjects).toBeGreaterThanOrEqual(due.objects);
		expect(timeline.kind).toBe('recording');
	});
});
