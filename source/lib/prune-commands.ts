// The four prunes, described once: the exact docker argv for the selected builder and buildx version, and du's
// estimate of what each frees. Their keys and names are the key table's (state/keymap.ts), the confirmation
// dialog's steps are state/prune-dialog.ts; this file says what each prune does.
import type {CacheUsage, PruneCommandId} from '../domain/resources-events.js';
import {atLeast, parseBuildxVersion} from './buildx-inspect.js';
import {formatBytes} from './format.js';

export type PruneCommand = {
	id: PruneCommandId;
	/** One line for the dialog: what goes, what stays. */
	description: string;
	/** `k` asks how much to keep before it asks for confirmation. */
	needsAmount: boolean;
};

export const pruneCommands: readonly PruneCommand[] = [
	{id: 'prune-unused', description: 'removes build cache no build is using', needsAmount: false},
	{id: 'prune-all', description: 'removes all unused build cache, internal and frontend images too (--all)', needsAmount: false},
	{id: 'prune-keep', description: 'prunes until the cache is at most N GB', needsAmount: true},
	{id: 'prune-old', description: 'removes cache records not used in the last 24 hours (--filter until=24h)', needsAmount: false},
];

export const defaultKeepGb = 10;

export function pruneCommand(id: string): PruneCommand | undefined {
	return pruneCommands.find(c => c.id === id);
}

export type PruneArgvOptions = {
	/** The builder the session uses: always passed explicitly, so no other builder is ever pruned. */
	builder: string;
	/** `docker buildx version` output or a bare version ("0.13.1"); decides --reserved-space vs --keep-storage. */
	buildxVersion?: string;
	keepGb?: number;
};

/** docker's arguments (after `docker`). Sizes go as exact byte counts: docker reads "10GB" as 10 GiB. */
export function pruneArgv(id: PruneCommandId, options: PruneArgvOptions): string[] {
	const base = ['buildx', 'prune', '--builder', options.builder, '--force'];
	switch (id) {
		case 'prune-unused':
			return base;
		case 'prune-all':
			return [...base, '--all'];
		case 'prune-keep': {
			const bytes = Math.round((options.keepGb ?? defaultKeepGb) * 1e9);
			// buildx 0.18.0 renamed --keep-storage to --reserved-space (docker/buildx#2724) and keeps the old name as a
			// deprecated alias that prints a warning; before 0.18 only --keep-storage exists.
			const flag = atLeast(parseBuildxVersion(options.buildxVersion ?? ''), 0, 18) ? '--reserved-space' : '--keep-storage';
			return [...base, flag, String(bytes)];
		}
		case 'prune-old':
			return [...base, '--filter', 'until=24h'];
		default: {
			const unknown: never = id;
			throw new Error(`unknown prune command: ${String(unknown)}`); // never run a prune nobody described
		}
	}
}

/** The command as a user would type it. */
export function formatCommand(argv: readonly string[]): string {
	return ['docker', ...argv].map(quoteArg).join(' ');
}

function quoteArg(arg: string): string {
	return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * What du says the command would free: reclaimable records that are not shared (shared ones stay while images use
 * them). `p` and `P` both count all of them (du does not say which records are internal); `k` what exceeds the kept
 * size; `u` those unused for 24 h.
 */
export function pruneEstimate(id: PruneCommandId, usage: CacheUsage | undefined, keepGb = defaultKeepGb): number | undefined {
	if (!usage) return undefined;
	const freeable = usage.reclaimablePrivateBytes ?? usage.reclaimableBytes;
	switch (id) {
		case 'prune-unused':
		case 'prune-all':
			return freeable;
		case 'prune-keep':
			return Math.max(0, Math.min(freeable, usage.totalBytes - keepGb * 1e9));
		case 'prune-old':
			return usage.reclaimableUnused24hBytes;
		default:
			return undefined;
	}
}

export function estimateText(bytes: number | undefined): string {
	return bytes === undefined ? 'unknown (no du measurement yet)' : `about ${formatBytes(bytes)}`;
}

/** "12.5" -> 12.5; empty -> the default; anything not a positive number -> undefined. */
export function parseKeepGb(input: string | undefined): number | undefined {
	const text = (input ?? '').trim();
	if (text === '') return defaultKeepGb;
	if (!/^\d+(\.\d+)?$/.test(text)) return undefined;
	const value = Number(text);
	return value >= 0 ? value : undefined;
}
