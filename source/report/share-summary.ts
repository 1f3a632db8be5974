// The --json summary as it may leave the machine: the session's redactor over all of it, and its path rule over
// what is bxtop's own (ids, targets, errors), not over the build's step names.
import type {Redactor} from '../lib/redact.js';
import type {SessionSummary} from './json-summary.js';

/** A summary's step names and download entries are build output; its ids, targets and errors are bxtop's. */
export function shareSummary(summary: SessionSummary, redactor: Redactor): SessionSummary {
	const builds = summary.builds.map(build => {
		const shared = {...redactor.localValue(build)};
		if (build.failingStep) shared.failingStep = redactor.value(build.failingStep); // same key, same place
		return shared;
	});
	return {...redactor.value(summary), builds};
}
