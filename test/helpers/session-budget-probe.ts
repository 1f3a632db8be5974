// Run as a child (node scripts/run-ts.mjs test/helpers/session-budget-probe.ts live|replay): one plain session of
// that mode with no sources, then prints as JSON the optimisation budget the process raised V8's to (none: null).
import {PassThrough} from 'node:stream';
import {runSession} from '../../source/app/run-session.js';
import {raisedOptimisationBudget} from '../../source/app/optimisation-threshold.js';
import {systemClock} from '../../source/domain/clock.js';

const mode = process.argv[2] === 'live' ? 'live' : 'replay';
const quiet = new PassThrough() as unknown as NodeJS.WriteStream;
quiet.resume();
await runSession({mode, isPlain: true, clock: systemClock, io: {stdout: quiet, stderr: quiet, stdin: process.stdin}, run: async () => {}});
console.log(JSON.stringify({mode, budget: raisedOptimisationBudget() ?? null}));
process.exit(0);
