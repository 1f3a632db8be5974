// The board screen: connects the keys (useKeymap), derives the rows, download lines and panel lines from the store,
// and lays out header, (replay status), board, details of the selected row, panels, dialog and footer. Every height
// is budgeted (layout.ts) so the live area stays shorter than the terminal (Ink clears the whole screen otherwise).
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {useApp, useAppStore} from './store-context.js';
import {useKeymap} from './use-keymap.js';
import {useTerminalSize} from './use-terminal-size.js';
import type {CommandContext} from './commands.js';
import {bindingOf, keysLabel, type Mode} from '../state/keymap.js';
import {showsStartingFrame, type ResourceLacks} from '../state/store.js';
import {createRowsSelector, selectCounts} from '../state/selectors.js';
import {Header} from '../components/header.js';
import {Board} from '../components/board.js';
import {LogPanel} from '../components/log-panel.js';
import {Footer} from '../components/footer.js';
import {Help} from '../components/help.js';
import {ReplayStatusLine} from '../components/replay-status.js';
import {DownloadLine} from '../components/download-line.js';
import {Timeline} from '../components/timeline.js';
import {selectDownloadLine, type DownloadLineView} from '../state/download-selectors.js';
import {PanelText, clip, resourcesPanelLines, resourcesSummaryLine} from '../components/resources-panel.js';
import {cachePanelLines} from '../components/cache-panel.js';
import {PruneDialog, pruneDialogLines} from '../components/prune-dialog.js';
import {Text} from 'ink';
import {layoutHeights} from './layout.js';

const watchLacks: ResourceLacks = {facts: ['builder', 'host', 'cache'], file: 'watch'};

export type AppProps = {
	mode: Mode;
	quit: () => void;
	replay?: CommandContext['replay'];
	prune?: CommandContext['prune'];
	onDialogCommand?: CommandContext['onDialogCommand'];
	/** Fixed size for tests; otherwise the terminal's, following resizes. */
	size?: {columns: number; rows: number};
};

