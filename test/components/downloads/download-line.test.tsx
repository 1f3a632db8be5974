import React from 'react';
import {describe, expect, it} from 'vitest';
import {render} from 'ink-testing-library';
import {stripVTControlCharacters} from 'node:util';
import {Box} from 'ink';
import {DownloadLine} from '../../../source/components/download-line.js';
import {selectDownloadLine, type DownloadLineView} from '../../../source/state/download-selectors.js';
import {selectRows} from '../../../source/state/selectors.js';
import {Board} from '../../../source/components/board.js';
import {stateAt, trackedEvents} from '../../helpers/download-state.js';

const frameOf = (element: React.ReactElement) => {
	const {lastFrame, unmount} = render(element);
	const frame = stripVTControlCharacters(lastFrame() ?? '');
	unmount();
	return frame;
};

describe('DownloadLine', () => {
	it('shows the download in progress: the issue example', () => {
		const view: DownloadLineView = {
			kind: 'active',
			key: 'b1|x-1',
			package: 'torch',
			version: '2.5.1+cpu',
			downloadKind: 'wheel',
			file: 'torch-2.5.1+cpu-cp311-cp311-linux_x86_64.whl',
			doneBytes: 74_100_000,
			totalBytes: 174_700_000,
			isTotalRounded: true,
			bytesPerSecond: 14_800_000,
			etaMs: 7000,
			isEstimate: false,
			elapsedMs: 5000,
			source: 'pip-live',
			moreCount: 0,
		};
		expect(frameOf(<DownloadLine view={view} width={80} />)).toBe('   ↳ torch 2.5.1+cpu  74.1/174.7 MB  14.8 MB/s  eta 0:07');
		expect(frameOf(<DownloadLine view={{...view, isEstimate: true, source: 'network-estimate'}} width={80} />)).toBe(
			'   ↳ torch 2.5.1+cpu  ≈74.1/174.7 MB  ≈14.8 MB/s  eta ≈0:07',
		);
		expect(frameOf(<DownloadLine view={view} width={30} />)).toBe('   ↳ torch 2.5.1+cpu  74.1/17…');
	});

	it('renders under each platform row of the board (real capture 01, mid-download and at the end)', () => {
		const events = trackedEvents('01-cold-multiplatform-oci.stderr.rawjson', ['linux/amd64', 'linux/arm64']);
		const board = (untilAt: number) => {
			const state = stateAt(events, untilAt);
			const rows = selectRows(state, untilAt);
			return frameOf(
				<Box width={100}>
					<Board
						rows={rows}
						selected={0}
						nowMs={untilAt}
						height={10}
						width={100}
						renderUnder={row => {
							const view = selectDownloadLine(state, row.buildId, row.platform, untilAt);
							return view ? <DownloadLine view={view} width={100} /> : null;
						}}
					/>
				</Box>,
			)
				.split('\n')
				.filter(l => l.includes('↳'));
		};
		const torchStart = Date.parse('2026-11-29T10:42:04.967428688Z');
		expect(board(torchStart + 7000)).toEqual([
			'   ↳ torch 2.5.1+cpu  120.0 MB  downloading 0:07',
			'   ↳ python:bookworm layer a7f82e7a4419  55.1 MB in 0.2s  267.6 MB/s',
		]);
		expect(board(Infinity)).toEqual([
			'   ↳ torch 2.5.1+cpu  120.0 MB in 9.3s  12.9 MB/s  +2 more (58.5 MB)',
			'   ↳ torch 2.5.1+cpu  120.0 MB in 9.2s  13.0 MB/s  +1 more (55.1 MB)  1 cached',
		]);
	});

	it('shows a failure in the summary (synthetic)', () => {
		const events = trackedEvents('synthetic-pip-live-fail.rawjson', ['linux/amd64']);
		const state = stateAt(events);
		const view = selectDownloadLine(state, 'b1', 'linux/amd64', state.lastEventAt)!;
		expect(frameOf(<DownloadLine view={view} width={100} />)).toBe('   ↳ torch 2.5.1+cpu  failed at 50.0/120.0 MB after 4.3s');
	});
});
