import {describe, expect, it} from 'vitest';
import {parseUvLine} from '../../../source/lib/uv-lines.js';

// Synthetic: uv's line forms from its reporter (binary units, name only).
describe('parseUvLine (synthetic lines)', () => {
	it('reads the start of a large download', () => {
		expect(parseUvLine('Downloading torch (731.1MiB)')).toEqual({kind: 'downloading', package: 'torch', totalBytes: 766_613_914});
		expect(parseUvLine('Downloading cpython-3.12.4-linux-x86_64-gnu (download) (24.3MiB)')).toEqual({
			kind: 'downloading',
			package: 'cpython-3.12.4-linux-x86_64-gnu',
			totalBytes: 25_480_397, // 24.3 x 1024^2, rounded
		});
	});

	it('reads the end of one', () => {
		expect(parseUvLine(' Downloaded torch')).toEqual({kind: 'downloaded', package: 'torch'});
	});

	it("leaves pip's decimal Downloading lines to the pip parser", () => {
		expect(parseUvLine('  Downloading torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl (174.7 MB)')).toEqual({kind: 'other'});
		expect(parseUvLine('Prepared 2 packages in 52.7s')).toEqual({kind: 'other'});
	});
});