export function App({mode, quit, replay, prune, onDialogCommand, size}: AppProps) {
	const store = useAppStore();
	useKeymap({store, mode, quit, ...(replay ? {replay} : {}), ...(prune ? {prune} : {}), ...(onDialogCommand ? {onDialogCommand} : {})});
	const terminal = useTerminalSize();
	const {columns, rows: height} = size ?? terminal;
	const width = Math.max(40, columns - 1);

	const domain = useApp(s => s.domain);
	const nowMs = useApp(s => s.nowMs);
	const ui = useApp(s => s.ui);
	const replayStatus = useApp(s => s.replay);

	// stable rows: a row whose data did not change is the same object, so its memoised component skips the frame
	const selectStableRows = useMemo(createRowsSelector, []);
	const rows = useMemo(() => selectStableRows(domain, nowMs), [selectStableRows, domain, nowMs]);
	const downloadLines = useMemo(() => {
		const views = new Map<string, DownloadLineView>();
		for (const row of rows) {
			const view = selectDownloadLine(domain, row.buildId, row.platform, nowMs);
			if (view) views.set(row.key, view);
		}
		return views;
	}, [domain, nowMs, rows]);
	const counts = useMemo(() => selectCounts(domain), [domain]);
	const selected = Math.min(ui.selectedRow, Math.max(0, rows.length - 1));
	const selectedRow = rows[selected];
	const selectedBuild = selectedRow ? domain.builds.byId[selectedRow.buildId] : undefined;
	const start = domain.session.startedAt ?? domain.builds.byId[domain.builds.order[0] ?? '']?.queuedAt ?? nowMs;
	const end = domain.session.endedAt ?? nowMs;

	// Height budget (layout.ts): the live area always stays shorter than the terminal.
	const headerLines = 1 + (mode === 'live' && domain.session.info?.recordingPath ? 1 : 0) + Math.min(2, domain.session.warnings.length);
	// a live `watch` starts no resource monitor: say so rather than wait for figures that never come
	const lacks = replayStatus?.lacks ?? (mode === 'live' && domain.session.info?.mode === 'watch' ? watchLacks : undefined);
	const resourceLines = resourcesPanelLines(domain, nowMs, width, lacks);
	const cacheLines = cachePanelLines(domain, nowMs, width, 5, mode === 'live', lacks);
	const dialog = ui.dialog;
	const dialogLines = dialog?.kind === 'prune' ? pruneDialogLines(dialog, domain, width).length + 2 + (dialog.problem ? 1 : 0) : dialog ? 1 : 0;
	const summaryLines = ui.summaryLines ?? [];
	const layout = layoutHeights({
		height,
		headerLines,
		replayLines: replayStatus ? 1 : 0,
		dialogLines,
		rowCount: rows.length,
		hasRowExtras: downloadLines.size > 0,
		summaryLines: summaryLines.length,
		resourceLines: resourceLines.length,
		cacheLines: cacheLines.length,
		isLogOpen: ui.isLogOpen && selectedRow !== undefined,
		isTimelineOpen: ui.isTimelineOpen && selectedBuild !== undefined,
	});

	if (ui.isCleared) return null;
	const isStarting = showsStartingFrame({ui, domain});
	// before the starting frame: its footer offers `?` too, and help shows when asked, not once docker has answered
	if (ui.isHelpOpen) {
		return (
			<Box flexDirection="column">
				<Help mode={mode} height={height - 2} />
				<Footer mode={mode} width={width} {...(isStarting ? {context: 'starting' as const} : {})} />
			</Box>
		);
	}

	// a build's or bake's first frame, drawn while preflight (and bake --print) answer: nothing else is known yet
	if (isStarting) {
		return (
			<Box flexDirection="column" width={width}>
				<Text wrap="truncate">
					<Text bold color="cyan">
						bxtop{' '}
					</Text>
					<Text dimColor>{ui.startingLine}</Text>
				</Text>
				<Footer mode={mode} width={width} context="starting" />
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={width}>
			<Header session={domain.session} counts={counts} wallMs={Math.max(0, end - start)} width={width} isReplay={mode === 'replay'} />
			{replayStatus ? <ReplayStatusLine replay={replayStatus} width={width} /> : null}
			<Board
				rows={rows}
				selected={selected}
				nowMs={nowMs}
				height={layout.boardRows}
				width={width}
				renderUnder={row => {
					const view = downloadLines.get(row.key);
					return view ? <DownloadLine view={view} width={width} /> : null;
				}}
			/>
			{layout.timeline > 0 && selectedBuild ? <Timeline build={selectedBuild} nowMs={nowMs} width={width} height={layout.timeline} /> : null}
			{layout.log > 0 && selectedRow && selectedBuild ? <LogPanel row={selectedRow} build={selectedBuild} height={layout.log} width={width} /> : null}
			{layout.summary > 0 ? <PanelText lines={clip(summaryLines.map(text => ({text, color: 'green'})), layout.summary)} /> : null}
			{layout.resources > 0 ? (
				<PanelText lines={layout.resources >= resourceLines.length ? resourceLines : [resourcesSummaryLine(domain, nowMs, width, lacks)]} />
			) : null}
			{layout.cache > 0 ? <PanelText lines={clip(cacheLines, layout.cache)} /> : null}
			{dialog?.kind === 'prune' ? <PruneDialog dialog={dialog} domain={domain} width={width} /> : null}
			{dialog?.kind === 'prune' && dialog.problem ? (
				<Text color="red" wrap="truncate">
					{dialog.problem}
				</Text>
			) : null}
			{dialog?.kind === 'message' ? (
				<Text color="yellow" wrap="truncate">
					{dialog.text} ({keysLabel(bindingOf('dialog-close', 'message'))})
				</Text>
			) : null}
			<Footer mode={mode} width={width} />
		</Box>
	);
}
