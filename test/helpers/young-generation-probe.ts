// Run as a child (node scripts/run-ts.mjs test/helpers/young-generation-probe.ts [cap]): keeps about 40 MB of new
// objects, made in slices with a turn of the event loop between them (as a recording is read), and prints the young
// generation's size before and after as JSON. With `cap` the cap is twice the size found at the start (the module
// runner that loads this has grown it already): only the observer, after collections, can stop the growth there.
import {capYoungGeneration, youngGenerationBytes} from '../../source/app/young-generation.js';

const isCapped = process.argv[2] === 'cap';
const beforeBytes = youngGenerationBytes();
const maxBytes = beforeBytes * 2;
if (isCapped) capYoungGeneration(maxBytes);
const kept: {index: number; text: string; values: number[]}[] = [];
for (let slice = 0; slice < 100; slice++) {
	for (let i = 0; i < 4000; i++) kept.push({index: i, text: `line ${slice}:${i}`, values: [slice, i]});
	await new Promise(resolve => setImmediate(resolve));
}
console.log(JSON.stringify({isCapped, maxBytes, beforeBytes, afterBytes: youngGenerationBytes(), kept: kept.length}));
