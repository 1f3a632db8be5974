import {describe, expect, it} from 'vitest';
import {identifyFile, parseClock, parsePipLine, parsePipSize} from '../../../source/lib/pip-lines.js';
import {stripAnsi} from '../../../source/lib/ansi.js';

describe('parsePipLine: real lines from the captures (test/fixtures/real)', () => {
	it('reads a Downloading line with a URL (non-PyPI index): URL-encoded + decoded, size in decimal MB', () => {
		expect(parsePipLine('  Downloading http://127.0.0.1:8000/files/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl (120.0 MB)')).toEqual({
			kind: 'downloading',
			file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
			url: 'http://127.0.0.1:8000/files/torch-2.5.1%2Bcpu-cp311-cp311-linux_x86_64.whl',
			package: 'torch',
			version: '2.5.1+cpu',
			fileKind: 'wheel',
			totalBytes: 120_000_000,
		});
	});

	it('reads small sizes in kB', () => {
		expect(parsePipLine('  Downloading http://127.0.0.1:8000/files/filelock-3.16.1-py3-none-any.whl (1.5 kB)')).toMatchObject({
			kind: 'downloading',
			package: 'filelock',
			version: '3.16.1',
			totalBytes: 1500,
		});
	});

	it('reads a cache hit', () => {
		expect(parsePipLine('  Using cached http://127.0.0.1:8000/files/numpy-1.26.4-py3-none-any.whl (3.0 MB)')).toEqual({
			kind: 'cached',
			file: 'numpy-1.26.4-py3-none-any.whl',
			url: 'http://127.0.0.1:8000/files/numpy-1.26.4-py3-none-any.whl',
			package: 'numpy',
			version: '1.26.4',
			fileKind: 'wheel',
			sizeBytes: 3_000_000,
		});
	});

	it('reads the final bar pip prints without a TTY (rich windowed rate, eta 0:00:00)', () => {
		expect(parsePipLine('     ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 120.0/120.0 MB 7.8 MB/s eta 0:00:00')).toEqual({
			kind: 'bar',
			doneBytes: 120_000_000,
			totalBytes: 120_000_000,
			bytesPerSecond: 7_800_000,
			etaMs: 0,
			isFinal: true,
		});
	});

	it('reads rich live bars (capture 13, FORCE_COLOR) once ANSI codes are stripped', () => {
		const first = '\x1b[?25l     \x1b[90m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[32m0.0/120.0 MB\x1b[0m \x1b[31m?\x1b[0m eta \x1b[36m-:--:--\x1b[0m';
		expect(parsePipLine(stripAnsi(first))).toEqual({kind: 'bar', doneBytes: 0, totalBytes: 120_000_000, isFinal: false});
		const mid =
			'\x1b[2K     \x1b[91m╸\x1b[0m\x1b[90m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m \x1b[32m1.5/120.0 MB\x1b[0m \x1b[31m14.7 MB/s\x1b[0m eta \x1b[36m0:00:09\x1b[0m';
		expect(parsePipLine(stripAnsi(mid))).toEqual({kind: 'bar', doneBytes: 1_500_000, totalBytes: 120_000_000, bytesPerSecond: 14_700_000, etaMs: 9000, isFinal: false});
		// rich rounds: 120.0/120.0 with eta 0:00:01 is drawn while the last bytes still arrive.
		const rounded =
			'\x1b[2K     \x1b[91m━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━\x1b[0m\x1b[91m╸\x1b[0m \x1b[32m120.0/120.0 MB\x1b[0m \x1b[31m13.7 MB/s\x1b[0m eta \x1b[36m0:00:01\x1b[0m';
		expect(parsePipLine(stripAnsi(rounded))).toMatchObject({kind: 'bar', doneBytes: 120_000_000, isFinal: false, etaMs: 1000});
	});

	it('reads pip lines that end a download', () => {
		expect(parsePipLine('Collecting torch==2.5.1+cpu')).toEqual({kind: 'collecting', requirement: 'torch==2.5.1+cpu'});
		expect(parsePipLine('Installing collected packages: typing-extensions, numpy, filelock, torch')).toEqual({
			kind: 'boundary',
			text: 'Installing collected packages: typing-extensions, numpy, filelock, torch',
		});
		expect(parsePipLine('Successfully installed filelock-3.16.1 numpy-1.26.4 torch-2.5.1+cpu typing-extensions-4.12.2').kind).toBe('boundary');
		expect(parsePipLine('torch 2.5.1+cpu numpy 1.26.4')).toEqual({kind: 'other'});
	});
});

