// One `docker buildx build` bxtop plans (lib/build-plan.ts, lib/bake-plan.ts) and runs (sources/build-process.ts).
import type {BuildSpec} from './events.js';

export type ChildBuild = {
	spec: BuildSpec;
	/** The real argv for `docker` (not redacted: it may hold secrets; never record it). */
	dockerArgs: string[];
	cwd?: string;
	env?: Record<string, string>;
};
