// Run as a child (node --allow-natives-syntax --no-concurrent-recompilation scripts/run-ts.mjs
// test/helpers/optimisation-probe.ts ITERATIONS [raise]): runs a small loop ITERATIONS times in all, in calls of 100,
// and prints as JSON whether V8 optimised it. Optimisation is synchronous without concurrent recompilation, so the
// answer does not depend on how fast a worker thread is.
import {raiseOptimisationThreshold} from '../../source/app/optimisation-threshold.js';

const iterations = Number(process.argv[2]);
const isRaised = process.argv[3] === 'raise';
if (isRaised && !raiseOptimisationThreshold()) throw new Error('this V8 is not the one the budget was measured on');

function sumTo(n: number): number {
	let sum = 0;
	for (let i = 0; i < n; i++) sum = (sum + i) | 0;
	return sum;
}

let total = 0;
for (let call = 0; call < iterations / 100; call++) total = (total + sumTo(100)) | 0;
// V8's OptimizationStatus bit kOptimized (1 << 4), through its natives syntax (a parse error without the flag)
const status = (0, eval)('(f) => %GetOptimizationStatus(f)')(sumTo) as number;
console.log(JSON.stringify({iterations, isRaised, isOptimised: (status & 16) !== 0, total}));
