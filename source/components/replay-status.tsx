// Replay's status line: position / duration, speed, paused, and any damage found in the file.
import React from 'react';
import {Text} from 'ink';
import type {ReplayStatus} from '../state/store.js';
import {formatClock, truncate} from '../lib/format.js';

export function ReplayStatusLine({replay, width}: {replay: ReplayStatus; width: number}) {
	const state = replay.isPaused ? 'paused' : replay.isAtEnd ? 'end' : 'playing';
	const position = `${formatClock(replay.positionMs)} / ${formatClock(replay.durationMs)}  ${replay.speed}x  ${state}`;
	return (
		<Text wrap="truncate">
			<Text color="magenta">replay </Text>
			{position}
			{replay.damage ? <Text color="yellow">{truncate(`  ! ${replay.damage}`, Math.max(0, width - 7 - position.length))}</Text> : null}
		</Text>
	);
}
