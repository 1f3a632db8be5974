import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 20_000,
		hookTimeout: 120_000,
		// End-to-end tests drive one shared Docker daemon; running files in parallel on 2 cores only makes them flaky.
		fileParallelism: false,
	},
});
