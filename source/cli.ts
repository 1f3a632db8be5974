#!/usr/bin/env node
// The executable. NODE_ENV must be set before React loads: its development build costs several times the CPU per
// render, and bxtop must cost less than the build it watches. (main.js loads React and Ink only for the commands
// that draw, with CI hidden from Ink: see loadUi there.)
process.env.NODE_ENV ??= 'production';
// before anything big loads: start-up itself grows the young generation (see young-generation.ts)
(await import('./app/young-generation.js')).capYoungGeneration();

const {main} = await import('./main.js');

const code = await main(process.argv.slice(2));
process.exitCode = code;
// Children are gone and the terminal restored; do not wait for stray handles (stdin, timers) to close.
setTimeout(() => process.exit(code), 50).unref();
