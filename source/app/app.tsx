// Layout only: header, (replay status), board, details of the selected row, panels, footer. Every height is
// budgeted so the live area stays shorter than the terminal (Ink clears the whole screen otherwise).
import React, {useMemo} from 'react';
import {Box} from 'ink';
import {useApp, useAppStore} from './store-context.js';
import {useKeymap} from './use-keymap.js';
import {useTerminalSize} from './use-terminal-size.js';
import type {CommandContext} from './commands.js';
import type {Mode} from './keymap.js';
import {selectCounts, selectRows} from '../state/selectors.js';
import {Header} from '../components/header.js';
import {Board} from '../components/board.js';
import {LogPanel} from '../components/log-panel.js';
import {Footer} from '../components/footer.js';
import {Help} from '../components/help.js';
import {ReplayStatusLine} from '../components/replay-status.js';
import {DownloadLine} from '../components/download-line.js';
import {Timeline} from '../components/timeline.js';
import {selectDownloadLine, type DownloadLineView} from '../state/download-selectors.js';
import {PanelText, clip, resourcesPanelLines} from '../components/resources-panel.js';
import {cachePanelLines} from '../components/cache-panel.js';
import {PruneDialog, pruneDialogLines} from '../components/prune-dialog.js';
import {Text} from 'ink';

export type AppProps = {
	mode: Mode;
	quit: () => void;
	replay?: CommandContext['replay'];
	prune?: CommandContext['prune'];
	onDialogKey?: CommandContext['onDialogKey'];
	/** Fixed size for tests; otherwise the terminal's, following resizes. */
	size?: {columns: number; rows: number};
};

export function App({mode, quit, replay, prune, onDialogKey, size}: AppProps) {
	const store = useAppStore();
	useKeymap({store, mode, quit, ...(replay ? {replay} : {}), ...(prune ? {prune} : {}), ...(onDialogKey ? {onDialogKey} : {})});
	const terminal = useTerminalSize();
	const {columns, rows: height} = size ?? terminal;
	const width = Math.max(40, columns - 1);

	const domain = useApp(s => s.domain);
	const nowMs = useApp(s => s.nowMs);
	const ui = useApp(s => s.ui);
	const replayStatus = useApp(s => s.replay);

	const rows = useMemo(() => selectRows(domain, nowMs), [domain, nowMs]);
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

	// Height budget, top to bottom. One line is kept free below the live area.
	const headerLines = 1 + (mode === 'live' && domain.session.info?.recordingPath ? 1 : 0) + Math.min(2, domain.session.warnings.length);
	const replayLines = replayStatus ? 1 : 0;
	const footerLines = 1;
	const available = Math.max(3, height - 1 - headerLines - replayLines - footerLines);
	// Panels under the board: resources and build cache, at most ~40% of the room; a dialog takes what it needs.
	const resourceLines = resourcesPanelLines(domain, nowMs, width);
	const cacheLines = cachePanelLines(domain, nowMs, width, 5, mode === 'live');
	const dialog = ui.dialog;
	const dialogLines = dialog?.kind === 'prune' ? pruneDialogLines(dialog, domain, width).length + 2 + (dialog.problem ? 1 : 0) : dialog ? 1 : 0;
	const panelBudget = Math.max(0, Math.floor((available - dialogLines) * 0.4));
	const resourceHeight = Math.min(resourceLines.length, Math.max(Math.min(2, panelBudget), Math.ceil(panelBudget / 2)));
	const cacheHeight = Math.min(cacheLines.length, Math.max(0, panelBudget - resourceHeight));
	const summaryLines = ui.summaryLines ?? [];
	const belowBoard = resourceHeight + cacheHeight + dialogLines + summaryLines.length;
	const room = Math.max(3, available - belowBoard);
	const timelineLines = ui.isTimelineOpen && selectedBuild ? Math.min(12, Math.max(4, Math.floor(room / 3))) : 0;
	const logLines = ui.isLogOpen && selectedRow ? Math.min(10, Math.max(3, Math.floor((room - timelineLines) / 3))) : 0;
	const logBoxLines = logLines > 0 ? logLines + 2 : 0;
	// A row with a download line takes two lines: the board clips by rows, so give it rows' worth of lines.
	const linesPerRow = rows.length > 0 ? (rows.length + downloadLines.size) / rows.length : 1;
	const boardLines = Math.max(1, Math.floor((room - logBoxLines - timelineLines) / linesPerRow));

	if (ui.isHelpOpen) {
		return (
			<Box flexDirection="column">
				<Help mode={mode} />
				<Footer mode={mode} width={width} />
			</Box>
		);
	}

	return (
		<Box flexDirection="column" width={width}>
			<Header session={domain.session} counts={counts} wallMs={Math.max(0, end - start)} width={width} isReplay={mode === 'replay'} />
			{replayStatus ? <ReplayStatusLine replay={replayStatus} /> : null}
			<Board
				rows={rows}
				selected={selected}
				nowMs={nowMs}
				height={boardLines}
				width={width}
				renderUnder={row => {
					const view = downloadLines.get(row.key);
					return view ? <DownloadLine view={view} width={width} /> : null;
				}}
			/>
			{timelineLines > 0 && selectedBuild ? <Timeline build={selectedBuild} nowMs={nowMs} width={width} height={timelineLines} /> : null}
			{logLines > 0 && selectedRow && selectedBuild ? (
				<LogPanel row={selectedRow} build={selectedBuild} height={logLines} width={width} />
			) : null}
			{summaryLines.map((line, i) => (
				<Text key={`summary-${i}`} color="green" wrap="truncate">
					{line}
				</Text>
			))}
			{resourceHeight > 0 ? <PanelText lines={clip(resourceLines, resourceHeight)} /> : null}
			{cacheHeight > 0 ? <PanelText lines={clip(cacheLines, cacheHeight)} /> : null}
			{dialog?.kind === 'prune' ? <PruneDialog dialog={dialog} domain={domain} width={width} /> : null}
			{dialog?.kind === 'prune' && dialog.problem ? <Text color="red">{dialog.problem}</Text> : null}
			{dialog?.kind === 'message' ? <Text color="yellow">{dialog.text} (any key)</Text> : null}
			<Footer mode={mode} width={width} />
		</Box>
	);
}
