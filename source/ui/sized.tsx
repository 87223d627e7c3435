/** The app at the terminal's size, following resizes. */
import {useWindowSize} from 'ink';
import type {Store} from '../store/store.js';
import {App} from './app.js';
import type {FrameSink} from './frame-writer.js';
import type {UiActions} from './input.js';
import type {UiState, ViewName} from './state.js';
import type {ColorMode} from './theme.js';

/** what a replay sets on the app: its clock, the header label, the state with the replay keys on */
export interface ReplayProps {
	clock: () => number;
	replay: string;
	initial: UiState;
}

export function Sized(props: {store: Store; actions: UiActions; initialView: ViewName; colorMode: ColorMode; initial?: UiState; replay?: ReplayProps; sink?: FrameSink}) {
	const {columns, rows} = useWindowSize();
	// The frame is exactly the terminal's size: never taller, never wider.
	return <App store={props.store} actions={props.actions} width={Math.max(20, columns)} height={Math.max(5, rows)} colorMode={props.colorMode} initialView={props.initialView} initial={props.initial} sink={props.sink} {...props.replay} />;
}
