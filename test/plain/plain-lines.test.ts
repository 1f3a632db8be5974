import {describe, expect, test} from 'vitest';
import {captureEvents, captureState} from '../helpers/captures.js';
import {createPlainMemory, plainLines} from '../../source/plain/plain-lines.js';
import {exitCodeOf, summarize} from '../../source/report/json-summary.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';

const both = {platforms: ['linux/amd64', 'linux/arm64'], target: 'backend-cpu'};

describe('plain reporter over real captures', () => {
	test('failing build: step lines, the failure with exit code, buildx error summary, the other platform cancelled', () => {
		const lines = plainLines(captureState('09-fail-multiplatform-rawjson.stderr.rawjson', both, 1), createPlainMemory());
		expect(lines).toContain('[backend-cpu linux/amd64] 5/7 RUN --mount=type=cache,target=/root/.cache/pip     pip install --index-url http://127.0.0.1:8000/simple/ --trusted-host 127.0.0.1         "torch==2.5.1+cpu"         -r requirements.txt CACHED');
		expect(lines).toContain('[backend-cpu linux/amd64] 6/6 RUN python -m app.selftest ERROR: process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1');
		expect(lines).toContain('[backend-cpu linux/arm64] 6/6 RUN python -m app.selftest CANCELLED: process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 137: context canceled: context canceled');
		const tail = lines.slice(-3);
		expect(tail[0]).toMatch(/^\[backend-cpu linux\/amd64\] FAILED after 0\.\ds: \[linux\/amd64 runtime 6\/6\] RUN python -m app\.selftest \(exit code 1\)$/);
		expect(tail[1]).toBe('[backend-cpu linux/amd64]   ERROR: failed to solve: process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1');
		expect(tail[2]).toMatch(/^\[backend-cpu linux\/arm64\] cancelled after 0\.\ds \(11\/12 steps, 10 cached\)$/);
	});

	test('each step line is printed once however often the state changes', () => {
		const events = captureEvents('01-cold-multiplatform-oci.stderr.rawjson', both);
		const memory = createPlainMemory();
		let state = initialDomainState;
		const printed: string[] = [];
		for (const event of events) {
			state = reduceAll(state, [event]);
			printed.push(...plainLines(state, memory));
		}
		const stepLines = printed.filter(l => / \d+\/\d+ /.test(l));
		expect(stepLines).toHaveLength(22);
		expect(new Set(printed).size).toBe(printed.length);
		expect(printed).toContain('[backend-cpu linux/arm64] 5/7 RUN --mount=type=cache,target=/root/.cache/pip     pip install --index-url http://127.0.0.1:8000/simple/ --trusted-host 127.0.0.1         "torch==2.5.1+cpu"         -r requirements.txt 14.4s');
		expect(printed.slice(-2)).toEqual([
			'[backend-cpu linux/amd64] done in 47.1s (11/11 steps, 0 cached)',
			'[backend-cpu linux/arm64] done in 47.1s (11/11 steps, 0 cached)',
		]);
	});

	test('summary JSON: per build x platform outcome, steps, failing step; exit code 1 on failure', () => {
		const summary = summarize(captureState('09-fail-multiplatform-rawjson.stderr.rawjson', both, 1));
		expect(summary.builds.map(b => [b.platform, b.status, b.exitCode, b.steps])).toEqual([
			['linux/amd64', 'failed', 1, {total: 12, done: 11, cached: 10}],
			['linux/arm64', 'cancelled', 1, {total: 12, done: 11, cached: 10}],
		]);
		expect(summary.builds[0]!.failingStep).toEqual({
			name: '[linux/amd64 runtime 6/6] RUN python -m app.selftest',
			exitCode: 1,
			error: 'process "/bin/sh -c python -m app.selftest" did not complete successfully: exit code: 1',
		});
		expect(exitCodeOf(summary)).toBe(1);
		expect(exitCodeOf(summarize(captureState('02-warm-multiplatform-oci.stderr.rawjson', both)))).toBe(0);
	});
});