describe('parsePipLine: synthetic forms from pip source (pip >= 24.1 raw, >= 25.1 resume, >= 25.2 elapsed)', () => {
	it('reads a PyPI download (file name only)', () => {
		expect(parsePipLine('  Downloading torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl (174.7 MB)')).toEqual({
			kind: 'downloading',
			file: 'torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl',
			package: 'torch',
			version: '2.5.1',
			fileKind: 'wheel',
			totalBytes: 174_700_000,
		});
	});

	it('reads the pip >= 25.2 final bar with elapsed time instead of eta', () => {
		expect(parsePipLine('   ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━ 174.7/174.7 MB 12.3 MB/s  0:01:03')).toEqual({
			kind: 'bar',
			doneBytes: 174_700_000,
			totalBytes: 174_700_000,
			bytesPerSecond: 12_300_000,
			elapsedMs: 63_000,
			isFinal: true,
		});
	});

	it('reads --progress-bar raw lines (exact bytes; `of 0` means no Content-Length)', () => {
		expect(parsePipLine('Progress 1048576 of 174700000')).toEqual({kind: 'raw', doneBytes: 1_048_576, totalBytes: 174_700_000});
		expect(parsePipLine('Progress 4096 of 0')).toEqual({kind: 'raw', doneBytes: 4096});
	});

	it('reads the spinner form used without a Content-Length', () => {
		expect(parsePipLine('     - 12.3 MB 5.0 MB/s 0:00:02')).toEqual({kind: 'spinner', doneBytes: 12_300_000, bytesPerSecond: 5_000_000, elapsedMs: 2000});
		expect(parsePipLine('     \\ 512 bytes ? 0:00:00')).toEqual({kind: 'spinner', doneBytes: 512, elapsedMs: 0});
	});

	it('reads a resumed download (pip >= 25.1)', () => {
		expect(parsePipLine('  Resuming download torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl (40.0 MB/174.7 MB)')).toMatchObject({
			kind: 'downloading',
			package: 'torch',
			initialBytes: 40_000_000,
			totalBytes: 174_700_000,
		});
	});

	it('reads a download without a size, metadata files, sdists and errors', () => {
		expect(parsePipLine('  Downloading https://example.invalid/pkgs/foo-1.0.tar.gz')).toEqual({
			kind: 'downloading',
			file: 'foo-1.0.tar.gz',
			url: 'https://example.invalid/pkgs/foo-1.0.tar.gz',
			package: 'foo',
			version: '1.0',
			fileKind: 'sdist',
		});
		expect(parsePipLine('  Downloading torch-2.5.1-cp311-cp311-manylinux1_x86_64.whl.metadata (28 kB)')).toMatchObject({
			kind: 'downloading',
			fileKind: 'file',
			package: 'torch',
			totalBytes: 28_000,
		});
		expect(parsePipLine('ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device')).toEqual({
			kind: 'error',
			message: 'Could not install packages due to an OSError: [Errno 28] No space left on device',
		});
	});
});

describe('small parsers', () => {
	it('parses decimal and binary sizes', () => {
		expect(parsePipSize('120.0 MB')).toBe(120_000_000);
		expect(parsePipSize('24 kB')).toBe(24_000);
		expect(parsePipSize('512 bytes')).toBe(512);
		expect(parsePipSize('731.1MiB')).toBe(766_613_914);
		expect(parsePipSize('1.2 GB')).toBe(1_200_000_000);
		expect(parsePipSize('nonsense')).toBeUndefined();
	});

	it('parses clocks', () => {
		expect(parseClock('0:00:07')).toBe(7000);
		expect(parseClock('1:02:03')).toBe(3_723_000);
		expect(parseClock('-:--:--')).toBeUndefined();
	});

	it('identifies files from URLs with query strings and fragments', () => {
		expect(identifyFile('https://files.example.invalid/torch-2.5.1%2Bcu121-cp311-cp311-linux_x86_64.whl#sha256=abc')).toEqual({
			file: 'torch-2.5.1+cu121-cp311-cp311-linux_x86_64.whl',
			url: 'https://files.example.invalid/torch-2.5.1%2Bcu121-cp311-cp311-linux_x86_64.whl#sha256=abc',
			package: 'torch',
			version: '2.5.1+cu121',
			fileKind: 'wheel',
		});
		expect(identifyFile('weird%ZZname')).toEqual({file: 'weird%ZZname', package: 'weird%ZZname', fileKind: 'file'});
	});
});
