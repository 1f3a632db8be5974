// Runs a TypeScript script (argv[2]) with the arguments after it, through Vite's module runner (vite is already a
// dev dependency, via vitest), so scripts can use the test helpers without a build step or another dependency.
import path from 'node:path';
import {runnerImport} from 'vite';

const [script, ...args] = process.argv.slice(2);
if (!script) {
	console.error('usage: node scripts/run-ts.mjs SCRIPT.ts [ARGS...]');
	process.exit(2);
}
process.argv = [process.argv[0], path.resolve(script), ...args];
await runnerImport(path.resolve(script));
