import {describe, expect, it} from 'vitest';
import {downloadPlainLine} from '../../source/plain/download-lines.js';
import {trackedEvents} from '../helpers/download-state.js';

describe('plain-mode download lines', () => {
	it('prints start, finish and cache-hit lines for real capture 01, nothing for progress', () => {
		const events = trackedEvents('01-cold-multiplatform-oci.stderr.rawjson', ['linux/amd64', 'linux/arm64']);
		const lines = events.map(e => downloadPlainLine(e, 'backend-cpu')).filter(Boolean);
		expect(lines).toEqual([
			'[backend-cpu linux/amd64] downloading python:bookworm layer 20d72e33fe05 (55.5 MB)',
			'[backend-cpu linux/arm64] downloading python:bookworm layer a7f82e7a4419 (55.1 MB)',
			'[backend-cpu linux/amd64] downloaded python:bookworm layer 20d72e33fe05: 55.5 MB in 0.2s, 304.9 MB/s',
			'[backend-cpu linux/arm64] downloaded python:bookworm layer a7f82e7a4419: 55.1 MB in 0.2s, 267.6 MB/s',
			'[backend-cpu linux/amd64] downloading torch 2.5.1+cpu (120.0 MB)',
			'[backend-cpu linux/amd64] downloaded torch 2.5.1+cpu: 120.0 MB in 9.3s, 12.9 MB/s',
			'[backend-cpu linux/amd64] downloading numpy 1.26.4 (3.0 MB)',
			'[backend-cpu linux/amd64] downloaded numpy 1.26.4: 3.0 MB in 0.3s, 11.0 MB/s',
			'[backend-cpu linux/arm64] downloading torch 2.5.1+cpu (120.0 MB)',
			'[backend-cpu linux/arm64] downloaded torch 2.5.1+cpu: 120.0 MB in 9.2s, 13.0 MB/s',
			'[backend-cpu linux/arm64] numpy 1.26.4: cached (3.0 MB), not downloaded',
		]);
	});

	it('prints a failure with where it stopped (synthetic)', () => {
		const events = trackedEvents('synthetic-pip-raw-two-platforms.rawjson', ['linux/amd64', 'linux/arm64']);
		const failed = events.find(e => e.type === 'download/failed')!;
		expect(downloadPlainLine(failed, 'app')).toBe(
			'[app linux/arm64] download of torch 2.5.1+cpu FAILED after 6.4s at 60.0/120.0 MB: step failed: process "/bin/sh -c pip install --progress-bar raw torch==2.5.1+cpu numpy==1.26.4" did not complete successfully: exit code: 2',
		);
	});
});
