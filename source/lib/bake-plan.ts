// Turns the JSON of `docker buildx bake --print [-f FILE] [TARGETS]` into child builds: one per target x platform
// (or one per target with --no-split), each with that target's context, dockerfile, args, tags, outputs and cache
// settings. Bake already describes the builds; bxtop needs no config format of its own.
import path from 'node:path';
import type {ChildBuild} from '../sources/build-process.js';
import {childArgs, platformSlug, specFor} from './build-plan.js';

export type BakeTarget = {
	context?: string;
	dockerfile?: string;
	'dockerfile-inline'?: string;
	args?: Record<string, string | null>;
	labels?: Record<string, string | null>;
	tags?: string[];
	platforms?: string[];
	output?: string[];
	'cache-from'?: string[];
	'cache-to'?: string[];
	target?: string;
	secret?: string[];
	ssh?: string[];
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

/** The argv of `docker buildx build` for one bake target (without --platform, which the plan adds). */
export function targetArgs(target: BakeTarget, cwd: string): string[] {
	const args: string[] = [];
	const context = target.context ?? '.';
	if (target.dockerfile && !target['dockerfile-inline']) {
		// bake resolves dockerfile relative to the context unless it is absolute
		const file = path.isAbsolute(target.dockerfile) ? target.dockerfile : path.join(context, target.dockerfile);
		args.push('-f', file);
	}
	for (const [name, value] of Object.entries(target.args ?? {})) {
		if (value !== null && value !== undefined) args.push('--build-arg', `${name}=${value}`);
	}
	for (const [name, value] of Object.entries(target.labels ?? {})) {
		if (value !== null && value !== undefined) args.push('--label', `${name}=${value}`);
	}
	for (const tag of target.tags ?? []) args.push('-t', tag);
	for (const output of target.output ?? []) args.push('--output', output);
	for (const from of target['cache-from'] ?? []) args.push('--cache-from', from);
	for (const to of target['cache-to'] ?? []) args.push('--cache-to', to);
	for (const secret of target.secret ?? []) args.push('--secret', secret);
	for (const ssh of target.ssh ?? []) args.push('--ssh', ssh);
	for (const ulimit of target.ulimits ?? []) args.push('--ulimit', ulimit);
	for (const entitlement of target.entitlements ?? []) args.push('--allow', entitlement);
	for (const [name, value] of Object.entries(target.contexts ?? {})) args.push('--build-context', `${name}=${value}`);
	if (target.target) args.push('--target', target.target);
	if (target.network) args.push('--network', target.network);
	if (target['no-cache']) args.push('--no-cache');
	if (target.pull) args.push('--pull');
	if (target['shm-size']) args.push('--shm-size', target['shm-size']);
	args.push(path.isAbsolute(context) ? context : path.relative(cwd, path.resolve(cwd, context)) || '.');
	return args;
}

export function planBake(print: BakePrint, options: {split: boolean; builder?: string; cwd: string}): ChildBuild[] {
	const children: ChildBuild[] = [];
	for (const [name, target] of Object.entries(print.target ?? {})) {
		const rest = targetArgs(target, options.cwd);
		const platforms = target.platforms ?? [];
		const tags = target.tags ?? [];
		const isPush = (target.output ?? []).some(o => /type=registry|push=true/.test(o));
		if (!options.split || platforms.length <= 1 || isPush) {
			const dockerArgs = childArgs(options.builder, platforms, rest);
			children.push({spec: specFor(name, name, tags, platforms, dockerArgs), dockerArgs, cwd: options.cwd});
			continue;
		}
		for (const platform of platforms) {
			const dockerArgs = childArgs(options.builder, [platform], rest);
			children.push({spec: specFor(`${name}@${platformSlug(platform)}`, name, tags, [platform], dockerArgs), dockerArgs, cwd: options.cwd});
		}
	}
	return children;
}

/** Bake files bxtop looks for when run without a command, in buildx's own order. */
export const bakeFileNames = [
	'compose.yaml', 'compose.yml', 'docker-compose.yml', 'docker-compose.yaml',
	'docker-bake.json', 'docker-bake.hcl', 'docker-bake.override.json', 'docker-bake.override.hcl',
];
