// End to end against the real daemon: a real `docker buildx build` whose RUN step runs real pip (Debian bookworm's
// 23.0.1, image bxtop/python:amd64 from .ci/make-python-image.sh) against a throttled PEP 503 index on 127.0.0.1
// serving a 50 MB wheel made at test time. The build's rawjson stderr goes through createBuildStream with the
// download tracker, exactly as live; the reported size and average rate are checked against what the server saw.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, expect, it} from 'vitest';
import {describeDocker} from '../helpers/docker.js';
import {createBuildStream} from '../../source/sources/buildx-stream.js';
import {createDownloadTracker} from '../../source/sources/download-tracker.js';
import type {BuildSpec, DomainEvent} from '../../source/domain/events.js';
import type {DownloadFinishedEvent, DownloadStartedEvent} from '../../source/domain/downloads-events.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {selectDownloadSummaries} from '../../source/state/download-selectors.js';
import {makeWheel, startThrottledIndex, type ThrottledIndex} from './downloads-index.js';

const image = 'bxtop/python:amd64';
// pip 23 prints sizes to 0.1 MB: an exact multiple makes "size equals the served file" a byte-exact claim.
const wheelBytes = 50_000_000;
const bytesPerSecond = 10_000_000;
const isCi = process.env.CI === 'true' || process.env.CI === '1';

function hasImage(): boolean {
	try {
		execFileSync('docker', ['image', 'inspect', image], {stdio: 'pipe', timeout: 15_000});
		return true;
	} catch {
		return false;
	}
}

describeDocker('download tracking against a real build with real pip', () => {
	let index: ThrottledIndex;
	let context: string;
	const imageReady = hasImage();
	if (!imageReady) {
		const reason = `${image} missing: run .ci/make-python-image.sh`;
		if (isCi) it('has the python base image', () => expect.fail(reason));
		else it.skip(`skipped: ${reason}`, () => {});
		return;
	}

	beforeAll(async () => {
		const wheel = makeWheel({name: 'torch', version: '2.5.1+cpu', tag: 'cp311-cp311-linux_x86_64', sizeBytes: wheelBytes});
		index = await startThrottledIndex([{project: 'torch', wheel}], bytesPerSecond);
		context = mkdtempSync(path.join(tmpdir(), 'bxtop-e2e-downloads-'));
		writeFileSync(
			path.join(context, 'Dockerfile'),
			[
				`FROM ${image}`,
				'ARG INDEX_URL',
				// --no-cache-dir: pip's HTTP cache would write the body again after the last byte, inside the timing.
				'RUN python3 -m pip download --no-deps --no-cache-dir --dest /tmp/wheels --index-url "$INDEX_URL" "torch==2.5.1+cpu" && ls -l /tmp/wheels',
				'',
			].join('\n'),
		);
	});

	afterAll(async () => {
		await index?.close();
		if (context) rmSync(context, {recursive: true, force: true});
	});

	it('reports the served size and an average rate within 10% of the server-side rate', {timeout: 300_000}, async () => {
		const spec: BuildSpec = {buildId: 'e2e', target: 'downloads', tags: [], platforms: ['linux/amd64'], argv: []};
		const events: DomainEvent[] = [];
		const stream = createBuildStream({buildId: spec.buildId, emit: e => events.push(e), listeners: [createDownloadTracker(spec)]});
		const child = execa(
			'docker',
			[
				'buildx',
				'build',
				'--progress=rawjson',
				'--network=host',
				'--no-cache',
				'--platform',
				'linux/amd64',
				'--output',
				'type=cacheonly',
				'--build-arg',
				`INDEX_URL=${index.url}`,
				context,
			],
			{reject: false, stdout: 'ignore', stderr: 'pipe', encoding: 'utf8', timeout: 240_000},
		);
		child.stderr!.setEncoding('utf8');
		child.stderr!.on('data', (chunk: string) => stream.push(chunk));
		const result = await child;
		stream.end();
		expect(result.exitCode, `build failed: ${tailText(events)}`).toBe(0);

		const transfer = index.transfers.find(t => t.file === 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl');
		expect(transfer?.finishedAt).toBeDefined();
		expect(transfer!.bytes).toBe(wheelBytes);
		const serverRate = (wheelBytes * 1000) / (transfer!.finishedAt! - transfer!.startedAt);

		const startedEvents = events.filter((e): e is DownloadStartedEvent => e.type === 'download/started' && e.tool === 'pip');
		const finishedEvents = events.filter((e): e is DownloadFinishedEvent => e.type === 'download/finished' && e.tool === 'pip');
		expect(startedEvents).toHaveLength(1);
		expect(finishedEvents).toHaveLength(1);
		const started = startedEvents[0]!;
		const finished = finishedEvents[0]!;
		expect(started).toMatchObject({
			buildId: 'e2e',
			platform: 'linux/amd64',
			package: 'torch',
			version: '2.5.1+cpu',
			file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
			url: `http://127.0.0.1:${index.port}/files/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl`,
			totalBytes: wheelBytes,
			kind: 'wheel',
			source: 'pip-log',
		});
		expect(finished).toMatchObject({package: 'torch', version: '2.5.1+cpu', sizeBytes: wheelBytes, source: 'pip-bar', isEstimate: false});
		expect(finished.durationMs).toBe(finished.at - finished.startedAt);
		const error = Math.abs(finished.bytesPerSecond! - serverRate) / serverRate;
		console.log(
			`[e2e downloads] tracker ${finished.bytesPerSecond} B/s over ${finished.durationMs} ms; server ${Math.round(serverRate)} B/s over ${
				transfer!.finishedAt! - transfer!.startedAt
			} ms; difference ${(error * 100).toFixed(1)}%`,
		);
		expect(error).toBeLessThan(0.1);

		// The same events through the reducer give the --json summary's entry.
		const state = reduceAll(initialDomainState, [{type: 'build/queued', at: 0, spec}, ...events]);
		const summary = selectDownloadSummaries(state).filter(d => d.tool === 'pip');
		expect(summary).toEqual([
			{
				buildId: 'e2e',
				platform: 'linux/amd64',
				package: 'torch',
				version: '2.5.1+cpu',
				file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
				kind: 'wheel',
				tool: 'pip',
				status: 'done',
				sizeBytes: wheelBytes,
				isSizeRounded: true,
				startedAt: finished.startedAt,
				durationMs: finished.durationMs,
				bytesPerSecond: finished.bytesPerSecond,
				source: 'pip-bar',
				isEstimate: false,
			},
		]);
	});
});

function tailText(events: DomainEvent[]): string {
	return events
		.filter((e): e is Extract<DomainEvent, {type: 'build/text-received'}> => e.type === 'build/text-received')
		.slice(-10)
		.map(e => e.line)
		.join('\n');
}
