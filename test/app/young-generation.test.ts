// The cap runs in child processes: it changes a V8 flag for the whole process, and the test runner's own heap is not
// what bxtop's is. The probe keeps enough objects that an uncapped young generation grows to its 32 MB limit.
import {execFileSync} from 'node:child_process';
import path from 'node:path';
import {expect, test} from 'vitest';

const root = path.join(import.meta.dirname, '..', '..');
type Probe = {isCapped: boolean; maxBytes: number; beforeBytes: number; afterBytes: number; kept: number};
const probe = (...args: string[]): Probe =>
	JSON.parse(execFileSync(process.execPath, [path.join(root, 'scripts', 'run-ts.mjs'), path.join(root, 'test', 'helpers', 'young-generation-probe.ts'), ...args], {encoding: 'utf8'})) as Probe;

test('without the cap, keeping new objects grows the young generation past twice its size; with it, it stops at the cap', () => {
	const free = probe();
	expect(free.kept).toBe(400_000);
	expect(free.afterBytes).toBeGreaterThan(free.maxBytes);
	const capped = probe('cap');
	expect(capped.kept).toBe(400_000);
	// it grew (the observer let it) and stopped at the cap (the observer stopped it)
	expect(capped.afterBytes).toBe(capped.maxBytes);
});
