#!/usr/bin/env node
// The executable. Two things must happen before the app (React, Ink) loads:
// - NODE_ENV: React's development build costs several times the CPU per render, and bxtop must cost less than the
//   build it watches;
// - CI: Ink decides once, when it loads, that a CI environment gets only the last frame. A person at a real terminal
//   on such a machine still wants the live board, so Ink is loaded with CI hidden and the variable put back after.
process.env.NODE_ENV ??= 'production';
const ciVariables = ['CI', 'CONTINUOUS_INTEGRATION'] as const; // what Ink's is-in-ci reads
const saved = ciVariables.map(name => process.env[name]);
if (process.stdout.isTTY) for (const name of ciVariables) if (process.env[name] !== undefined) process.env[name] = 'false';

const {main} = await import('./main.js');
ciVariables.forEach((name, i) => {
	if (saved[i] === undefined) delete process.env[name];
	else process.env[name] = saved[i];
});

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Children are gone and the terminal restored; do not wait for stray handles (stdin, timers) to close.
setTimeout(() => process.exit(code), 50).unref();
