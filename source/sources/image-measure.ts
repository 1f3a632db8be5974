// After a build succeeds: measure the image it produced, per platform, from whatever its output left to inspect
// (a loaded image, a pushed one, an OCI archive), and emit image/measured or image/not-measured for the report.
// lib/image-size.ts does the arithmetic; this file only runs the inspections (argument arrays, no shell).
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import type {Emit} from '../domain/events.js';
import type {Clock} from '../domain/clock.js';
import type {ChildBuild} from '../domain/child-build.js';
import {
	imageInspectSize,
	indexEntries,
	isIndexMediaType,
	ociArchiveSizes,
	outputKind,
	parseBuildMetadata,
	parseTarListing,
	sizesFromDocuments,
	type BuildMetadata,
	type SizeResult,
} from '../lib/image-size.js';
import type {EngineImages} from './engine-image.js';

/** Where bxtop asks buildx to write the child's metadata, unless the user named a file already. */
export function withMetadataFile(child: ChildBuild, file: string): {child: ChildBuild; metadataFile: string} {
	const args = child.dockerArgs;
	const given = args.findIndex(a => a === '--metadata-file' || a.startsWith('--metadata-file='));
	if (given !== -1) {
		const value = args[given]!.includes('=') ? args[given]!.slice('--metadata-file='.length) : args[given + 1]!;
		return {child, metadataFile: value};
	}
	// insert right after `buildx build`, before the user's arguments and the context
	const dockerArgs = [...args.slice(0, 2), '--metadata-file', file, ...args.slice(2)];
	return {child: {...child, dockerArgs}, metadataFile: file};
}

async function run(args: string[], cwd: string | undefined, signal: AbortSignal | undefined): Promise<string> {
	const result = await execa(args[0]!, args.slice(1), {
		cwd,
		reject: false,
		stdin: 'ignore',
		timeout: 60_000,
		maxBuffer: 64 * 1024 * 1024,
		...(signal ? {cancelSignal: signal} : {}),
	});
	if (result.exitCode !== 0) throw new Error(`${args.slice(0, 3).join(' ')} failed: ${String(result.stderr).split('\n')[0]}`);
	return String(result.stdout);
}

/**
 * `images`: the daemon docker talks to, asked directly for a loaded image (no docker process); without it, or for
 * what it cannot settle, `docker image inspect` runs.
 */
