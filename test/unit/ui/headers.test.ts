import {describe, expect, it} from 'vitest';
import {ViewModel} from '../../../source/view/index.js';
import {podColumns} from '../../../source/ui/screen/pods.js';
import {initialState} from '../../../source/ui/state.js';
import {makeTheme} from '../../../source/ui/theme.js';
import {demoStore, now} from './fixture.js';

describe('column headers', () => {
	it('a sortable column has room for its title and the sort arrow', () => {
		const store = demoStore();
		const vm = new ViewModel(store);
		const ctx = {vm, status: vm.status(now), state: initialState(), width: 120, now, theme: makeTheme('none')};
		for (const c of podColumns(ctx, {width: 12})) {
			if (c.sort && !c.flex) expect(c.width, c.id).toBeGreaterThanOrEqual(c.title.length + 1);
		}
	});
});
