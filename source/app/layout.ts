// How the terminal's height is shared, as a pure function: the live area must stay shorter than the terminal
// (Ink clears the whole screen every frame otherwise), whatever the number of builds, panels and dialogs.
// Priority: header, footer and an open dialog; a few board rows; one line of resources (the whole panel, or its
// one-line summary: what the user came for must not collapse to "+4 more"); the log panel's minimum; the run
// comparison; the whole resources panel and the cache panel (under half of what is left); the rest of the board;
// the rest of the log panel; the timeline.

export type LayoutInput = {
	height: number;
	headerLines: number;
	replayLines: number;
	dialogLines: number;
	rowCount: number;
	/** Some row shows a download line under it: count every row as two lines. */
	hasRowExtras: boolean;
	summaryLines: number;
	resourceLines: number;
	cacheLines: number;
	isLogOpen: boolean;
	isTimelineOpen: boolean;
};

export type Layout = {
	/** Board rows that fit (the board's own "+N more" lines are counted as rows). */
	boardRows: number;
	summary: number;
	/** Lines of the resources panel: all of resourceLines, or 1 for its one-line summary (never a clipped panel). */
	resources: number;
	cache: number;
	/** Log lines inside the box (0: no log panel); the box adds two border lines. */
	log: number;
	timeline: number;
};

const logMinimum = 3;
const logMaximum = 10;
const timelineMinimum = 4;
const timelineMaximum = 12;

export function layoutHeights(input: LayoutInput): Layout {
	const linesPerRow = input.hasRowExtras ? 2 : 1;
	const fixed = input.headerLines + input.replayLines + input.dialogLines + 1 /* footer */ + 1; /* kept free */
	let free = Math.max(0, input.height - fixed);
	const take = (wanted: number) => {
		const got = Math.max(0, Math.min(wanted, free));
		free -= got;
		return got;
	};

	const boardWanted = Math.max(1, input.rowCount) * linesPerRow;
	let board = take(Math.min(boardWanted, 3 * linesPerRow));
	// the timeline was asked for with a key: it comes before the log panel, or pressing t would show nothing
	let timeline = input.isTimelineOpen && free >= timelineMinimum ? take(timelineMinimum) : 0;
	let resources = input.resourceLines > 0 ? take(1) : 0;
	let log = input.isLogOpen && free >= logMinimum + 2 ? take(logMinimum + 2) - 2 : 0;
	const summary = take(Math.min(input.summaryLines, 4));
	const panelBudget = Math.floor(free * 0.45);
	const rest = Math.max(0, input.resourceLines - resources);
	const grown = resources > 0 && rest <= panelBudget ? take(rest) : 0;
	resources += grown;
	const cache = take(Math.min(input.cacheLines, Math.max(0, panelBudget - grown)));
	board += take(boardWanted - board);
	if (timeline > 0) timeline += take(timelineMaximum - timeline);
	if (log > 0) log += take(logMaximum - log);
	return {boardRows: Math.max(1, Math.floor(board / linesPerRow)), summary, resources, cache, log, timeline};
}
