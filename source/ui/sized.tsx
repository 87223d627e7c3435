/** The app at the terminal's size, following resizes. */
import {useWindowSize} from 'ink';
import type {Store} from '../store/store.js';
import {App} from './app.js';
import type {UiActions} from './input.js';
import type {UiState, ViewName} from './state.js';
import type {ColorMode} from './theme.js';

export function Sized(props: {store: Store; actions: UiActions; initialView: ViewName; colorMode: ColorMode; initial?: UiState}) {
	const {columns, rows} = useWindowSize();
	// The frame is exactly the terminal's size: never taller, never wider.
	return <App store={props.store} actions={props.actions} width={Math.max(20, columns)} height={Math.max(5, rows)} colorMode={props.colorMode} initialView={props.initialView} initial={props.initial} />;
}
