// `docker buildx ls`: `--format json` (one builder object per line, buildx >= 0.13) and the table. The table marks
// the current builder with `*` after its name and prints each node on an indented line (`\_ name` on 0.13; plain
// indentation on older buildx). Columns are found by content, not position: tabwriter pads inconsistently. buildx
// 0.29 abbreviates platform variants in the table (`linux/amd64 (+4)` for amd64 and its v2-v4 levels): the table
// then gives the base platforms only; `--format json` has them all.
import type {BuilderInfo, BuilderNodeInfo} from '../domain/resources-events.js';
import {splitPlatforms} from './buildx-inspect.js';
import {jsonLineObjects} from './json-lines.js';

export type LsBuilder = BuilderInfo & {isCurrent: boolean};

export function parseBuildxLsJson(text: string): LsBuilder[] {
	const builders: LsBuilder[] = [];
	for (const o of jsonLineObjects(text)) {
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
		// Whitespace tokens: tabwriter may leave a single space between full-width columns. Platforms, the last
		// column, are the only one with spaces inside ("linux/amd64, linux/arm64").
		const tokens = line
			.trim()
			.split(/\s+/)
			.filter(t => t !== '\\_');
		if (!isNode) {
			// "mybuilder*   docker-container" (0.13) or "mybuilder *  docker-container" (older)
			let name = tokens[0] ?? '';
			let rest = tokens.slice(1);
			let isCurrent = false;
			if (name.endsWith('*')) {
				name = name.slice(0, -1);
				isCurrent = true;
			} else if (rest[0] === '*') {
				isCurrent = true;
				rest = rest.slice(1);
			}
			builders.push({name, driver: rest[0] ?? '', nodes: [], isCurrent});
			continue;
		}
		const builder = builders[builders.length - 1];
		if (!builder || tokens.length < 2) continue;
		const node: BuilderNodeInfo = {name: tokens[0]!, endpoint: tokens[1]!, status: '', platforms: []};
		let rest = tokens.slice(2);
		if (rest[0] !== undefined && statusWords.test(rest[0])) {
			node.status = rest[0];
			rest = rest.slice(1);
		}
		if (rest[0] !== undefined && !rest[0].includes('/')) {
			node.buildkitVersion = rest[0];
			rest = rest.slice(1);
		}
		if (rest.length > 0) node.platforms = splitPlatforms(rest.join(' ')).map(p => p.replace(/\s*\(\+\d+\)$/, ''));
		builder.nodes.push(node);
	}
	return builders;
}
