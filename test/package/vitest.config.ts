/**
 * The suites that start memtop as a user does (test/unit/cli, test/tmux) and executable.test.ts,
 * against the single executable: test/package/test.sh runs them with MEMTOP_BIN set and no node
 * on the PATH. Each keeps its settings from test/vitest.config.ts.
 */
import {defineConfig, type TestProjectInlineConfiguration} from 'vitest/config';
import base from '../vitest.config.js';

const projects = base.test!.projects as TestProjectInlineConfiguration[];
const project = (name: string) => projects.find(p => p.test?.name === name)!;

export default defineConfig({
	root: base.root,
	test: {
		projects: [{test: {...project('unit').test, name: 'executable', include: ['test/package/executable.test.ts', 'test/unit/cli/cli.test.ts']}}, project('tmux')],
	},
});
