// The line under a platform row: the download in progress (`torch 2.5.1+cpu  74.1/174.7 MB  14.8 MB/s  eta 0:07`),
// or once none runs a summary (`torch 2.5.1+cpu  120.0 MB in 9.3s  12.9 MB/s`). Estimated figures carry ≈; a rate
// is shown only when a source gave one.
import React from 'react';
import {Box, Text} from 'ink';
import type {DownloadLineView} from '../state/download-selectors.js';
import {truncate} from '../lib/format.js';
import {downloadLineText} from '../plain/download-text.js';

const indent = '   ↳ ';

type DownloadLineProps = {view: DownloadLineView; width: number};

/** Memoised on what it shows: the views are fresh objects every frame, their text often is not. */
export const DownloadLine = React.memo(DownloadLineView, (a: DownloadLineProps, b: DownloadLineProps) =>
	a.width === b.width && colorOf(a.view) === colorOf(b.view) && downloadLineText(a.view) === downloadLineText(b.view),
);

function colorOf(view: DownloadLineView): string {
	return view.kind === 'active' ? 'cyan' : view.main.status === 'failed' ? 'red' : 'gray';
}

function DownloadLineView({view, width}: DownloadLineProps) {
	const text = truncate(`${indent}${downloadLineText(view)}`, Math.max(10, width));
	const color = colorOf(view);
	return (
		<Box>
			<Text color={color}>{text}</Text>
		</Box>
	);
}
