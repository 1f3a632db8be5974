import {expect, test} from 'vitest';
import {DigestMap, digestKey} from '../../source/lib/digest-map.js';

test('synthetic: digests that share a key (same length and last characters) stay apart', () => {
	const tail = '0123456789abcdef';
	const a = `sha256:${'a'.repeat(48)}${tail}`;
	const b = `sha256:${'b'.repeat(48)}${tail}`;
	expect(digestKey(a)).toBe(digestKey(b)); // the collision this test is about
	const map = new DigestMap<number>();
	map.set(a, 1);
	expect(map.get(b)).toBeUndefined();
	map.set(b, 2);
	map.set(a, 3);
	expect([map.get(a), map.get(b), map.size]).toEqual([3, 2, 2]);
	// a fresh copy of the string (as JSON.parse gives) finds the same entry
	expect(map.get(JSON.parse(JSON.stringify(b)) as string)).toBe(2);
	map.clear();
	expect([map.get(a), map.size]).toEqual([undefined, 0]);
});

test('short and odd digests work as keys too', () => {
	const map = new DigestMap<string>();
	for (const digest of ['', 'x', 'sha256:0-1', 'sha256:1-1', 'sha256:0-10']) map.set(digest, digest.toUpperCase());
	expect(['', 'x', 'sha256:0-1', 'sha256:1-1', 'sha256:0-10', 'sha256:2-1'].map(d => map.get(d))).toEqual(['', 'X', 'SHA256:0-1', 'SHA256:1-1', 'SHA256:0-10', undefined]);
	expect(map.size).toBe(5);
});

test('a copy and its original go their own ways', () => {
	const tail = 'ffffffffffff';
	const a = `sha256:aa${tail}`;
	const b = `sha256:bb${tail}`; // same key as a
	const original = new DigestMap<number>();
	original.set(a, 1);
	original.set(b, 2);
	const copy = original.copy();
	copy.set(a, 10);
	copy.set('sha256:c', 3);
	original.set(b, 20);
	expect([original.get(a), original.get(b), original.get('sha256:c'), original.size]).toEqual([1, 20, undefined, 2]);
	expect([copy.get(a), copy.get(b), copy.get('sha256:c'), copy.size]).toEqual([10, 2, 3, 3]);
});
