import {describe, expect, it} from 'vitest';
import {readFileSync} from 'node:fs';
import {formatCommand, parseKeepGb, pruneArgv, pruneCommand, pruneCommands, pruneEstimate} from '../../../source/lib/prune-commands.js';
import {confirmPruneDialog, editPruneInput, openPruneDialog} from '../../../source/state/prune-dialog.js';
import {bindingOf, keysLabel, resolveKey} from '../../../source/state/keymap.js';
import {parseDu} from '../../../source/lib/du-table.js';
import {readReal} from '../../helpers/captures.js';

describe('prune commands', () => {
	it('has the four shortcuts', () => {
		expect(pruneCommands.map(c => [keysLabel(bindingOf(c.id)), c.id])).toEqual([
			['p', 'prune-unused'],
			['P', 'prune-all'],
			['k', 'prune-keep'],
			['u', 'prune-old'],
		]);
		expect(pruneCommand(resolveKey('k', {}, 'board')!)?.needsAmount).toBe(true);
	});

	it('always names the selected builder and forces (bxtop asked already)', () => {
		expect(pruneArgv('prune-unused', {builder: 'default'})).toEqual(['buildx', 'prune', '--builder', 'default', '--force']);
		expect(pruneArgv('prune-all', {builder: 'mybuilder'})).toEqual(['buildx', 'prune', '--builder', 'mybuilder', '--force', '--all']);
		expect(pruneArgv('prune-old', {builder: 'default'})).toEqual(['buildx', 'prune', '--builder', 'default', '--force', '--filter', 'until=24h']);
		expect(() => pruneArgv('prune-everything' as never, {builder: 'default'})).toThrow('unknown prune command: prune-everything');
	});

	it('keeps N GB with --keep-storage before buildx 0.18 and --reserved-space from 0.18, in exact bytes', () => {
		const keep = (buildxVersion: string | undefined, keepGb?: number) => pruneArgv('prune-keep', {builder: 'default', buildxVersion, keepGb}).slice(5);
		expect(keep('0.13.1+ds1')).toEqual(['--keep-storage', '10000000000']);
		// 0.17 still only knows --keep-storage: --reserved-space came with 0.18.0 (docker/buildx#2724)
		expect(keep('github.com/docker/buildx v0.17.1 257815a', 2.5)).toEqual(['--keep-storage', '2500000000']);
		expect(keep('github.com/docker/buildx v0.18.0 fa4461b', 2.5)).toEqual(['--reserved-space', '2500000000']);
		expect(keep('0.29.1')).toEqual(['--reserved-space', '10000000000']);
		// an unknown version gets the name every release accepts (deprecated, not removed, from 0.18 on)
		expect(keep(undefined)).toEqual(['--keep-storage', '10000000000']);
	});

	it('prints the command as typed, quoting what needs it', () => {
		expect(formatCommand(pruneArgv('prune-old', {builder: 'my builder'}))).toBe("docker buildx prune --builder 'my builder' --force --filter until=24h");
	});

	it('estimates from du', () => {
		const usage = parseDu(readReal('04-after-push.buildx-du-verbose.txt'), 'verbose');
		expect(pruneEstimate('prune-unused', usage)).toBe(3_221_000_000);
		expect(pruneEstimate('prune-all', usage)).toBe(3_221_000_000);
		expect(pruneEstimate('prune-keep', usage, 1)).toBe(2_221_000_000);
		expect(pruneEstimate('prune-keep', usage, 10)).toBe(0);
		expect(pruneEstimate('prune-old', usage)).toBe(0);
		expect(pruneEstimate('prune-unused', undefined)).toBeUndefined();
		// docker driver (real, this machine): shared records stay, so the estimate is the private reclaimable part
		const dockerDriver = parseDu(readFileSync(new URL('fixtures/docker-driver.buildx-du.real.txt', import.meta.url), 'utf8'), 'table');
		expect(pruneEstimate('prune-unused', dockerDriver)).toBe(3_856_000);
	});

	it('reads the amount of k', () => {
		expect(parseKeepGb('')).toBe(10);
		expect(parseKeepGb(' 2.5 ')).toBe(2.5);
		expect(parseKeepGb('0')).toBe(0);
		expect(parseKeepGb('ten')).toBeUndefined();
		expect(parseKeepGb('1.2.3')).toBeUndefined();
	});
});

describe('the dialog steps', () => {
	it('runs at once when no build is running', () => {
		expect(confirmPruneDialog(openPruneDialog('prune-unused'), {runningBuilds: 0})).toEqual({
			action: 'run',
			dialog: {kind: 'prune', commandId: 'prune-unused', step: 'running'},
			commandId: 'prune-unused',
		});
	});

	it('asks again while builds run', () => {
		const first = confirmPruneDialog(openPruneDialog('prune-all'), {runningBuilds: 2});
		expect(first).toEqual({action: 'stay', dialog: {kind: 'prune', commandId: 'prune-all', step: 'confirm-again'}});
		expect(confirmPruneDialog(first.dialog, {runningBuilds: 2})).toMatchObject({action: 'run', commandId: 'prune-all'});
	});

	it('edits the amount of k and refuses a bad one', () => {
		let dialog = openPruneDialog('prune-keep');
		expect(dialog).toEqual({kind: 'prune', commandId: 'prune-keep', step: 'confirm', input: ''});
		for (const ch of ['2', 'x', '.', '.', '5']) dialog = editPruneInput(dialog, ch, {});
		expect(dialog.input).toBe('2.5');
		dialog = editPruneInput(dialog, '', {backspace: true});
		expect(dialog.input).toBe('2.');
		expect(confirmPruneDialog({...dialog, input: '2.'}, {runningBuilds: 0})).toEqual({
			action: 'stay',
			dialog: {...dialog, input: '2.'},
			problem: 'not a size in GB: "2."',
		});
		expect(confirmPruneDialog({...dialog, input: '3'}, {runningBuilds: 0})).toMatchObject({action: 'run', keepGb: 3});
		expect(confirmPruneDialog({...dialog, input: ''}, {runningBuilds: 0})).toMatchObject({action: 'run', keepGb: 10});
	});

	it('ignores a confirmation while the prune runs', () => {
		const running = {kind: 'prune' as const, commandId: 'prune-unused', step: 'running' as const};
		expect(confirmPruneDialog(running, {runningBuilds: 0})).toEqual({action: 'stay', dialog: running});
	});
});
