// The JSON report: the same Report the Markdown is rendered from; schema/report.schema.json (shipped in the
// package) describes it.
import type {Report} from './types.js';

export function renderJson(report: Report): string {
	return `${JSON.stringify(report, null, 2)}\n`;
}
