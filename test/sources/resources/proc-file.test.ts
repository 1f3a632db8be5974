// The kept-open reader the host sampler uses for /proc files, on this machine's /proc and on temp files.
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {openProcFile} from '../../../source/sources/proc-file.js';
import {descriptorsOpenOn} from '../../helpers/descriptors.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach(dir => rmSync(dir, {recursive: true, force: true})));
const tempDir = () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-proc-file-'));
	dirs.push(dir);
	return dir;
};

test('each read is the file as it is now: /proc/self/stat moves with the CPU this process spends', () => {
	const file = openProcFile('/proc/self/stat');
	const utime = (text: string | undefined) => Number(text!.slice(text!.lastIndexOf(')') + 2).split(' ')[11]);
	const before = utime(file.read());
	const end = Date.now() + 200;
	while (Date.now() < end); // 20 clock ticks of user time
	expect(utime(file.read())).toBeGreaterThan(before);
	file.close();
});

test('a file larger than its first buffer is read whole, and a rewrite is seen on the next read', () => {
	const name = path.join(tempDir(), 'big.txt');
	const big = 'x'.repeat(100_000) + '\nend\n';
	writeFileSync(name, big);
	const file = openProcFile(name);
	expect(file.read()).toBe(big);
	writeFileSync(name, 'short\n');
	expect(file.read()).toBe('short\n');
	file.close();
});

test('a file the kernel renders a record at a time is read to its end, not to the first page: /proc/self/maps', () => {
	const file = openProcFile('/proc/self/maps');
	const ours = file.read()!;
	const theirs = readFileSync('/proc/self/maps', 'utf8');
	// a Node process maps more than a page of lines; the last mapping (the vsyscall page or the stack) is there
	expect(theirs.length).toBeGreaterThan(4096);
	expect(ours.length).toBeGreaterThan(4096);
	expect(ours.trimEnd().split('\n').pop()).toBe(theirs.trimEnd().split('\n').pop());
	file.close();
});

test('a missing file reads as nothing, and is opened once it exists', () => {
	const name = path.join(tempDir(), 'later.txt');
	const file = openProcFile(name);
	expect(file.read()).toBeUndefined();
	writeFileSync(name, 'now\n');
	expect(file.read()).toBe('now\n');
	file.close();
});

test('a read that fails on an open descriptor (a directory: EISDIR) closes it, and the next read opens the path again', () => {
	const name = path.join(tempDir(), 'was-a-dir');
	mkdirSync(name);
	const file = openProcFile(name);
	expect(file.read()).toBeUndefined();
	expect(descriptorsOpenOn(name)).toBe(0);
	rmSync(name, {recursive: true});
	writeFileSync(name, 'a file now\n');
	expect(file.read()).toBe('a file now\n');
	expect(descriptorsOpenOn(name)).toBe(1);
	file.close();
});

test('close releases the descriptor; reads after it give nothing', () => {
	const file = openProcFile('/proc/meminfo');
	expect(file.read()).toContain('MemTotal:');
	expect(descriptorsOpenOn('/proc/meminfo')).toBe(1);
	file.close();
	expect(descriptorsOpenOn('/proc/meminfo')).toBe(0);
	expect(file.read()).toBeUndefined();
	expect(readFileSync('/proc/meminfo', 'utf8')).toContain('MemTotal:');
});
