// What bxtop reads of a `.dockerbuild` (`docker buildx history export`, Docker Desktop's build export): an OCI
// layout whose index.json names one manifest; that manifest's config (application/vnd.buildkit.historyrecord.v0)
// is BuildKit's build history record as JSON, and one of its layers (application/vnd.buildkit.status.v0) is the
// stored status log. The record becomes the same HistoryInspect that `history inspect --format json` gives, so a
// file and a ref go down one path. Pure: the caller hands over the archive's files by path.
import path from 'node:path/posix';
import type {HistoryInspect, HistoryStatus} from './history-records.js';
import {rfc3339} from './proto-time.js';

export const dockerbuildExtension = '.dockerbuild';
export const historyRecordMediaType = 'application/vnd.buildkit.historyrecord.v0';
export const statusLogMediaType = 'application/vnd.buildkit.status.v0';

export class DockerbuildError extends Error {}

export type DockerbuildParts = {record: HistoryInspect; statusLog: Uint8Array};

type Json = Record<string, unknown>;

/** The record and its status log, from the archive's files (`index.json`, `blobs/sha256/<hex>`). */
export function readDockerbuildParts(fileAt: (name: string) => Uint8Array | undefined): DockerbuildParts {
	const index = jsonAt(fileAt, 'index.json', 'no index.json: not an OCI layout (is this a `docker buildx history export` file?)');
	const manifests = Array.isArray(index['manifests']) ? (index['manifests'] as Json[]) : [];
	for (const descriptor of manifests) {
		const manifest = blobJson(fileAt, descriptor);
		const config = manifest?.['config'] as Json | undefined;
		if (!manifest || config?.['mediaType'] !== historyRecordMediaType) continue;
		const record = blobJson(fileAt, config);
		if (!record) throw new DockerbuildError(`the history record ${String(config['digest'])} is missing from the archive`);
		const layers = Array.isArray(manifest['layers']) ? (manifest['layers'] as Json[]) : [];
		const log = layers.find(l => l['mediaType'] === statusLogMediaType);
		const statusLog = log ? blob(fileAt, log) : undefined;
		if (!statusLog) throw new DockerbuildError('the archive holds no status log (application/vnd.buildkit.status.v0): nothing to replay');
		return {record: historyRecordOf(record), statusLog};
	}
	throw new DockerbuildError(`no manifest with a build history record (${historyRecordMediaType}): not a \`docker buildx history export\` file`);
}

/** BuildKit's BuildHistoryRecord (as exported) in the shape of `history inspect --format json`. */
export function historyRecordOf(o: Json): HistoryInspect {
	if (typeof o['Ref'] !== 'string') throw new DockerbuildError('the history record has no Ref');
	const attrs = (isObject(o['FrontendAttrs']) ? o['FrontendAttrs'] : {}) as Record<string, string>;
	const local = isObject(o['localState']) ? (o['localState'] as Json) : {};
	const started = protoTime(o['CreatedAt']);
	const completed = protoTime(o['CompletedAt']);
	const error = isObject(o['error']) ? (o['error'] as Json) : undefined;
	const platforms = attrs['platform'] ? attrs['platform'].split(',').map(p => p.trim()).filter(Boolean) : typeof o['DefaultPlatform'] === 'string' ? [o['DefaultPlatform']] : [];
	const record: HistoryInspect = {
		name: buildNameOf(attrs, local),
		ref: o['Ref'],
		status: statusOf(completed, error),
		platforms,
		steps: {total: count(o['numTotalSteps']), completed: count(o['numCompletedSteps']), cached: count(o['numCachedSteps'])},
		buildArgs: Object.entries(attrs)
			.filter(([k]) => k.startsWith('build-arg:'))
			.map(([k, v]) => ({name: k.slice('build-arg:'.length), value: v})),
	};
	if (attrs['target']) record.target = attrs['target'];
	if (attrs['filename']) record.dockerfile = attrs['filename'];
	if (attrs['vcs:revision']) record.vcsRevision = attrs['vcs:revision'];
	if (started) Object.assign(record, {startedAt: started.iso, startedAtMs: started.ms});
	if (completed) Object.assign(record, {completedAt: completed.iso, completedAtMs: completed.ms});
	// in integer nanoseconds first, as BuildKit's Duration (which `history inspect` prints), then ms
	if (started && completed) record.durationMs = ((completed.seconds - started.seconds) * 1e9 + (completed.nanos - started.nanos)) / 1e6;
	if (typeof error?.['message'] === 'string' && error['message']) record.error = error['message'];
	return record;
}

