// Image size per platform from what buildx and docker hand back after a build. Pure: the caller runs the commands
// (or reads the archive) and passes their output in; these functions only read JSON and text.
//
// What each source can tell:
// - `--metadata-file`: which image was produced (digest, media type, pushed name, platform of a single-platform
//   manifest, config digest). It never holds the image's size: it says what to inspect next.
// - `docker buildx imagetools inspect --raw REF`: an index (multi-platform) or a manifest; a manifest's layer
//   descriptors give the compressed size exactly.
// - `docker image inspect`: `Size`, the unpacked size of a loaded image.
// - an OCI archive: `index.json`, and blob sizes from the tar listing. With the manifests' JSON the size per
//   platform is exact; without it, only a single-platform archive can be split (every blob belongs to its one image).

export type Platform = {os: string; architecture: string; variant?: string};

export type BuildMetadata = {
	/** `containerimage.digest`: the index or manifest digest (docker driver: the image id). */
	digest?: string;
	mediaType?: string;
	/** The produced descriptor is an index: a multi-platform image (with attestations, even for one platform). */
	isIndex: boolean;
	/** Size of the index or manifest document itself (not the image). */
	descriptorSizeBytes?: number;
	/** `linux/amd64` when the descriptor is a single-platform manifest. */
	platform?: string;
	configDigest?: string;
	/** `image.name` split on commas: the names pushed or loaded. */
	imageNames: string[];
	buildRef?: string;
};

export type LayerSize = {sizeBytes: number; layerCount: number; configBytes?: number};

export type PlatformSize = {platform: string; sizeBytes: number; layerCount?: number; digest?: string};

export type PlatformNotMeasured = {platform?: string; reason: string};

export type SizeResult = {sizes: PlatformSize[]; notMeasured: PlatformNotMeasured[]};

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

