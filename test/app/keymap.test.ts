// The one key table: resolveKey per context, and the hint lines rendered from it.
import {describe, expect, test} from 'vitest';
import {bindingMatches, bindingsIn, keyContext, keyHints, keyTable, keysLabel, resolveKey, type KeyContext, type KeyInfo} from '../../source/state/keymap.js';

const none: KeyInfo = {};
const resolve = (context: KeyContext, input: string, key: KeyInfo = none) => resolveKey(input, key, context);

describe('resolveKey', () => {
	test('board and replay share the selection, logs, timeline, help and quit keys', () => {
		for (const context of ['board', 'replay'] as const) {
			expect(resolve(context, '', {upArrow: true})).toBe('select-up');
			expect(resolve(context, '', {downArrow: true, shift: true})).toBe('select-down');
			expect(resolve(context, '\r', {return: true})).toBe('toggle-logs');
			expect(resolve(context, 't')).toBe('toggle-timeline');
			expect(resolve(context, '?')).toBe('toggle-help');
			expect(resolve(context, 'q')).toBe('quit');
			expect(resolve(context, 'c', {ctrl: true})).toBe('quit');
			expect(resolve(context, 'c')).toBeUndefined();
		}
	});

	test('prune keys only on the live board; replay keys only in replay', () => {
		expect(['p', 'P', 'k', 'u'].map(k => resolve('board', k))).toEqual(['prune-unused', 'prune-all', 'prune-keep', 'prune-old']);
		expect(['p', 'P', 'k', 'u'].map(k => resolve('replay', k))).toEqual([undefined, undefined, undefined, undefined]);
		expect([' ', '+', '=', '-', '_', '0', 'G', '[', ']'].map(k => resolve('replay', k))).toEqual([
			'replay-pause',
			'replay-faster',
			'replay-faster',
			'replay-slower',
			'replay-slower',
			'replay-start',
			'replay-end',
			'replay-prev-mark',
			'replay-next-mark',
		]);
		expect([' ', '+', '0', 'G'].map(k => resolve('board', k))).toEqual([undefined, undefined, undefined, undefined]);
	});

	test('shift picks the mark jump over the 10 s seek', () => {
		expect(resolve('replay', '', {leftArrow: true})).toBe('replay-back');
		expect(resolve('replay', '', {rightArrow: true})).toBe('replay-forward');
		expect(resolve('replay', '', {leftArrow: true, shift: true})).toBe('replay-prev-mark');
		expect(resolve('replay', '', {rightArrow: true, shift: true})).toBe('replay-next-mark');
	});

	test('a prune confirmation: y / enter confirm, n / esc / q cancel, Ctrl-C still quits, board keys do nothing', () => {
		for (const context of ['dialog', 'amount'] as const) {
			expect(resolve(context, 'y')).toBe('dialog-confirm');
			expect(resolve(context, '\r', {return: true})).toBe('dialog-confirm');
			expect(resolve(context, 'n')).toBe('dialog-close');
			expect(resolve(context, '', {escape: true})).toBe('dialog-close');
			expect(resolve(context, 'q')).toBe('dialog-close');
			expect(resolve(context, 'c', {ctrl: true})).toBe('quit');
			expect(resolve(context, '?')).toBeUndefined();
			expect(resolve(context, 'p')).toBeUndefined();
			expect(resolve(context, '', {upArrow: true})).toBeUndefined();
		}
	});

	test('the amount of k takes digits, a dot and backspace only while it is typed', () => {
		expect(['0', '7', '.', 'x'].map(k => resolve('amount', k))).toEqual(['amount-type', 'amount-type', 'amount-type', undefined]);
		expect(resolve('amount', '', {backspace: true})).toBe('amount-erase');
		expect(resolve('amount', '', {delete: true})).toBe('amount-erase');
		expect(resolve('dialog', '7')).toBeUndefined();
	});

	test('a prune that runs or ended only closes; a message closes on any key but Ctrl-C', () => {
		expect(resolve('result', '', {escape: true})).toBe('dialog-close');
		expect(resolve('result', 'n')).toBe('dialog-close');
		expect(resolve('result', 'y')).toBeUndefined();
		expect(resolve('result', '\r', {return: true})).toBeUndefined();
		expect(resolve('message', 'x')).toBe('dialog-close');
		expect(resolve('message', '', {upArrow: true})).toBe('dialog-close');
		expect(resolve('message', 'c', {ctrl: true})).toBe('quit');
	});
});