export async function measureImage(
	child: ChildBuild,
	metadataFile: string,
	driver: string | undefined,
	emit: Emit,
	clock: Clock,
	signal?: AbortSignal,
	images?: EngineImages,
): Promise<void> {
	const {buildId} = child.spec;
	const notMeasured = (reason: string, platform?: string) =>
		emit({type: 'image/not-measured', at: clock.now(), buildId, ...(platform ? {platform} : {}), reason});
	let metadata: BuildMetadata;
	try {
		metadata = parseBuildMetadata(JSON.parse(await readFile(metadataFile, 'utf8')));
	} catch {
		metadata = parseBuildMetadata(undefined);
	}
	const output = outputKind(child.dockerArgs, driver);
	try {
		let result: SizeResult;
		let source: 'image-inspect' | 'imagetools-inspect' | 'oci-tar';
		switch (output.kind) {
			case 'none':
				notMeasured(output.reason);
				return;
			case 'oci-layout':
				notMeasured('OCI layout directories are not measured yet');
				return;
			case 'load': {
				const inspectLoaded = async (reference: string, platform?: string) => {
					const answer = images ? await images.inspect(reference, platform, signal) : {fallback: true as const};
					if (signal?.aborted) return; // the session is stopping: no docker process for it
					if ('refused' in answer) return notMeasured(`docker image inspect failed: ${answer.refused}`, platform);
					const args = ['docker', 'image', 'inspect', ...(platform ? ['--platform', platform] : []), reference];
					const size = imageInspectSize('image' in answer ? answer.image : JSON.parse(await run(args, undefined, signal)));
					if (!size) return notMeasured('docker image inspect gave no size', platform);
					emit({type: 'image/measured', at: clock.now(), buildId, platform: size.platform, sizeBytes: size.sizeBytes, isCompressed: false, ...(size.layerCount !== undefined ? {layerCount: size.layerCount} : {}), ...(size.digest ? {digest: size.digest} : {}), reference, source: 'image-inspect'});
				};
				const platforms = child.spec.platforms;
				if (platforms.length > 1) {
					// One build loaded several platforms (the containerd image store): the digest is the index's;
					// `docker image inspect --platform` (Engine API 1.49+) gives each platform's image.
					const reference = metadata.digest ?? output.names[0];
					if (!reference) return notMeasured('loaded image has no tag or id to inspect');
					for (const platform of platforms) {
						try {
							await inspectLoaded(reference, platform);
						} catch (error) {
							notMeasured((error as Error).message, platform);
						}
					}
					return;
				}
				const reference = metadata.configDigest ?? metadata.digest ?? output.names[0];
				if (!reference) return notMeasured('loaded image has no tag or id to inspect');
				await inspectLoaded(reference);
				return;
			}
			case 'push': {
				const name = output.names[0] ?? metadata.imageNames[0];
				if (!name || !metadata.digest) return notMeasured('pushed image: name or digest unknown (no metadata)');
				const base = name.replace(/@.*$/, '');
				const raw = async (digest: string) => JSON.parse(await run(['docker', 'buildx', 'imagetools', 'inspect', '--raw', `${base}@${digest}`], undefined, signal)) as unknown;
				const root = await raw(metadata.digest);
				const documents = new Map<string, unknown>([[metadata.digest, root]]);
				if (isIndexMediaType((root as {mediaType?: string}).mediaType) || Array.isArray((root as {manifests?: unknown}).manifests)) {
					for (const entry of indexEntries(root)) if (!entry.isAttestation) documents.set(entry.digest, await raw(entry.digest));
				}
				result = sizesFromDocuments(root, digest => documents.get(digest));
				source = 'imagetools-inspect';
				break;
			}
			case 'oci-archive':
			case 'docker-archive': {
				const dest = output.dest;
				const listing = await run(['tar', '-tvf', dest], child.cwd, signal);
				// Manifests and indexes are small JSON blobs, layers large: extract index.json and the small blobs in
				// one pass (tar reads the whole archive for every extraction, and a CUDA image is gigabytes).
				const small = parseTarListing(listing)
					.filter(e => !e.isDirectory && e.sizeBytes <= 64 * 1024 && /blobs\/sha256\/[0-9a-f]{64}$/.test(e.path))
					.map(e => e.path);
				const unpacked = await mkdtemp(path.join(tmpdir(), 'bxtop-oci-'));
				const blobs = new Map<string, unknown>();
				let index: unknown;
				try {
					await run(['tar', '-xf', path.resolve(child.cwd ?? '.', dest), '-C', unpacked, 'index.json', ...small], undefined, signal);
					index = JSON.parse(await readFile(path.join(unpacked, 'index.json'), 'utf8'));
					for (const file of small) {
						try {
							blobs.set(`sha256:${file.slice(-64)}`, JSON.parse(await readFile(path.join(unpacked, file), 'utf8')));
						} catch {
							// not JSON: a small layer
						}
					}
				} finally {
					await rm(unpacked, {recursive: true, force: true});
				}
				const exact = ociArchiveSizes({index, listing, metadata, readBlob: digest => blobs.get(digest)});
				result = exact.sizes.length > 0 ? exact : ociArchiveSizes({index, listing, metadata});
				source = 'oci-tar';
				break;
			}
		}
		for (const size of result.sizes) {
			emit({type: 'image/measured', at: clock.now(), buildId, platform: size.platform, sizeBytes: size.sizeBytes, isCompressed: true, ...(size.layerCount !== undefined ? {layerCount: size.layerCount} : {}), ...(size.digest ? {digest: size.digest} : {}), source});
		}
		for (const missing of result.notMeasured) notMeasured(missing.reason, missing.platform);
	} catch (error) {
		notMeasured((error as Error).message);
	}
}
