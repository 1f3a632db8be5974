// Replay's status line: position / duration, speed, paused, and any damage found in the file.
import React from 'react';
import {Text} from 'ink';
import type {ReplayStatus} from '../state/store.js';
import {formatClock} from '../lib/format.js';

export function ReplayStatusLine({replay}: {replay: ReplayStatus}) {
	const state = replay.isPaused ? 'paused' : replay.isAtEnd ? 'end' : 'playing';
	return (
		<Text>
			<Text color="magenta">replay </Text>
			{formatClock(replay.positionMs)} / {formatClock(replay.durationMs)}  {replay.speed}x  <Text bold>{state}</Text>
			{replay.damage ? <Text color="yellow">  ! {replay.damage}</Text> : null}
		</Text>
	);
}
