// `npm run docs:keys`: writes the key table generated from source/state/keymap.ts into README.md's Keys section
// (between its markers). test/app/key-docs.test.ts fails while the README's copy differs.
import {readFileSync, writeFileSync} from 'node:fs';
import {withKeyTable} from '../source/app/key-docs.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withKeyTable(before);
if (after === before) {
	console.log('README.md: key table already up to date');
} else {
	writeFileSync(path, after);
	console.log('README.md: key table rewritten from source/state/keymap.ts');
}
