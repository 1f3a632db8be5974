// `docker buildx ls`: `--format json` (one builder object per line, buildx >= 0.13) and the table. The table marks
// the current builder with `*` after its name and prints each node on an indented line (`\_ name` on 0.13; plain
// indentation on older buildx). Columns are found by content, not position: tabwriter pads inconsistently.
import type {BuilderInfo, BuilderNodeInfo} from '../state/slices/resources-events.js';
import {splitPlatforms} from './buildx-inspect.js';

export type LsBuilder = BuilderInfo & {isCurrent: boolean};

export function parseBuildxLsJson(text: string): LsBuilder[] {
	const builders: LsBuilder[] = [];
	for (const line of text.split('\n')) {
		const t = line.trim();
		if (!t.startsWith('{')) continue;
		let o: Record<string, unknown>;
		try {
			o = JSON.parse(t) as Record<string, unknown>;
		} catch {
			continue;
		}
		// buildx 0.13.1 prints the default builder twice (see the real capture): keep the first.
		if (typeof o['Name'] !== 'string' || builders.some(b => b.name === o['Name'])) continue;
		const nodes: BuilderNodeInfo[] = [];
		for (const n of Array.isArray(o['Nodes']) ? (o['Nodes'] as Record<string, unknown>[]) : []) {
			const node: BuilderNodeInfo = {
				name: String(n['Name'] ?? ''),
				endpoint: String(n['Endpoint'] ?? ''),
				status: String(n['Status'] ?? ''),
				platforms: Array.isArray(n['Platforms']) ? (n['Platforms'] as unknown[]).map(String) : [],
			};
			if (typeof n['Version'] === 'string' && n['Version']) node.buildkitVersion = n['Version'];
			if (typeof n['Err'] === 'string' && n['Err']) node.error = n['Err'];
			nodes.push(node);
		}
		const builder: LsBuilder = {name: o['Name'] as string, driver: String(o['Driver'] ?? ''), nodes, isCurrent: o['Current'] === true};
		if (typeof o['LastActivity'] === 'string') builder.lastActivity = o['LastActivity'];
		if (typeof o['Err'] === 'string' && o['Err']) builder.nodes.forEach(nd => (nd.error ??= o['Err'] as string));
		builders.push(builder);
	}
	return builders;
}

const statusWords = /^(running|inactive|stopped|error|booting|unknown)$/;

export function parseBuildxLsTable(text: string): LsBuilder[] {
	const builders: LsBuilder[] = [];
	for (const raw of text.split('\n')) {
		const line = raw.replace(/\r$/, '').replace(/\s+$/, '');
		if (line === '' || /^NAME\/NODE\s/.test(line)) continue;
		const isNode = /^\s/.test(line);
		const cells = line
			.trim()
			.replace(/\\_ /g, '')
			.split(/\s{2,}|\t+/)
			.map(c => c.trim())
			.filter(c => c !== '');
		if (!isNode) {
			// "mybuilder*   docker-container" (0.13) or "mybuilder *  docker-container" (older)
			const first = cells[0] ?? '';
			let name = first;
			let isCurrent = false;
			let rest = cells.slice(1);
			if (/\*$/.test(first)) {
				name = first.replace(/\s*\*$/, '');
				isCurrent = true;
			} else if (rest[0] === '*') {
				isCurrent = true;
				rest = rest.slice(1);
			}
			if (/\s\*$/.test(name)) name = name.replace(/\s\*$/, '');
			builders.push({name, driver: rest[0] ?? '', nodes: [], isCurrent});
			continue;
		}
		const builder = builders[builders.length - 1];
		if (!builder || cells.length < 2) continue;
		const node: BuilderNodeInfo = {name: cells[0]!, endpoint: cells[1]!, status: '', platforms: []};
		for (const cell of cells.slice(2)) {
			if (!node.status && statusWords.test(cell)) node.status = cell;
			else if (cell.includes('/')) node.platforms = splitPlatforms(cell);
			else if (!node.buildkitVersion) node.buildkitVersion = cell;
		}
		builder.nodes.push(node);
	}
	return builders;
}
