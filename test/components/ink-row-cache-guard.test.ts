// The row cache patches only the Ink (and Ink's tokeniser) it was checked against; the bundle's call from Ink's output.js decides, and then
// nothing is loaded from node_modules (that Ink, if any, is not the one drawing). Module state: a file of its own.
import {expect, test} from 'vitest';
import {installInkRowCache, patchInkOutput} from '../../source/components/ink-row-cache.js';

/** Never called here: the test only installs. */
const unusedStyles = {diffAnsiCodes: () => [], ansiCodesToString: () => '', tokenize: () => [], reduceAnsiCodesIncremental: () => [], version: '0.2.5'};

class OtherInkOutput {
	width = 0;
	height = 0;
	operations = [];
	caches = {getWidestLine: () => 0, getStringWidth: () => 0};
	write() {}
	get() {
		return {output: 'ink 7', height: 1};
	}
}

test('another Ink version, or another tokeniser under Ink 6.8, keeps Ink\'s own get(), and installInkRowCache then resolves to nothing without loading Ink', async () => {
	const own = OtherInkOutput.prototype.get;
	expect(patchInkOutput(OtherInkOutput as never, (text: string) => text, '7.0.0', unusedStyles)).toBeUndefined();
	expect(patchInkOutput(OtherInkOutput as never, (text: string) => text, '6.8.0', {...unusedStyles, version: '0.3.0'})).toBeUndefined();
	expect(OtherInkOutput.prototype.get).toBe(own);
	await expect(installInkRowCache()).resolves.toBeUndefined();
	// the checked version is patched, once
	const cache = patchInkOutput(OtherInkOutput as never, (text: string) => text, '6.8.0', unusedStyles);
	expect(cache).toBeDefined();
	expect(OtherInkOutput.prototype.get).toBe(cache!.cachedGet);
	expect(patchInkOutput(OtherInkOutput as never, (text: string) => text, '6.8.0', unusedStyles)).toBe(cache);
});
