// Per target over several sessions, what the team's notes detail: the first build with a cold cache ("First Build
// (Cold Cache)") and the latest one that used the cache ("Subsequent Builds (Warm Cache)"). Only finished builds
// count: a failed or cancelled run stops early and would read as fast. Kept as the sessions are read, one build
// per role and target, so memory stays bounded by the number of targets.
import {notMeasured, type BuildSummary, type SessionReport, type TargetRuns} from './types.js';

export type TargetRunsCollector = {add: (session: SessionReport) => void; result: () => TargetRuns[]};

export function createTargetRuns(): TargetRunsCollector {
	const byKey = new Map<string, {label: string; platforms: string[]; firstCold?: Run; latestWarm?: Run}>();
	return {
		add: session => {
			for (const build of session.builds) {
				if (build.status !== 'done') continue;
				const platforms = [...build.platforms].sort();
				const key = `${build.label}|${platforms.join(',')}`;
				const entry = byKey.get(key) ?? {label: build.label, platforms};
				byKey.set(key, entry);
				const run = {file: session.file, build};
				if (build.cache.status === 'cold' && (!entry.firstCold || build.startMs < entry.firstCold.build.startMs)) entry.firstCold = run;
				if (build.cache.cachedSteps > 0 && (!entry.latestWarm || build.startMs > entry.latestWarm.build.startMs)) entry.latestWarm = run;
			}
		},
		result: () =>
			[...byKey.values()]
				.sort((a, b) => a.label.localeCompare(b.label) || a.platforms.join(',').localeCompare(b.platforms.join(',')))
				.map(e => ({
					label: e.label,
					platforms: e.platforms,
					firstCold: e.firstCold ?? notMeasured('no finished build of this target with a cold cache among the sessions read'),
					latestWarm: e.latestWarm ?? notMeasured('no finished build of this target that used the cache among the sessions read'),
				})),
	};
}

type Run = {file: string; build: BuildSummary};
