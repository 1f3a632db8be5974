// `docker buildx inspect [NAME]` text (buildx has no JSON form of it up to at least 0.13): the builder's name,
// driver and last activity, then `Nodes:` with one block per node (a `Name:` line starts each). Indented lines
// belong to Labels / GC policy sub-sections and are skipped. Also the version line of `docker buildx version`.
import type {BuilderInfo, BuilderNodeInfo} from '../domain/resources-events.js';

const keyValue = /^([A-Za-z][^:]*):[ \t]*(.*)$/;

export function parseBuildxInspect(text: string): BuilderInfo | undefined {
	const builder: BuilderInfo = {name: '', driver: '', nodes: []};
	let node: BuilderNodeInfo | undefined;
	let inNodes = false;
	for (const raw of text.split('\n')) {
		const line = raw.replace(/\r$/, '');
		if (line.trim() === '' || /^\s/.test(line)) continue;
		if (line.trim() === 'Nodes:') {
			inNodes = true;
			continue;
		}
		const kv = keyValue.exec(line);
		if (!kv) continue;
		const key = kv[1]!.trim().toLowerCase();
		const value = kv[2]!.trim();
		if (!inNodes) {
			if (key === 'name') builder.name = value;
			else if (key === 'driver') builder.driver = value;
			else if (key === 'last activity') builder.lastActivity = value;
			continue;
		}
		if (key === 'name') {
			node = {name: value, endpoint: '', status: '', platforms: []};
			builder.nodes.push(node);
			continue;
		}
		if (!node) continue;
		switch (key) {
			case 'endpoint':
				node.endpoint = value;
				break;
			case 'status':
				node.status = value;
				break;
			case 'buildkit version':
			case 'buildkit':
				node.buildkitVersion = value;
				break;
			case 'platforms':
				node.platforms = splitPlatforms(value);
				break;
			case 'driver options':
				node.driverOptions = value;
				break;
			case 'buildkit daemon flags':
			case 'flags':
				node.buildkitFlags = value;
				break;
			case 'error':
				node.error = value;
				break;
			default:
				break;
		}
	}
	return builder.name ? builder : undefined;
}

export function splitPlatforms(value: string): string[] {
	return value
		.split(',')
		.map(p => p.trim())
		.filter(p => p !== '');
}

/** A platform list without buildx's preference marks (`linux/amd64*`). */
export function platformNames(platforms: string[]): string[] {
	return platforms.map(p => p.replace(/\*$/, ''));
}

export type BuildxVersion = {major: number; minor: number; patch: number; text: string};

/** "github.com/docker/buildx 0.13.1+ds1 0.13.1+ds1-3" or "github.com/docker/buildx v0.17.1 257815a" -> 0.13.1. */
export function parseBuildxVersion(text: string): BuildxVersion | undefined {
	const match = /\bv?((\d+)\.(\d+)\.(\d+)\S*)/.exec(text.replace(/^\S*buildx\S*\s+/, ''));
	if (!match) return undefined;
	return {major: Number(match[2]), minor: Number(match[3]), patch: Number(match[4]), text: match[1]!};
}

/** Whether `version` is at least major.minor. */
export function atLeast(version: BuildxVersion | undefined, major: number, minor: number): boolean {
	if (!version) return false;
	return version.major > major || (version.major === major && version.minor >= minor);
}
