// Turns `bxtop build [buildx build args]` into the child builds to spawn: one multi-platform build where the
// builder can give the user the same result that way (lib/multi-platform.ts), else one per requested platform
// (run concurrently); --split / --no-split force either. bxtop's own flags are taken out; every other
// argument goes to the child unchanged, as an array element (never through a shell).
import path from 'node:path';
import type {BuildSpec} from '../domain/events.js';
import type {ChildBuild} from '../domain/child-build.js';
import {redactArgv} from './secret-args.js';
import {multiPlatformSupport, type BuilderFacts, type MultiPlatformSupport} from './multi-platform.js';

export type BuildRequest = {
	platforms: string[];
	passthrough: string[];
	builder?: string;
	target: string;
	tags: string[];
	isPush: boolean;
	/** --load or an output of type docker: the image goes into the Docker image store. */
	isLoad: boolean;
	/** What makes per-platform children collide: an output file or directory, --iidfile, --metadata-file. */
	sharedFile?: string;
};

/** Flags of `docker buildx build` that take a separate value, so the context positional can be told apart. */
const valueFlags = new Set([
	'--add-host', '--allow', '--annotation', '--attest', '--build-arg', '--build-context', '--builder', '--cache-from',
	'--cache-to', '--call', '--cgroup-parent', '-f', '--file', '--iidfile', '--label', '--metadata-file', '--network',
	'-o', '--output', '--platform', '--progress', '--provenance', '--sbom', '--secret', '--shm-size', '--ssh', '-t',
	'--tag', '--target', '--ulimit', '--cpu-quota', '--cpu-period', '--cpu-shares', '--cpuset-cpus', '--cpuset-mems',
	'-m', '--memory', '--memory-swap',
]);

export function parseBuildRequest(args: readonly string[]): BuildRequest {
	const platforms: string[] = [];
	const passthrough: string[] = [];
	const tags: string[] = [];
	let builder: string | undefined;
	let stageTarget: string | undefined;
	let context: string | undefined;
	let isPush = false;
	let isLoad = false;
	let sharedFile: string | undefined;
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
		const flag = eq > 0 ? arg.slice(0, eq) : arg;
		const takesValue = valueFlags.has(flag);
		const value = takesValue ? (eq > 0 ? arg.slice(eq + 1) : args[i + 1]) : undefined;
		if (takesValue && eq < 0) i++;
		switch (flag) {
			case '--platform':
				platforms.push(...(value ?? '').split(',').map(p => p.trim()).filter(Boolean));
				continue;
			case '--builder':
				builder = value;
				continue;
			case '--progress':
				continue; // bxtop needs rawjson
			case '-t':
			case '--tag':
				if (value) tags.push(value);
				break;
			case '--target':
				stageTarget = value;
				break;
			case '--push':
				isPush = true;
				break;
			case '--load':
				isLoad = true;
				break;
			case '-o':
			case '--output':
				if (value && (/type=registry/.test(value) || /push=true/.test(value))) isPush = true;
				if (value && /(^|,)type=docker(,|$)/.test(value)) isLoad = true;
				if (value && writesFile(value)) sharedFile = `--output ${value}`;
				break;
			case '--iidfile':
			case '--metadata-file':
				sharedFile = `${flag} ${value ?? ''}`;
				break;
			default:
				if (!takesValue && !arg.startsWith('-')) context = arg;
		}
		passthrough.push(arg);
		if (takesValue && eq < 0 && value !== undefined) passthrough.push(value);
	}
	const target = tags[0] ?? stageTarget ?? (context ? path.basename(path.resolve(context)) : 'build');
	const request: BuildRequest = {platforms, passthrough, target, tags, isPush, isLoad};
	if (sharedFile) request.sharedFile = sharedFile;
	if (builder) request.builder = builder;
	return request;
}

/** An --output that writes a file or directory (`type=oci,dest=x.tar`, `type=local,dest=dir`, or a bare path). */
export function writesFile(output: string): boolean {
	if (!output.includes('=')) return output !== '-' && output !== '';
	return /(^|,)dest=/.test(output);
}

/** `linux/arm64` -> `linux-arm64`, for ids and file names. */
export function platformSlug(platform: string): string {
	return platform.replace(/\//g, '-');
}

export function childArgs(builder: string | undefined, platforms: string[], rest: readonly string[]): string[] {
	const args = ['buildx', 'build', '--progress=rawjson'];
	if (builder) args.push('--builder', builder);
	if (platforms.length > 0) args.push('--platform', platforms.join(','));
	return [...args, ...rest];
}

export function specFor(buildId: string, target: string, tags: string[], platforms: string[], dockerArgs: string[]): BuildSpec {
	return {buildId, target, tags, platforms, argv: redactArgv(['docker', ...dockerArgs])};
}

/** auto: split only where one build cannot give the same result; always (--split); never (--no-split). */
export type SplitMode = 'auto' | 'always' | 'never';

/** builderFacts: what preflight learnt of the builder; without them `auto` splits (it cannot tell). */
export type PlanOptions = {split: SplitMode; builder?: string; builderFacts?: BuilderFacts};

export type SplitDecision = {split: boolean; note?: string};

/**
 * One build or one per platform. What several children would fight over is never split, even with --split: a push
 * (per-platform pushes overwrite one another's tag instead of producing one multi-platform manifest) or one output
 * file. Otherwise `auto` asks what the builder supports (unknown: split, as bxtop always did) and says why it splits.
 */
export function decideSplit(request: Pick<BuildRequest, 'platforms' | 'isPush' | 'sharedFile'>, mode: SplitMode, support?: MultiPlatformSupport): SplitDecision {
	if (request.platforms.length <= 1 || mode === 'never') return {split: false};
	if (request.isPush) {
		return {split: false, note: 'pushing several platforms: running one multi-platform build (split builds would overwrite each other\'s tag)'};
	}
	if (request.sharedFile) {
		return {split: false, note: `${request.sharedFile} is one file for all platforms: running one multi-platform build (split builds would overwrite it)`};
	}
	if (mode === 'always') return {split: true};
	if (support?.isSupported) return {split: false};
	const reason = support?.reason ?? 'whether the builder can build several platforms in one build is unknown';
	return {split: true, note: `one build per platform: ${reason}`};
}

/** Child builds for a request, and the note that says why they are split or kept whole. */
export function planBuilds(request: BuildRequest, options: PlanOptions): {children: ChildBuild[]; note?: string} {
	const builder = options.builder ?? request.builder;
	const {platforms, target, tags} = request;
	const support = options.builderFacts ? multiPlatformSupport(options.builderFacts, request.isLoad) : undefined;
	const {split, note} = decideSplit(request, options.split, support);
	if (!split) {
		const dockerArgs = childArgs(builder, platforms, request.passthrough);
		const buildId = target;
		return {children: [{spec: specFor(buildId, target, tags, platforms, dockerArgs), dockerArgs}], ...(note ? {note} : {})};
	}
	const children = platforms.map(platform => {
		const dockerArgs = childArgs(builder, [platform], request.passthrough);
		const buildId = `${target}@${platformSlug(platform)}`;
		return {spec: specFor(buildId, target, tags, [platform], dockerArgs), dockerArgs};
	});
	return {children, ...(note ? {note} : {})};
}
