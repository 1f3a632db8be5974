// The README's key table is the one generated from the key table: `npm run docs:keys` rewrites it.
import {readFileSync} from 'node:fs';
import {expect, test} from 'vitest';
import {keyTableInReadme, keyTableMarkdown, withKeyTable} from '../../source/app/key-docs.js';
import {keyTable} from '../../source/state/keymap.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('README.md lists exactly the bound keys (run `npm run docs:keys` after changing source/state/keymap.ts)', () => {
	expect(keyTableInReadme(readme)).toBe(keyTableMarkdown());
});

test('the generated table has one row per binding, under the Keys heading', () => {
	const table = keyTableMarkdown().split('\n');
	expect(table.length).toBe(2 + keyTable.length);
	expect(table).toContain('| q (also ctrl+c) | live, replay, starting frame | quit (stops running builds) |');
	expect(table).toContain('| [ / shift+← | replay | previous step start or build end |');
	const keys = readme.indexOf('\n## Keys\n');
	expect(keys).toBeGreaterThan(0);
	expect(readme.indexOf('<!-- key table')).toBeGreaterThan(keys);
	expect(readme.indexOf('<!-- key table')).toBeLessThan(readme.indexOf('\n## ', keys + 1));
});

test('rewriting is idempotent and refuses a README without markers', () => {
	expect(withKeyTable(readme)).toBe(readme);
	expect(() => withKeyTable('# no table here\n')).toThrow('README has no key table markers');
});
