// The header: builder, driver, BuildKit version, counts, wall time, and whether (and where) we record.
import React from 'react';
import {Box, Text} from 'ink';
import type {SessionState} from '../state/slices/session.js';
import type {SessionCounts} from '../state/selectors.js';
import {formatDuration, truncate} from '../lib/format.js';

export function Header({session, counts, wallMs, width, isReplay = false}: {session: SessionState; counts: SessionCounts; wallMs: number; width: number; isReplay?: boolean}) {
	const info = session.info;
	const builder = info?.builder ?? '?';
	const driver = info?.driver ?? '?';
	// In replay the recorded session's own recording path means nothing: the replay status line says what plays.
	const recording = isReplay ? undefined : info?.recordingPath;
	return (
		<Box flexDirection="column">
			<Box>
				<Text bold color="cyan">bxtop </Text>
				<Text>
					builder <Text bold>{builder}</Text> ({driver}){info?.buildkitVersion ? ` BuildKit ${info.buildkitVersion}` : ''}
				</Text>
				<Text>
					{'  '}
					<Text color="cyan">running {counts.running}</Text> <Text color="green">done {counts.done}</Text>{' '}
					<Text color={counts.failed > 0 ? 'red' : 'gray'}>failed {counts.failed}</Text>
					{counts.cancelled > 0 ? <Text color="yellow"> cancelled {counts.cancelled}</Text> : null}
					{counts.queued > 0 ? <Text color="gray"> queued {counts.queued}</Text> : null}
				</Text>
				<Text>  {formatDuration(wallMs)}</Text>
				{!isReplay && session.endedAt !== undefined ? <Text color="gray">  finished: q quits</Text> : null}
			</Box>
			{recording ? (
				<Text color="red">{truncate(`REC ${recording}`, width)}</Text>
			) : null}
			{session.warnings.slice(-2).map((w, i) => (
				<Text key={i} color="yellow">
					{truncate(`! ${w.message}`, width)}
				</Text>
			))}
		</Box>
	);
}
