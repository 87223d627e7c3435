/**
 * The replay view: the live TUI on a Player's store, with the recorded clock, the REPLAY label in
 * the header and the replay keys (keys/replay.ts). Going back in time gives a new store; the app
 * takes it as its store and keeps its view, sort, filter and selection.
 */
import {useEffect, useState} from 'react';
import {Playback} from '../record/playback.js';
import type {Player} from '../record/player.js';
import {runTui} from './run.js';
import {Sized} from './sized.js';
import {initialState, type ViewName} from './state.js';
import type {ColorMode} from './theme.js';

function ReplayRoot(props: {playback: Playback; initialView: ViewName; colorMode: ColorMode}) {
	const {playback} = props;
	const player = playback.player;
	const [, setTick] = useState(0);
	useEffect(() => playback.subscribe(() => setTick(t => t + 1)), [playback]);
	const [initial] = useState(() => ({...initialState(props.initialView), replay: true}));
	return (
		<Sized
			store={player.store}
			actions={{setSelector: async () => Promise.reject(new Error('a recording keeps the selector it was recorded with')), replay: what => playback.key(what)}}
			initialView={props.initialView}
			colorMode={props.colorMode}
			replay={{clock: player.now, replay: playback.label(), initial}}
		/>
	);
}

export async function runReplayTui(player: Player, at: number, view: ViewName): Promise<void> {
	player.seek(at);
	const playback = new Playback(player);
	playback.start();
	try {
		await runTui({store: player.store, actions: {setSelector: async () => {}}, root: colorMode => <ReplayRoot playback={playback} initialView={view} colorMode={colorMode} />});
	} finally {
		playback.stop();
	}
}
