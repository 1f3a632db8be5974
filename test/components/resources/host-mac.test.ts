// On a Mac the host figures are the Mac's, not those of Docker Desktop's Linux VM where BuildKit runs: the panel says so.
import {expect, test} from 'vitest';
import {initialDomainState, reduce} from '../../../source/state/reducer.js';
import {resourcesPanelLines} from '../../../source/components/resources-panel.js';

const sampled = (isMac: boolean) =>
	reduce(initialDomainState, {
		type: 'host/sampled',
		at: 1,
		host: {isDaemonLocal: false, daemonHost: 'unix:///var/run/docker.sock', minFreeBytes: 10e9, cpuPercent: 12.5, cpus: 8, ...(isMac ? {isMac: true} : {})},
	});

test('the host line names the Mac when bxtop runs on one', () => {
	const lines = resourcesPanelLines(sampled(true), 1, 120).map(l => l.text);
	expect(lines.find(l => l.includes('cpu 12.5%'))).toMatch(/^this Mac \(not the Linux VM that runs BuildKit\) {3}cpu 12\.5%/);
	const other = resourcesPanelLines(sampled(false), 1, 120).map(l => l.text);
	expect(other.find(l => l.includes('cpu 12.5%'))).toMatch(/^this machine \(the Docker daemon is elsewhere\) {3}cpu 12\.5%/);
});