const indexTypes = new Set(['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
const manifestTypes = new Set(['application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v2+json']);

export function isIndexMediaType(mediaType: string | undefined): boolean {
	return mediaType !== undefined && indexTypes.has(mediaType);
}

/** `{os: linux, architecture: arm64, variant: v8}` -> `linux/arm64/v8`. */
export function formatPlatform(p: Platform): string {
	return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

function platformOf(value: unknown): string | undefined {
	if (!isObject(value)) return undefined;
	const os = str(value.os);
	const architecture = str(value.architecture);
	if (!os || !architecture) return undefined;
	const variant = str(value.variant);
	return formatPlatform(variant ? {os, architecture, variant} : {os, architecture});
}

/** Reads buildx's `--metadata-file` JSON. Unknown shapes give an empty result, never an exception. */
export function parseBuildMetadata(value: unknown): BuildMetadata {
	const metadata: BuildMetadata = {isIndex: false, imageNames: []};
	if (!isObject(value)) return metadata;
	const descriptor = isObject(value['containerimage.descriptor']) ? value['containerimage.descriptor'] : undefined;
	const digest = str(value['containerimage.digest']) ?? str(descriptor?.digest);
	if (digest) metadata.digest = digest;
	const mediaType = str(descriptor?.mediaType);
	if (mediaType) metadata.mediaType = mediaType;
	metadata.isIndex = isIndexMediaType(mediaType);
	const size = num(descriptor?.size);
	if (size !== undefined) metadata.descriptorSizeBytes = size;
	const platform = platformOf(descriptor?.platform);
	if (platform) metadata.platform = platform;
	const config = str(value['containerimage.config.digest']);
	if (config) metadata.configDigest = config;
	const names = str(value['image.name']);
	if (names) metadata.imageNames = names.split(',').map(n => n.trim()).filter(Boolean);
	const ref = str(value['buildx.build.ref']);
	if (ref) metadata.buildRef = ref;
	return metadata;
}

export type IndexEntry = {digest: string; mediaType?: string; sizeBytes: number; platform?: string; isAttestation: boolean};

/**
 * The entries of an image index. Attestation manifests (buildx adds provenance by default) are marked: they are
 * `unknown/unknown` and annotated `vnd.docker.reference.type: attestation-manifest`; they are not images.
 */
export function indexEntries(index: unknown): IndexEntry[] {
	if (!isObject(index) || !Array.isArray(index.manifests)) return [];
	const entries: IndexEntry[] = [];
	for (const m of index.manifests) {
		if (!isObject(m)) continue;
		const digest = str(m.digest);
		if (!digest) continue;
		const annotations = isObject(m.annotations) ? m.annotations : {};
		const platform = platformOf(m.platform);
		const isAttestation = annotations['vnd.docker.reference.type'] === 'attestation-manifest' || platform === 'unknown/unknown';
		const entry: IndexEntry = {digest, sizeBytes: num(m.size) ?? 0, isAttestation};
		const mediaType = str(m.mediaType);
		if (mediaType) entry.mediaType = mediaType;
		if (platform && platform !== 'unknown/unknown') entry.platform = platform;
		entries.push(entry);
	}
	return entries;
}

/** Compressed size of one image manifest: the sum of its layer descriptors (what a pull transfers). */
export function manifestLayerSize(manifest: unknown): LayerSize | undefined {
	if (!isObject(manifest) || !Array.isArray(manifest.layers)) return undefined;
	let sizeBytes = 0;
	let layerCount = 0;
	for (const layer of manifest.layers) {
		const size = isObject(layer) ? num(layer.size) : undefined;
		if (size === undefined) return undefined; // a layer without a size: the total would be wrong
		sizeBytes += size;
		layerCount++;
	}
	const result: LayerSize = {sizeBytes, layerCount};
	const configBytes = isObject(manifest.config) ? num(manifest.config.size) : undefined;
	if (configBytes !== undefined) result.configBytes = configBytes;
	return result;
}

/**
 * Sizes per platform for an index or manifest, given a way to read the documents it points to (imagetools
 * `--raw REF@DIGEST`, or blobs of an OCI layout). Nested indexes (an OCI archive's top index points to the image
 * index) are followed. `readDocument` returns undefined when a document cannot be read.
 */
export function sizesFromDocuments(root: unknown, readDocument: (digest: string) => unknown): SizeResult {
	const result: SizeResult = {sizes: [], notMeasured: []};
	const visit = (doc: unknown, platformHint: string | undefined, digest: string | undefined, depth: number) => {
		if (depth > 4) return; // an index pointing at itself: stop rather than loop
		const layers = manifestLayerSize(doc);
		if (layers) {
			// An index entry without a platform (other tools write those): the image config names it.
			const configDigest = isObject(doc) && isObject(doc.config) ? str(doc.config.digest) : undefined;
			const platform = platformHint ?? (configDigest ? platformOf(readDocument(configDigest)) : undefined) ?? 'unknown';
			const size: PlatformSize = {platform, sizeBytes: layers.sizeBytes, layerCount: layers.layerCount};
			if (digest) size.digest = digest;
			result.sizes.push(size);
			return;
		}
		const entries = indexEntries(doc);
		if (entries.length === 0) {
			result.notMeasured.push({...(platformHint ? {platform: platformHint} : {}), reason: 'not an image index or manifest'});
			return;
		}
		for (const entry of entries) {
			if (entry.isAttestation) continue;
			const child = readDocument(entry.digest);
			if (child === undefined) {
				result.notMeasured.push({
					...(entry.platform ? {platform: entry.platform} : {}),
					reason: `manifest ${shortDigest(entry.digest)} could not be read`,
				});
				continue;
			}
			visit(child, entry.platform ?? platformHint, entry.digest, depth + 1);
		}
	};
	visit(root, undefined, undefined, 0);
	return result;
}

export type TarEntry = {path: string; sizeBytes: number; isDirectory: boolean};

/**
 * `tar -tvf` output (GNU: `-r--r--r-- 0/0  55485144 1970-01-01 00:00 blobs/sha256/...`; bsdtar:
 * `-r--r--r--  0 0 0  55485144 Jan  1  1970 blobs/sha256/...`). Lines it cannot read are skipped.
 */
export function parseTarListing(text: string): TarEntry[] {
	const entries: TarEntry[] = [];
	for (const line of text.split('\n')) {
		const gnu = /^([-dlhcbp][-rwxsStT]{9})\s+\S+\s+(\d+)\s+\d{4}-\d\d-\d\d\s+\d\d:\d\d(?::\d\d)?\s+(.+)$/.exec(line);
		const bsd = gnu ? null : /^([-dlhcbp][-rwxsStT]{9})\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\w{3}\s+\d+\s+[\d:]+\s+(.+)$/.exec(line);
		const match = gnu ?? bsd;
		if (!match) continue;
		entries.push({path: match[3]!.replace(/^\.\//, ''), sizeBytes: Number(match[2]), isDirectory: match[1]!.startsWith('d')});
	}
	return entries;
}

/** Blob sizes by digest (`sha256:...`) from an OCI archive's listing. */
export function blobSizes(entries: readonly TarEntry[]): Map<string, number> {
	const sizes = new Map<string, number>();
	for (const entry of entries) {
		const match = /^blobs\/([a-z0-9]+)\/([a-f0-9]+)$/.exec(entry.path);
		if (match && !entry.isDirectory) sizes.set(`${match[1]}:${match[2]}`, entry.sizeBytes);
	}
	return sizes;
}

export type OciArchiveInput = {
	/** The archive's `index.json`. */
	index: unknown;
	/** `tar -tvf` of the archive. */
	listing: string;
	/** The build's `--metadata-file` (gives the config digest of a single-platform image). */
	metadata?: BuildMetadata;
	/** The JSON of a blob when the caller could read it from the archive. */
	readBlob?: (digest: string) => unknown;
};

/**
 * Size per platform of an OCI (or docker) archive. With readBlob the manifests are followed exactly. Without it,
 * a single-platform archive is all one image: its layers are every blob except the manifest and the config, which
 * needs the config digest from the metadata file. A multi-platform archive without readBlob cannot be split: the
 * listing does not say which blob belongs to which platform.
 */
export function ociArchiveSizes(input: OciArchiveInput): SizeResult & {blobsTotalBytes: number} {
	const sizes = blobSizes(parseTarListing(input.listing));
	let blobsTotalBytes = 0;
	for (const size of sizes.values()) blobsTotalBytes += size;
	if (input.readBlob) return {...sizesFromDocuments(input.index, input.readBlob), blobsTotalBytes};

	const entries = indexEntries(input.index).filter(e => !e.isAttestation);
	const single = entries.length === 1 && entries[0]!.mediaType !== undefined && manifestTypes.has(entries[0]!.mediaType) ? entries[0]! : undefined;
	if (!single) {
		const reason =
			entries.length === 1 && isIndexMediaType(entries[0]!.mediaType)
				? 'multi-platform archive: the listing gives blob sizes but not which blobs belong to which platform (the manifests were not read)'
				: 'the archive index does not point to exactly one image manifest';
		return {sizes: [], notMeasured: [{reason}], blobsTotalBytes};
	}
	const platform = single.platform ?? input.metadata?.platform;
	const configDigest = input.metadata?.configDigest;
	const configBytes = configDigest ? sizes.get(configDigest) : undefined;
	const manifestBytes = sizes.get(single.digest);
	if (configBytes === undefined || manifestBytes === undefined) {
		return {
			sizes: [],
			notMeasured: [{...(platform ? {platform} : {}), reason: configDigest ? 'config or manifest blob missing from the listing' : 'config digest unknown (no metadata file)'}],
			blobsTotalBytes,
		};
	}
	return {
		sizes: [{platform: platform ?? 'unknown', sizeBytes: blobsTotalBytes - manifestBytes - configBytes, layerCount: sizes.size - 2, digest: single.digest}],
		notMeasured: [],
		blobsTotalBytes,
	};
}

/** `docker image inspect` JSON (an array, or one object from `--format '{{json .}}'`): unpacked size and platform. */
export function imageInspectSize(value: unknown): PlatformSize | undefined {
	const image = Array.isArray(value) ? value[0] : value;
	if (!isObject(image)) return undefined;
	const sizeBytes = num(image.Size);
	if (sizeBytes === undefined) return undefined;
	const os = str(image.Os) ?? 'linux';
	const architecture = str(image.Architecture);
	const variant = str(image.Variant);
	const platform = architecture ? formatPlatform(variant ? {os, architecture, variant} : {os, architecture}) : 'unknown';
	const result: PlatformSize = {platform, sizeBytes};
	const id = str(image.Id);
	if (id) result.digest = id;
	if (isObject(image.RootFS) && Array.isArray(image.RootFS.Layers)) result.layerCount = image.RootFS.Layers.length;
	return result;
}

export type OutputKind =
	| {kind: 'push'; names: string[]}
	| {kind: 'load'; names: string[]}
	| {kind: 'oci-archive'; dest: string}
	| {kind: 'docker-archive'; dest: string}
	| {kind: 'oci-layout'; dest: string}
	| {kind: 'none'; reason: string};

/**
 * What a build's arguments export, to know what can be inspected for its size. Without any output flag buildx
 * keeps the result in the build cache only (the docker driver loads it into the image store).
 */
export function outputKind(argv: readonly string[], driver?: string): OutputKind {
	let output: string | undefined;
	let isPush = false;
	let isLoad = false;
	const tags: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const arg = argv[i]!;
		const take = (flag: string): string | undefined => {
			if (arg === flag) return argv[++i];
			if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
			return undefined;
		};
		const out = take('--output') ?? take('-o');
		if (out !== undefined) {
			output = out;
			continue;
		}
		const tag = take('--tag') ?? take('-t');
		if (tag !== undefined) {
			tags.push(tag);
			continue;
		}
		if (arg === '--push') isPush = true;
		if (arg === '--load') isLoad = true;
	}
	if (isPush) return {kind: 'push', names: tags};
	if (isLoad) return {kind: 'load', names: tags};
	if (output === undefined) {
		return driver === 'docker' ? {kind: 'load', names: tags} : {kind: 'none', reason: 'no --output, --push or --load: the result stayed in the build cache'};
	}
	const fields = parseCsvFields(output);
	const type = fields.type ?? 'local';
	const dest = fields.dest ?? '';
	const names = fields.name ? fields.name.split(',').filter(Boolean) : tags;
	switch (type) {
		case 'registry':
			return {kind: 'push', names};
		case 'image':
			if (fields.push === 'true') return {kind: 'push', names};
			// Only the docker driver's image store is docker's own; elsewhere the image stays inside the builder.
			return driver === 'docker' ? {kind: 'load', names} : {kind: 'none', reason: 'type=image without push=true: the image stayed inside the builder'};
		case 'docker':
			return dest ? {kind: 'docker-archive', dest} : {kind: 'load', names};
		case 'oci':
			if (fields.tar === 'false') return {kind: 'oci-layout', dest};
			return dest ? {kind: 'oci-archive', dest} : {kind: 'none', reason: 'type=oci written to stdout: nothing left to inspect'};
		case 'cacheonly':
			return {kind: 'none', reason: 'output type=cacheonly: no image was produced'};
		default:
			return {kind: 'none', reason: `output type=${type} writes files, not an image`};
	}
}

/** buildx's `--output` CSV: `type=oci,dest=out.tar`, `"name=a,b",push=true`, or a bare path (type=local). */
function parseCsvFields(text: string): Record<string, string> {
	const fields: Record<string, string> = {};
	const parts = text.match(/("[^"]*"|[^,]+)/g) ?? [];
	for (const raw of parts) {
		const part = raw.replace(/^"|"$/g, '');
		const eq = part.indexOf('=');
		if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
		else if (!('type' in fields) && !text.includes('=')) fields.dest = part.trim();
	}
	return fields;
}

function shortDigest(digest: string): string {
	return digest.replace(/^sha256:/, '').slice(0, 12);
}
