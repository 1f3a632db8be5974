// After the builds end the samplers stop on purpose (a held board must not add idle samples to the session's
// figures). The panel must then say so, and show how old the last figures are, instead of implying a fault.
import React from 'react';
import {describe, expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import type {DomainEvent} from '../../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../../source/state/reducer.js';
import {PanelText, resourcesPanelLines} from '../../../source/components/resources-panel.js';
import {waitForFrame} from '../../helpers/ink.js';
import {builderInspected, hostEvent, statsEvents} from './resource-states.js';

const stats = statsEvents('01-cold-multiplatform-oci');
const lastSample = stats[stats.length - 1]!.at;
const stopped: DomainEvent = {type: 'sampling/stopped', at: lastSample + 800, reason: 'builds-ended'};

async function frameAt(events: DomainEvent[], nowMs: number, width = 100 /* ink-testing-library's columns */): Promise<string> {
	const domain = reduceAll(initialDomainState, events);
	const view = render(<PanelText lines={resourcesPanelLines(domain, nowMs, width)} />);
	const frame = await waitForFrame(view.lastFrame, f => f.includes('builder'));
	view.unmount();
	return frame;
}

describe('resources after sampling stopped at the end of the builds', () => {
	test('the container row says sampling stopped, not "no sample for 15.8s"; the host shows its last sample with its age', async () => {
		const frame = await frameAt([builderInspected(), ...stats, hostEvent(lastSample), stopped], lastSample + 15_800);
		expect(frame).not.toContain('no sample for');
		expect(frame.split('\n')).toEqual([
			'builder mybuilder (docker-container) · 1 node · buildx 0.13.1+ds1',
			'mybuilder0 cpu   0.68% █▅▃▃▃▃▁▁▁▁ peak 193.83%   mem 683.7MiB / 23.54GiB ▇▇████████ peak 689.7MiB',
			'           net ↓ 0 B/s ↑ 0 B/s   block r 0 B/s w 0 B/s   sampling stopped at end of builds · buildx…',
			'host   cpu 97.5%          █   load 1.84/2 cpus   mem 3.4 GB / 25.3 GB          ▂',
			'disk 41.2 GB free of 105.0 GB on /var/lib/docker (Docker data root)',
			'sampling stopped at end of builds: last host sample 15.8s old',
		]);
	});

	test('while sampling runs, a stalled stream is still called stale', async () => {
		const frame = await frameAt([builderInspected(), ...stats, hostEvent(lastSample)], lastSample + 15_800);
		expect(frame).toContain('block r 0 B/s w 0 B/s   no sample for 15.8s · buildx_buildkit_mybu…');
	});

	test('a node never sampled before the builds ended says so instead of waiting forever', async () => {
		const frame = await frameAt([builderInspected(), hostEvent(1000), {type: 'sampling/stopped', at: 1500, reason: 'builds-ended'}], 60_000);
		expect(frame).not.toContain('waiting for stats');
		expect(frame).toContain('mybuilder0 no sample of buildx_buildkit_mybuilder0 before the builds ended; sampling stopped at end…');
		expect(frame).toContain('sampling stopped at end of builds: last host sample 59.0s old');
	});
});
