// The --json summary and exit code of a session quit before it started (no build ran): cancelled and 130, where
// the same empty state without the quit is completed and 0.
import {expect, test} from 'vitest';
import {exitCodeOf, summarize} from '../../source/report/json-summary.js';
import {initialDomainState} from '../../source/state/reducer.js';

test('a quit before the start: cancelled, no builds, exit 130', () => {
	const summary = summarize(initialDomainState, {wasQuitBeforeStart: true});
	expect(summary.result).toBe('cancelled');
	expect(summary.builds).toEqual([]);
	expect(exitCodeOf(summary)).toBe(130);
});

test('the same empty state without a quit: completed, exit 0', () => {
	const summary = summarize(initialDomainState);
	expect(summary.result).toBe('completed');
	expect(exitCodeOf(summary)).toBe(0);
});
