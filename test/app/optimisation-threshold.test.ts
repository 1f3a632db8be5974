// The raised budget runs in child processes: it changes a V8 flag for the whole process. A loop run 20,000 times is
// optimised under V8's own budget (it reaches it after about 5,000) and not under bxtop's live one; a burst of
// 2,000,000 is optimised under both, so busy code still gets TurboFan in a live session. On a V8 other than 11
// (Node 20's) bxtop leaves the budget alone, and the probes are skipped.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {expect, test} from 'vitest';
import {hasMeasuredTiering, liveInterruptBudget} from '../../source/app/optimisation-threshold.js';

const root = path.join(import.meta.dirname, '..', '..');
type Probe = {iterations: number; isRaised: boolean; isOptimised: boolean};
const probe = (iterations: number, raise: boolean): Probe =>
	JSON.parse(
		execFileSync(
			process.execPath,
			['--allow-natives-syntax', '--no-concurrent-recompilation', path.join(root, 'scripts', 'run-ts.mjs'), path.join(root, 'test', 'helpers', 'optimisation-probe.ts'), String(iterations), ...(raise ? ['raise'] : [])],
			{encoding: 'utf8'},
		).trim().split('\n').at(-1)!,
	) as Probe;

const onMeasuredV8 = test.runIf(hasMeasuredTiering());

test('the budget is raised on V8 11 only', () => {
	expect(hasMeasuredTiering('11.3.244.8-node.38')).toBe(true);
	expect(hasMeasuredTiering('12.4.254.21-node.33')).toBe(false);
	expect(hasMeasuredTiering('13.6.233.10-node.28')).toBe(false);
});

onMeasuredV8("a loop that runs a little is optimised under V8's own budget, not under the raised one", () => {
	expect(probe(20_000, false)).toMatchObject({isRaised: false, isOptimised: true});
	expect(probe(20_000, true)).toMatchObject({isRaised: true, isOptimised: false});
});

onMeasuredV8('a burst is optimised under the raised budget too', () => {
	expect(probe(2_000_000, true)).toMatchObject({isRaised: true, isOptimised: true});
});

onMeasuredV8('a live session raises the budget, a replay session does not (runSession, in a child process)', () => {
	const session = (mode: 'live' | 'replay') =>
		JSON.parse(
			execFileSync(process.execPath, [path.join(root, 'scripts', 'run-ts.mjs'), path.join(root, 'test', 'helpers', 'session-budget-probe.ts'), mode], {encoding: 'utf8'}).trim().split('\n').at(-1)!,
		) as {mode: string; budget: number | null};
	expect(session('live')).toEqual({mode: 'live', budget: liveInterruptBudget});
	expect(session('replay')).toEqual({mode: 'replay', budget: null});
}, 60_000);