describe('keyContext', () => {
	test('follows the open dialog and its step', () => {
		expect(keyContext('live', undefined, false)).toBe('board');
		expect(keyContext('replay', undefined, false)).toBe('replay');
		expect(keyContext('live', undefined, false, true)).toBe('starting');
		expect(bindingsIn('starting').map(b => keysLabel(b))).toEqual(['?', 'q']);
		expect(keyContext('live', {kind: 'message', text: 'x'}, true)).toBe('message');
		expect(keyContext('live', {kind: 'prune', commandId: 'prune-all', step: 'confirm'}, true)).toBe('dialog');
		expect(keyContext('live', {kind: 'prune', commandId: 'prune-keep', step: 'confirm', input: ''}, true)).toBe('amount');
		expect(keyContext('live', {kind: 'prune', commandId: 'prune-keep', step: 'confirm-again', input: '2'}, true)).toBe('dialog');
		expect(keyContext('live', {kind: 'prune', commandId: 'prune-all', step: 'running'}, true)).toBe('result');
		expect(keyContext('live', {kind: 'prune', commandId: 'prune-all', step: 'confirm'}, false)).toBe('result');
	});
});

describe('hints and labels from the table', () => {
	test('footer hints per board', () => {
		expect(keyHints('board', {}, '  ')).toBe('↑ select  ↓ select  enter show/hide  ? help  q quit');
		expect(keyHints('replay', {}, '  ')).toBe('↑ select  ↓ select  enter show/hide  space pause  ← seek  → seek  + faster  ? help  q quit');
	});

	test('dialog hints', () => {
		expect(keyHints('dialog')).toBe('y / enter prune · n / esc cancel');
		expect(keyHints('amount')).toBe('y / enter prune · n / esc cancel');
		expect(keyHints('dialog', {'dialog-confirm': 'prune anyway'})).toBe('y / enter prune anyway · n / esc cancel');
		expect(keyHints('result')).toBe('esc close');
	});

	test('help labels list the shown keys, not the aliases', () => {
		expect(bindingsIn('replay').map(b => keysLabel(b))).toEqual(['↑', '↓', 'enter', 't', 'space', '←', '→', '[ / shift+←', '] / shift+→', '+', '-', '0', 'G', '?', 'q']);
	});

	test('within a context no key is bound to two commands (besides the catch-all "any key" of a message)', () => {
		const probes: Array<[string, KeyInfo]> = [
			...[...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ?[]+-=_.'].map(c => [c, none] as [string, KeyInfo]),
			['c', {ctrl: true}],
			...(['upArrow', 'downArrow', 'leftArrow', 'rightArrow', 'return', 'escape', 'backspace', 'delete'] as const).flatMap(k => [
				['', {[k]: true}] as [string, KeyInfo],
				['', {[k]: true, shift: true}] as [string, KeyInfo],
			]),
		];
		const contexts = [...new Set(keyTable.flatMap(b => b.contexts))];
		expect(contexts).toEqual(['board', 'replay', 'starting', 'dialog', 'amount', 'result', 'message']);
		for (const context of contexts) {
			const specific = bindingsIn(context).filter(b => !b.keys.some(k => 'any' in k));
			for (const [input, key] of probes) {
				const commands = new Set(specific.filter(b => bindingMatches(b, input, key)).map(b => b.command));
				expect(commands.size, `${context} ${JSON.stringify([input, key])}`).toBeLessThanOrEqual(1);
			}
		}
	});
});
