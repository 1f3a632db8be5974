// Turns the JSON of `docker buildx bake --print [-f FILE] [TARGETS]` into child builds: one per target, or one per
// target x platform where the builder needs it (the same rule as `build`, decideSplit), each with that target's context, dockerfile, args, tags, outputs and cache
// settings. Bake already describes the builds; bxtop needs no config format of its own.
import path from 'node:path';
import type {ChildBuild} from '../domain/child-build.js';
import {childArgs, decideSplit, platformSlug, specFor, writesFile, type SplitMode} from './build-plan.js';
import {multiPlatformSupport, type BuilderFacts} from './multi-platform.js';

/** buildx >= 0.20 prints output, cache, secret, ssh and attest entries as objects; older buildx as CSV strings. */
export type BakeEntry = string | Record<string, string | boolean | number | null>;

export type BakeTarget = {
	context?: string;
	dockerfile?: string;
	'dockerfile-inline'?: string;
	args?: Record<string, string | null>;
	labels?: Record<string, string | null>;
	annotations?: string[];
	attest?: BakeEntry[];
	tags?: string[];
	platforms?: string[];
	output?: BakeEntry[];
	'cache-from'?: BakeEntry[];
	'cache-to'?: BakeEntry[];
	'no-cache-filter'?: string[];
	target?: string;
	secret?: BakeEntry[];
	ssh?: BakeEntry[];
	network?: string;
	'no-cache'?: boolean;
	pull?: boolean;
	'shm-size'?: string;
	ulimits?: string[];
	contexts?: Record<string, string>;
	entitlements?: string[];
};

export type BakePrint = {group?: Record<string, {targets?: string[]}>; target?: Record<string, BakeTarget>};

export function parseBakePrint(json: string): BakePrint {
	const value = JSON.parse(json) as unknown;
	if (typeof value !== 'object' || value === null || !('target' in value)) {
		throw new Error('bake --print returned JSON without targets');
	}
	return value as BakePrint;
}

/** `{type: 'registry', ref: 'x'}` -> `type=registry,ref=x`; strings pass as they are. */
export function bakeEntryCsv(entry: BakeEntry): string {
	if (typeof entry === 'string') return entry;
	const type = entry.type;
	const fields = Object.entries(entry).filter(([key, value]) => key !== 'type' && value !== null && value !== undefined);
	return [...(type !== undefined ? [`type=${String(type)}`] : []), ...fields.map(([key, value]) => `${key}=${String(value)}`)].join(',');
}

/** A context buildx fetches itself (git or https URL): not a directory to resolve. */
export function isRemoteContext(context: string): boolean {
	return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context);
}

/**
 * The argv of `docker buildx build` for one bake target (without --platform, which the plan adds). A target with
 * `dockerfile-inline` must have been given a file first (`dockerfile` set to it): the child's stdin is not a
 * Dockerfile.
 */
export function targetArgs(target: BakeTarget, cwd: string): string[] {
	const args: string[] = [];
	const context = target.context ?? '.';
	const remote = isRemoteContext(context);
	if (target.dockerfile) {
		// bake resolves dockerfile relative to a local context unless it is absolute; a remote context keeps its own
		const file = remote || path.isAbsolute(target.dockerfile) ? target.dockerfile : path.join(context, target.dockerfile);
		args.push('-f', file);
	}
	for (const [name, value] of Object.entries(target.args ?? {})) {
		if (value !== null && value !== undefined) args.push('--build-arg', `${name}=${value}`);
	}
	for (const [name, value] of Object.entries(target.labels ?? {})) {
		if (value !== null && value !== undefined) args.push('--label', `${name}=${value}`);
	}
	for (const tag of target.tags ?? []) args.push('-t', tag);
	for (const annotation of target.annotations ?? []) args.push('--annotation', annotation);
	for (const output of target.output ?? []) args.push('--output', bakeEntryCsv(output));
	for (const from of target['cache-from'] ?? []) args.push('--cache-from', bakeEntryCsv(from));
	for (const to of target['cache-to'] ?? []) args.push('--cache-to', bakeEntryCsv(to));
	for (const secret of target.secret ?? []) args.push('--secret', bakeEntryCsv(secret));
	for (const ssh of target.ssh ?? []) args.push('--ssh', bakeEntryCsv(ssh));
	for (const attest of target.attest ?? []) args.push('--attest', bakeEntryCsv(attest));
	for (const filter of target['no-cache-filter'] ?? []) args.push('--no-cache-filter', filter);
	for (const ulimit of target.ulimits ?? []) args.push('--ulimit', ulimit);
	for (const entitlement of target.entitlements ?? []) args.push('--allow', entitlement);
	for (const [name, value] of Object.entries(target.contexts ?? {})) args.push('--build-context', `${name}=${value}`);
	if (target.target) args.push('--target', target.target);
	if (target.network) args.push('--network', target.network);
	if (target['no-cache']) args.push('--no-cache');
	if (target.pull) args.push('--pull');
	if (target['shm-size']) args.push('--shm-size', target['shm-size']);
	args.push(remote || path.isAbsolute(context) ? context : path.relative(cwd, path.resolve(cwd, context)) || '.');
	return args;
}

export type BakePlanOptions = {split: SplitMode; builder?: string; builderFacts?: BuilderFacts; cwd: string};

/** Children of every target, split per platform by the same rule as `build` (decideSplit); the notes say why. */
export function planBake(print: BakePrint, options: BakePlanOptions): {children: ChildBuild[]; notes: string[]} {
	const children: ChildBuild[] = [];
	const notes: string[] = [];
	for (const [name, target] of Object.entries(print.target ?? {})) {
		const rest = targetArgs(target, options.cwd);
		const platforms = target.platforms ?? [];
		const tags = target.tags ?? [];
		const outputs = (target.output ?? []).map(bakeEntryCsv);
		const isPush = outputs.some(o => /type=registry|push=true/.test(o));
		const isLoad = outputs.some(o => /(^|,)type=docker(,|$)/.test(o));
		const sharedFile = outputs.find(writesFile);
		const support = options.builderFacts ? multiPlatformSupport(options.builderFacts, isLoad) : undefined;
		const decision = decideSplit({platforms, isPush, ...(sharedFile ? {sharedFile: `--output ${sharedFile}`} : {})}, options.split, support);
		if (decision.note) notes.push(`${name}: ${decision.note}`);
		if (!decision.split) {
			const dockerArgs = childArgs(options.builder, platforms, rest);
			children.push({spec: specFor(name, name, tags, platforms, dockerArgs), dockerArgs, cwd: options.cwd});
			continue;
		}
		for (const platform of platforms) {
			const dockerArgs = childArgs(options.builder, [platform], rest);
			children.push({spec: specFor(`${name}@${platformSlug(platform)}`, name, tags, [platform], dockerArgs), dockerArgs, cwd: options.cwd});
		}
	}
	return {children, notes};
}

/** Bake files bxtop looks for when run without a command, in buildx's own order. */
export const bakeFileNames = [
	'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml',
	'docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl',
];
