/** Mount the app with ink-testing-library at a fixed viewport and clock; press keys; read frames. */
import {render} from 'ink-testing-library';
import type {Store} from '../../../source/store/store.js';
import {App} from '../../../source/ui/app.js';
import type {UiActions} from '../../../source/ui/input.js';
import type {UiState} from '../../../source/ui/state.js';
import type {ColorMode} from '../../../source/ui/theme.js';
import {demoStore, now} from './fixture.js';

const sgr = /\u001b\[[0-9;]*m/g;

export const clockNow = now + 7_000;

export function plain(s: string): string {
	return s.replace(sgr, '');
}

const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

export interface Mounted {
	store: Store;
	/** the last frame without escape sequences */
	frame(): string;
	/** the last frame as written (with SGR sequences) */
	raw(): string;
	lines(): string[];
	/** text of the line(s) drawn in reverse video (the selection) */
	selected(): string[];
	press(...keys: string[]): Promise<void>;
	resize(width: number, height: number): Promise<void>;
	quit: {count: number};
	unmount(): void;
}

export async function mount(opts: {store?: Store; width?: number; height?: number; initial?: UiState; actions?: Partial<UiActions>; colorMode?: ColorMode; inputQuietMs?: number} = {}): Promise<Mounted> {
	const store = opts.store ?? demoStore();
	const quit = {count: 0};
	const actions: UiActions = {setSelector: async () => {}, ...opts.actions};
	let width = opts.width ?? 100;
	let height = opts.height ?? 30;
	const element = () => (
		<App
			store={store}
			actions={actions}
			width={width}
			height={height}
			clock={() => clockNow}
			tickMs={0}
			warm={false}
			inputQuietMs={opts.inputQuietMs ?? 0}
			colorMode={opts.colorMode ?? 'none'}
			onQuit={() => quit.count++}
			{...(opts.initial ? {initial: opts.initial} : {})}
		/>
	);
	const r = render(element());
	await wait(5);
	const raw = () => r.lastFrame() ?? '';
	return {
		store,
		raw,
		frame: () => plain(raw()),
		lines: () => plain(raw()).split('\n'),
		selected: () =>
			raw()
				.split('\n')
				.filter(l => l.includes('\u001b[7m'))
				.map(l => plain(l).trimEnd()),
		async press(...keys: string[]) {
			for (const k of keys) {
				r.stdin.write(k);
				// a lone Esc is told apart from an escape sequence after 20 ms
				await wait(k === '\u001b' ? 45 : 5);
			}
		},
		async resize(w: number, h: number) {
			width = w;
			height = h;
			r.rerender(element());
			await wait(5);
		},
		quit,
		unmount: () => r.unmount(),
	};
}

export const keys = {enter: '\r', esc: '\u001b', up: '\u001b[A', down: '\u001b[B', right: '\u001b[C', left: '\u001b[D', pageDown: '\u001b[6~', pageUp: '\u001b[5~', tab: '\t', backspace: '\u007f'};
