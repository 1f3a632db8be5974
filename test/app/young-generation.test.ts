// The cap runs in child processes: it changes a V8 flag for the whole process, and the test runner's own heap is not
// what bxtop's is. The probe keeps enough objects that an uncapped young generation grows to its 32 MB limit.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {expect, test} from 'vitest';

const root = path.join(import.meta.dirname, '..', '..');
type Probe = {isCapped: boolean; maxBytes: number; beforeBytes: number; afterBytes: number; kept: number};
const probe = (...args: string[]): Probe =>
	JSON.parse(execFileSync(process.execPath, [path.join(root, 'scripts', 'run-ts.mjs'), path.join(root, 'test', 'helpers', 'young-generation-probe.ts'), ...args], {encoding: 'utf8'})) as Probe;

test('without the cap, keeping new objects grows the young generation past bxtop\'s cap; with it, it grows no further', () => {
	const free = probe();
	expect(free.kept).toBe(400_000);
	expect(free.afterBytes).toBeGreaterThan(Math.max(free.beforeBytes, free.maxBytes));
	const capped = probe('cap');
	expect(capped.kept).toBe(400_000);
	// (the module runner that loads the probe may already have grown it past the cap: then it stays where it was)
	expect(capped.afterBytes).toBeLessThanOrEqual(Math.max(capped.beforeBytes, capped.maxBytes));
	expect(capped.afterBytes).toBeLessThan(free.afterBytes);
});
