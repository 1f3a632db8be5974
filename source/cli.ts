#!/usr/bin/env node
// The executable. React must see NODE_ENV before it loads: its development build costs several times the CPU
// per render (bxtop must cost less than the build it watches), so the app is imported only after this line.
process.env.NODE_ENV ??= 'production';

const {main} = await import('./main.js');
const code = await main(process.argv.slice(2));
process.exitCode = code;
// Children are gone and the terminal restored; do not wait for stray handles (stdin, timers) to close.
setTimeout(() => process.exit(code), 50).unref();
