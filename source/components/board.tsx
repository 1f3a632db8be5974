// The per-platform board: one row per build x platform, clipped to the height it is given ("+N more") with the
// selected row always visible.
import React from 'react';
import {Box, Text} from 'ink';
import type {Row} from '../state/selectors.js';
import {PlatformRow, rowColumns} from './platform-row.js';

export function Board({rows, selected, nowMs, height, width, renderUnder}: {
	rows: Row[];
	selected: number;
	nowMs: number;
	height: number;
	width: number;
	/** Extra lines under a row (the download line); must return at most one element. */
	renderUnder?: (row: Row) => React.ReactNode;
}) {
	if (rows.length === 0) return <Text color="gray">no builds yet</Text>;
	const columns = rowColumns(width, rows);
	const window = visibleWindow(rows.length, selected, Math.max(1, height));
	const hiddenBefore = window.start;
	const hiddenAfter = rows.length - window.end;
	return (
		<Box flexDirection="column">
			{hiddenBefore > 0 ? <Text color="gray">  +{hiddenBefore} more above</Text> : null}
			{rows.slice(window.start, window.end).map((row, i) => (
				<Box key={row.key} flexDirection="column">
					<PlatformRow row={row} isSelected={window.start + i === selected} nowMs={nowMs} columns={columns} />
					{renderUnder?.(row)}
				</Box>
			))}
			{hiddenAfter > 0 ? <Text color="gray">  +{hiddenAfter} more</Text> : null}
		</Box>
	);
}

/** Which rows fit in `height` lines (counting the "+N more" lines), keeping `selected` inside. */
export function visibleWindow(count: number, selected: number, height: number): {start: number; end: number} {
	if (count <= height) return {start: 0, end: count};
	const room = Math.max(1, height - 2); // lines for "+N more above" and "+N more"
	let start = Math.min(Math.max(0, selected - Math.floor(room / 2)), count - room);
	start = Math.max(0, start);
	if (start === 0) return {start: 0, end: Math.max(1, height - 1)};
	if (start + room >= count) return {start: count - (height - 1), end: count};
	return {start, end: start + room};
}
