// The header: builder, driver, BuildKit version, counts, wall time, and whether (and where) we record. Each line
// is cut to the width: a wrapped header would push the live area past the terminal's height.
import React from 'react';
import {Box, Text} from 'ink';
import type {SessionState} from '../state/slices/session.js';
import type {SessionCounts} from '../state/selectors.js';
import {formatDuration, truncate} from '../lib/format.js';

/**
 * The header line in `width` characters: the builder, then the counts and the wall time. The counts are what must
 * show on a narrow terminal, so the builder's part is the one cut (or dropped) to make room for them.
 */
export function headerText(session: SessionState, counts: SessionCounts, wallMs: number, isReplay: boolean, width = Infinity): string {
	const info = session.info;
	const builder = `builder ${info?.builder ?? '?'} (${info?.driver ?? '?'})${info?.buildkitVersion ? ` BuildKit ${info.buildkitVersion}` : ''}`;
	const tally = [`running ${counts.running}`, `done ${counts.done}`, `failed ${counts.failed}`];
	if (counts.cancelled > 0) tally.push(`cancelled ${counts.cancelled}`);
	if (counts.queued > 0) tally.push(`queued ${counts.queued}`);
	const tail = [tally.join(' '), formatDuration(wallMs)];
	if (!isReplay && session.endedAt !== undefined) tail.push('finished: q quits');
	const counted = tail.join('  ');
	const room = width - counted.length - 2;
	if (room >= builder.length) return `${builder}  ${counted}`;
	if (room >= 12) return `${truncate(builder, room)}  ${counted}`;
	return truncate(counted, width);
}

export function Header({session, counts, wallMs, width, isReplay = false}: {session: SessionState; counts: SessionCounts; wallMs: number; width: number; isReplay?: boolean}) {
	// In replay the recorded session's own recording path means nothing: the replay status line says what plays.
	const recording = isReplay ? undefined : session.info?.recordingPath;
	return (
		<Box flexDirection="column">
			<Text wrap="truncate">
				<Text bold color="cyan">
					bxtop{' '}
				</Text>
				<Text color={counts.failed > 0 ? 'red' : undefined}>{headerText(session, counts, wallMs, isReplay, width - 6)}</Text>
			</Text>
			{recording ? <Text color="red">{truncate(`REC ${recording}`, width)}</Text> : null}
			{session.warnings.slice(-2).map((w, i) => (
				<Text key={i} color="yellow">
					{truncate(`! ${w.message}`, width)}
				</Text>
			))}
		</Box>
	);
}
