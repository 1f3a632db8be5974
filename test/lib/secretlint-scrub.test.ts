// secretlint 11's profiler marks every rule of every call and keeps the marks (secretlint/secretlint#1633): bxtop
// runs it twice a second for as long as a session lasts, so those marks must go nowhere.
import {performance} from 'node:perf_hooks';
import {expect, test} from 'vitest';
import {secretLintProfiler} from '@secretlint/profiler';
import {scrubText} from '../../source/lib/secretlint-scrub.js';

test('many scrubs leave no performance marks behind, and still find secrets', async () => {
	const marksBefore = performance.getEntriesByType('mark').length;
	for (let i = 0; i < 60; i++) await scrubText(`flush ${i}: nothing here`);
	const token = ['ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'].join('');
	expect(await scrubText(`token=${token}`)).not.toContain(token);
	await new Promise(resolve => setTimeout(resolve, 10)); // the profiler's observer reports asynchronously
	expect(performance.getEntriesByType('mark').length).toBe(marksBefore);
	expect(await secretLintProfiler.getEntries()).toEqual([]);
});
