// A bxtop killed with SIGKILL leaves a recording that replays up to the last second before the kill, and no build
// behind it. Real bxtop processes: `watch -` fed a real capture over a pipe, chunk by chunk; and `bxtop build` of
// a real build on the real daemon, killed mid-step. Real kill -9.
import {describe, expect, test} from 'vitest';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {MalformedJson, RawjsonSplitter, TextLine} from '../../source/lib/rawjson-stream.js';
import {loadTimeline} from '../../source/record/timeline.js';
import {readReal} from '../helpers/captures.js';
import {cliPath, makeContext, nonce, processesMentioning, runCli, startCli, waitFor} from '../helpers/e2e.js';
import {describeDocker} from '../helpers/docker.js';
import {spawn} from 'node:child_process';
import type {SessionSummary} from '../../source/report/json-summary.js';
import {existsSync, readFileSync} from 'node:fs';

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
			// "read" by bxtop: a chunk written while bxtop is still starting (a loaded 2-core CI runner takes seconds)
			// is read when it is up, so the clock of the claim starts once its recording exists
			if (i === 0) await waitFor(() => existsSync(file), 30_000, 'bxtop to open its recording');
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

describeDocker('kill -9 of bxtop mid-build (real daemon)', () => {
	test('no docker or docker-buildx process of it 3 s later; the recording replays up to the kill', {timeout: 90_000}, async () => {
		const id = nonce();
		const context = makeContext([`RUN echo started-${id} && sleep 60 && echo never-${id}`]);
		const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-kill-build-'));
		const file = path.join(dir, 'killed.bxrec');
		const run = startCli(['build', '--plain', '--platform', 'linux/amd64', '--network=none', '--no-cache', '--record', file, context]);
		const isBuildProcess = (line: string) => /docker(-buildx)? buildx build|docker-buildx/.test(line);
		await waitFor(() => processesMentioning(context).filter(isBuildProcess).length >= 2, 30_000, 'docker and docker-buildx to start');
		// the RUN step has printed its first line, and the recorder has written it: the build is mid-step
		const recorded = () => existsSync(file) && readFileSync(file, 'utf8').includes(`started-${id}`);
		await waitFor(recorded, 45_000, 'the RUN step to start and its line to be recorded');
		run.child.kill('SIGKILL');
		await run.done;
		await new Promise(resolve => setTimeout(resolve, 3000));
		expect(processesMentioning(context).filter(isBuildProcess)).toEqual([]);

		const timeline = await loadTimeline(file);
		expect(timeline.kind).toBe('recording');
		const types = new Set(timeline.events.map(e => e.type));
		expect([...types]).toEqual(expect.arrayContaining(['session/started', 'build/queued', 'build/started', 'build/status-received']));
		expect(types.has('build/exited')).toBe(false); // cut at the kill, not finished afterwards
		expect(readFileSync(file, 'utf8')).toContain(`started-${id}`);
		// and it replays: the build as it was at the kill, running its RUN step
		const replay = await runCli(['replay', '--plain', '--json', path.join(dir, 'replayed.json'), file]);
		const replayed = JSON.parse(readFileSync(path.join(dir, 'replayed.json'), 'utf8')) as SessionSummary;
		expect(replay.code).toBe(1);
		expect(replayed.builds.map(b => [b.platform, b.status, b.steps.done < b.steps.total])).toEqual([['linux/amd64', 'running', true]]);
	});
});
