// The raised budget runs in child processes: it changes a V8 flag for the whole process. A loop run 20,000 times is
// optimised under V8's own budget (it reaches it after about 5,000) and not under bxtop's live one; a burst of
// 2,000,000 is optimised under both, so busy code still gets TurboFan in a live session.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {expect, test} from 'vitest';

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

test("a loop that runs a little is optimised under V8's own budget, not under the raised one", () => {
	expect(probe(20_000, false)).toMatchObject({isRaised: false, isOptimised: true});
	expect(probe(20_000, true)).toMatchObject({isRaised: true, isOptimised: false});
});

test('a burst is optimised under the raised budget too', () => {
	expect(probe(2_000_000, true)).toMatchObject({isRaised: true, isOptimised: true});
});
