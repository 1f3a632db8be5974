// Endpoints node:http cannot reach (ssh://) fall back to one long-lived `docker stats` process. A fake docker
// replays the real multinode capture's lines for node multinode1 (read through docker context node2).
import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {runContainerStats} from '../../../source/sources/container-stats.js';
import {realDir} from '../../helpers/captures.js';
import {fakeDocker} from './fake-docker.js';

describe('docker stats fallback (ssh endpoint)', () => {
	it('turns the stream of one container into samples, then says why it stopped', async () => {
		const lines = readFileSync(`${realDir}15-multinode-multiplatform.docker-stats.jsonl`, 'latin1')
			.split('\n')
			.filter(l => l.includes('buildx_buildkit_multinode1'));
		const file = path.join(mkdtempSync(path.join(tmpdir(), 'bxtop-stats-')), 'node1.jsonl');
		writeFileSync(file, lines.map(l => `\u001B[J\u001B[H${l}`).join('\n') + '\n', 'latin1');
		const docker = fakeDocker([
			{match: '--context node2 stats --format {{json .}} buildx_buildkit_multinode1', stdoutFile: file, stderr: 'error: lost connection to ssh://me@builder', exitCode: 1},
		]);
		const events: DomainEvent[] = [];
		const controller = new AbortController();
		let now = 0;
		const done = runContainerStats({
			node: 'multinode1',
			container: 'buildx_buildkit_multinode1',
			endpoint: {host: 'ssh://me@builder', origin: 'context node2', contextName: 'node2'},
			emit: e => {
				events.push(e);
				if (e.type === 'stats/unavailable') controller.abort();
			},
			signal: controller.signal,
			clock: {now: () => (now += 1000)},
			retryMs: [10],
			env: docker.env,
		});
		await done;
		const samples = events.filter((e): e is Extract<DomainEvent, {type: 'stats/sampled'}> => e.type === 'stats/sampled');
		expect(samples.length).toBe(12);
		expect(samples.map(s => s.sample.cpuPercent)).toEqual([100.27, 99.23, 100.66, 100.99, 99.05, 98.62, 27.09, 32.26, 100.29, 94.82, 0.03, 3.26]);
		expect(samples[11]!.sample).toMatchObject({source: 'docker-stats', memoryBytes: 261_829_427, pids: 12, netRxBytesPerSecond: 0});
		expect(events[events.length - 1]).toMatchObject({type: 'stats/unavailable', reason: 'error', message: 'error: lost connection to ssh://me@builder'});
	});
});
