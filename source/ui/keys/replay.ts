/** Keys of a replay (memtop replay FILE): they work in the lists and a pod's detail. */
import type {Binding, Mode} from '../keys.js';

const screens: Mode[] = ['list', 'detail'];

export const replayRows: Binding[] = [
	{keys: ['.'], display: '.', command: 'replay:pause', help: 'pause / play', footer: 'pause', rank: 1, group: 'Replay', modes: screens, replay: true},
	{keys: [','], display: ',', command: 'replay:step', help: 'step to the next metrics window (pauses)', footer: 'step', rank: 2, group: 'Replay', modes: screens, replay: true},
	{keys: ['+'], display: '+', command: 'replay:faster', help: 'faster: ×1 → ×10 → ×60', footer: '×', rank: 3, group: 'Replay', modes: screens, replay: true},
	{keys: ['-'], display: '-', command: 'replay:slower', help: 'slower: ×60 → ×10 → ×1', group: 'Replay', modes: screens, replay: true},
	{keys: [']'], display: ']', command: 'replay:forward', help: 'jump 1 minute on', group: 'Replay', modes: screens, replay: true},
	{keys: ['['], display: '[', command: 'replay:back', help: 'jump 1 minute back', group: 'Replay', modes: screens, replay: true},
	{keys: ['}'], display: '}', command: 'replay:forward10', help: 'jump 10 minutes on', group: 'Replay', modes: screens, replay: true},
	{keys: ['{'], display: '{', command: 'replay:back10', help: 'jump 10 minutes back', group: 'Replay', modes: screens, replay: true},
	{keys: ['0'], display: '0', command: 'replay:start', help: 'jump to the start of the recording', group: 'Replay', modes: screens, replay: true},
	{keys: ['$'], display: '$', command: 'replay:end', help: 'jump to the end of the recording', group: 'Replay', modes: screens, replay: true},
];