/** rpc code 1 is Canceled; any other error failed the build; no completion time: still running. */
function statusOf(completed: unknown, error: Json | undefined): HistoryStatus {
	if (error) return error['code'] === 1 ? 'canceled' : 'error';
	return completed ? 'completed' : 'running';
}

/**
 * The name `docker buildx history ls` shows, from the same facts: an explicit BUILDKIT_BUILD_NAME, else the
 * context (or the local directory's name, with a non-default Dockerfile's name after it), then ` (target)`.
 */
export function buildNameOf(attrs: Record<string, string>, local: Json): string {
	if (attrs['build-arg:BUILDKIT_BUILD_NAME']) return attrs['build-arg:BUILDKIT_BUILD_NAME'];
	const target = attrs['target'] ?? '';
	const context = attrs['context'] ?? (attrs['vcs:localdir:context'] && attrs['vcs:localdir:context'] !== '.' ? attrs['vcs:localdir:context'] : '');
	let dockerfile = attrs['filename'] && attrs['filename'] !== 'Dockerfile' ? attrs['filename'] : '';
	if (attrs['vcs:localdir:dockerfile'] && attrs['vcs:localdir:dockerfile'] !== '.') dockerfile = path.join(attrs['vcs:localdir:dockerfile'], dockerfile);
	const localPath = typeof local['LocalPath'] === 'string' && local['LocalPath'] !== '-' && !/^[a-z]+:\/\//.test(local['LocalPath']) ? local['LocalPath'] : '';
	const localDockerfile = typeof local['DockerfilePath'] === 'string' ? local['DockerfilePath'] : '';
	if (localPath && localDockerfile && localDockerfile !== '-' && localDockerfile !== 'Dockerfile') dockerfile = localDockerfile;

	const isDefaultName = dockerfile === '' || dockerfile.endsWith('/Dockerfile');
	if (dockerfile.endsWith('/Dockerfile')) dockerfile = dockerfile.slice(0, -'/Dockerfile'.length);
	let name = '';
	if (localPath && dockerfile.startsWith(localPath) && dockerfile.length > localPath.length) {
		name = dockerfile.slice(localPath.lastIndexOf('/') + 1);
	} else {
		const base = dockerfile || localPath;
		if (base) {
			const slash = base.lastIndexOf('/');
			name = base.slice(slash + 1);
			if (!isDefaultName) name = path.join(path.basename(slash >= 0 ? base.slice(0, slash) : base), name);
		}
	}
	if (context) name = context;
	if (target) name = name ? `${name} (${target})` : target;
	return name;
}

function protoTime(value: unknown): {iso: string; ms: number; seconds: number; nanos: number} | undefined {
	const iso = rfc3339(value);
	if (!iso || iso.startsWith('1970-01-01T00:00:00')) return undefined; // unset
	const o = value as Json;
	return {iso, ms: Date.parse(iso), seconds: Number(o['seconds'] ?? 0), nanos: Number(o['nanos'] ?? 0)};
}

function jsonAt(fileAt: (name: string) => Uint8Array | undefined, name: string, missing: string): Json {
	const bytes = fileAt(name);
	if (!bytes) throw new DockerbuildError(missing);
	try {
		const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
		if (isObject(value)) return value as Json;
	} catch {
		// falls through to the message below
	}
	throw new DockerbuildError(`${name} is not a JSON object`);
}

function blob(fileAt: (name: string) => Uint8Array | undefined, descriptor: Json): Uint8Array | undefined {
	const digest = typeof descriptor['digest'] === 'string' ? descriptor['digest'] : '';
	const [algorithm, hex] = digest.split(':');
	return algorithm && hex ? fileAt(`blobs/${algorithm}/${hex}`) : undefined;
}

function blobJson(fileAt: (name: string) => Uint8Array | undefined, descriptor: Json): Json | undefined {
	const bytes = blob(fileAt, descriptor);
	if (!bytes) return undefined;
	try {
		const value = JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
		return isObject(value) ? (value as Json) : undefined;
	} catch {
		return undefined;
	}
}

function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function count(value: unknown): number {
	return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
