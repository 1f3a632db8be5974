// The `docker stats` samples of a real capture as stats/sampled events: each JSON line of NAME.docker-stats.jsonl
// at the time NAME.sample-times.tsv gives its sample. Shared by the report bench (which assembles a session from
// a capture when no recording exists) and the report tests (test/report/real-sessions.ts).
import {parseDockerStatsLine, sampleFromDockerStatsRow} from '../source/lib/docker-stats-calc.js';
import type {ResourceEvent} from '../source/domain/resources-events.js';

export function captureStatsEvents(statsJsonl: string, sampleTimesTsv: string, node: string): ResourceEvent[] {
	const lines = statsJsonl.split('\n').filter(l => l.trim() !== '');
	const times = sampleTimesTsv
		.split('\n')
		.map(l => l.split('\t'))
		.filter(cols => cols[1] === 'docker-stats')
		.map(cols => Math.round(Number(cols[3]) * 1000));
	const events: ResourceEvent[] = [];
	lines.forEach((line, i) => {
		const row = parseDockerStatsLine(line);
		const at = times[i];
		if (row && at !== undefined) events.push({type: 'stats/sampled', at, sample: sampleFromDockerStatsRow(node, row)});
	});
	return events;
}
