// What the replay keys ask of a replayer (record/replayer.ts implements it, app/commands.ts calls it).
export type ReplayControls = {
	togglePause: () => void;
	seekBy: (ms: number) => void;
	seekToMark: (direction: -1 | 1) => void;
	changeSpeed: (direction: -1 | 1) => void;
	seekTo: (where: 'start' | 'end') => void;
};
