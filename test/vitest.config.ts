import {fileURLToPath} from 'node:url';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	root: fileURLToPath(new URL('..', import.meta.url)),
	test: {
		projects: [
			{test: {name: 'unit', include: ['test/unit/**/*.test.{ts,tsx}'], testTimeout: 20_000}},
			{test: {name: 'tmux', include: ['test/tmux/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000, fileParallelism: false}},
			{test: {name: 'prometheus', include: ['test/prometheus/**/*.test.ts'], testTimeout: 120_000, hookTimeout: 900_000, fileParallelism: false}},
			{test: {name: 'cluster', include: ['test/cluster/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 900_000, fileParallelism: false}},
		],
	},
});
