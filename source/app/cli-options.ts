// bxtop's own flags, taken out of an argument list that otherwise belongs to `docker buildx build` / `bake`.
import type {SplitMode} from '../lib/build-plan.js';

export type SessionFlags = {
	isPlain: boolean;
	jsonFile?: string;
	recordFile?: string;
	isRecording: boolean;
	concurrency?: number;
	split: SplitMode;
	minFreeGb?: number;
	speed?: number;
	platform?: string;
	label?: string;
};

const valued = new Set(['--json', '--record', '--concurrency', '--min-free', '--speed']);
const switches = new Set(['--plain', '--no-record', '--no-split', '--split']);

export class UsageError extends Error {}

/** Takes `--builder X` / `--builder=X` out of an argument list. */
export function takeBuilder(args: readonly string[]): {builder?: string; rest: string[]} {
	const rest: string[] = [];
	let builder: string | undefined;
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		if (arg === '--builder') {
			builder = args[++i];
			if (builder === undefined || builder === '') throw new UsageError('--builder needs a builder name');
		} else if (arg.startsWith('--builder=')) {
			builder = arg.slice('--builder='.length);
			if (builder === '') throw new UsageError('--builder needs a builder name');
		}
		else rest.push(arg);
	}
	return builder === undefined ? {rest} : {builder, rest};
}

/** Removes bxtop's flags from `args`; what remains goes to buildx. */
export function takeSessionFlags(args: readonly string[], extraValued: string[] = []): {flags: SessionFlags; rest: string[]} {
	const flags: SessionFlags = {isPlain: false, isRecording: true, split: 'auto'};
	const rest: string[] = [];
	const allValued = new Set([...valued, ...extraValued]);
	for (let i = 0; i < args.length; i++) {
		const arg = args[i]!;
		if (arg === '--') {
			rest.push(...args.slice(i + 1));
			break;
		}
		const eq = arg.indexOf('=');
		const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
		if (switches.has(flag)) {
			if (flag === '--plain') flags.isPlain = true;
			if (flag === '--no-record') flags.isRecording = false;
			if (flag === '--no-split') flags.split = 'never';
			if (flag === '--split') flags.split = 'always';
			continue;
		}
		if (!allValued.has(flag)) {
			rest.push(arg);
			continue;
		}
		const value = eq > 0 && flag !== arg ? arg.slice(eq + 1) : args[++i];
		if (value === undefined) throw new UsageError(`${flag} needs a value`);
		switch (flag) {
			case '--json':
				flags.jsonFile = value;
				break;
			case '--record':
				flags.recordFile = value;
				break;
			case '--concurrency':
				flags.concurrency = positive(flag, value);
				break;
			case '--min-free':
				flags.minFreeGb = positive(flag, value);
				break;
			case '--speed':
				flags.speed = positive(flag, value);
				break;
			case '--platform':
				flags.platform = value;
				break;
			case '--target':
				flags.label = value;
				break;
			default:
				rest.push(arg, value);
		}
	}
	return {flags, rest};
}

function positive(flag: string, value: string): number {
	const n = Number(value);
	if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} takes a positive number, not "${value}"`);
	return n;
}
