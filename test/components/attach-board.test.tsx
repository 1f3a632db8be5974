// The board for attached builds on a multi-node builder: each row says its node, and "emulated" is judged against
// that node's own native platform. Synthetic setting (this machine has no multi-node builder): two real
// single-platform arm64 captures, one announced as built on an arm64 node, one on the amd64 node.
import React from 'react';
import {expect, test} from 'vitest';
import {render} from 'ink-testing-library';
import {StoreProvider} from '../../source/app/store-context.js';
import {App} from '../../source/app/app.js';
import {createAppStore} from '../../source/state/store.js';
import {captureEvents} from '../helpers/captures.js';
import {waitForFrame} from '../helpers/ink.js';
import type {DomainEvent} from '../../source/domain/events.js';
import type {BuildkitRecord} from '../../source/domain/buildkit-record.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';
import {selectRows} from '../../source/state/selectors.js';

const info: DomainEvent = {type: 'session/started', at: 1_795_948_918_000, info: {command: [], mode: 'attach', builder: 'lab', driver: 'docker-container', nativePlatform: 'linux/amd64'}};

function attached(id: string, node: string, nativePlatform: string): DomainEvent[] {
	const buildId = `lab/${node}/${id}`;
	const events = captureEvents('07-concurrent-per-platform-cold-arm64.stderr.rawjson', {buildId, target: 'Dockerfile', platforms: ['linux/arm64'], node, nativePlatform});
	const record: BuildkitRecord = {ref: buildId, id, node, name: `api-${node}`, status: 'completed', frontend: 'dockerfile.v0', target: 'runtime', platforms: ['linux/arm64'], steps: {total: 16, completed: 16, cached: 0}, origin: 'history'};
	return [...events.slice(0, 2), {type: 'build/record-updated', at: events[1]!.at, buildId, record}, ...events.slice(2)];
}

test('rows of two nodes: the arm64 build on the arm64 node is native, the one on the amd64 node emulated; each row says its node', async () => {
	const events = [info, ...attached('aaa', 'lab1', 'linux/arm64'), ...attached('bbb', 'lab0', 'linux/amd64')];
	const state = reduceAll(initialDomainState, events);
	expect(selectRows(state, state.lastEventAt).map(r => [r.target, r.platform, r.node, r.isEmulated])).toEqual([
		['api-lab1', 'linux/arm64', 'lab1', false],
		['api-lab0', 'linux/arm64', 'lab0', true],
	]);
	const store = createAppStore(state);
	const {lastFrame, stdin, unmount} = render(
		<StoreProvider store={store}>
			<App mode="live" quit={() => {}} size={{columns: 110, rows: 30}} />
		</StoreProvider>,
	);
	const frame = await waitForFrame(lastFrame, f => f.includes('api-lab0'));
	const lines = frame.split('\n');
	expect(lines.find(l => l.includes('api-lab1'))).toMatch(/^✔ api-lab1\s+linux\/arm64 @lab1\s+\d+\/\d+ /);
	expect(lines.find(l => l.includes('api-lab0'))).toMatch(/^✔ api-lab0\s+linux\/arm64 emu @lab0\s+\d+\/\d+ /);
	// the log panel of the selected row says where the build came from
	stdin.write('\r');
	const withLogs = await waitForFrame(lastFrame, f => f.includes('from lab/lab1/aaa'));
	expect(withLogs).toContain('from lab/lab1/aaa · node lab1 · dockerfile.v0 · target runtime');
	unmount();
});
