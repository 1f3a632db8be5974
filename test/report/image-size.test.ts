// Image size helpers over the REAL files buildx wrote in the captures (--metadata-file JSON, the OCI archive's
// index.json and its `tar -tvf` listing), and over real `docker image inspect` output from this machine's daemon.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, writeFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, test} from 'vitest';
import {
	blobSizes,
	imageInspectSize,
	indexEntries,
	manifestLayerSize,
	ociArchiveSizes,
	outputKind,
	parseBuildMetadata,
	parseTarListing,
	sizesFromDocuments,
} from '../../source/lib/image-size.js';
import {readReal} from '../helpers/captures.js';
import {describeDocker} from '../helpers/docker.js';

const json = (name: string) => JSON.parse(readReal(name)) as unknown;

describe('parseBuildMetadata (real --metadata-file output)', () => {
	test('multi-platform OCI export: an index, no platform, no pushed name', () => {
		expect(parseBuildMetadata(json('01-cold-multiplatform-oci.metadata.json'))).toEqual({
			digest: 'sha256:263ff1d42e50cfe625565f4904c4004ce3f0709dfeea67a4f5c392cad502a741',
			mediaType: 'application/vnd.oci.image.index.v1+json',
			isIndex: true,
			descriptorSizeBytes: 1609,
			imageNames: [],
			buildRef: 'mybuilder/mybuilder0/d8665cvfo3m5kt4blvdbcpqw3',
		});
	});

	test('push: the pushed name', () => {
		const metadata = parseBuildMetadata(json('04-push-multiplatform-registry.metadata.json'));
		expect(metadata.imageNames).toEqual(['127.0.0.1:5000/lab/transcriber:latest']);
		expect(metadata.isIndex).toBe(true);
		expect(metadata.digest).toBe('sha256:fc7288c86d7b3081bd85cdd9984f1312bec9ac07a9ee97cdab5bfe0dfa60f888');
	});

	test('single platform: a manifest with its platform and config digest', () => {
		const metadata = parseBuildMetadata(json('07-concurrent-per-platform-cold-amd64.metadata.json'));
		expect(metadata).toMatchObject({
			isIndex: false,
			platform: 'linux/amd64',
			configDigest: 'sha256:9e6ef7bc87fbd1e6cef17e11d7a7e44110659cf03c614d2d44fd34f6c48a8184',
			descriptorSizeBytes: 1241,
			mediaType: 'application/vnd.oci.image.manifest.v1+json',
		});
	});

	test('multi-node push: only the digest', () => {
		expect(parseBuildMetadata(json('15-multinode-multiplatform.metadata.json'))).toEqual({
			digest: 'sha256:2d9812e23efc637707ed29d3e4c1369d38b43f4744f54b2ce6fc8570ce147645',
			isIndex: false,
			imageNames: [],
		});
	});

	test('odd input gives an empty result, never an exception', () => {
		expect(parseBuildMetadata(null)).toEqual({isIndex: false, imageNames: []});
		expect(parseBuildMetadata([1, 2])).toEqual({isIndex: false, imageNames: []});
	});
});

describe('OCI archive (real index.json + tar listing)', () => {
	test('the tar listing: every blob with its exact size', () => {
		const entries = parseTarListing(readReal('07-concurrent-per-platform-cold-amd64.oci-tar-listing.txt'));
		expect(entries).toHaveLength(11);
		expect(entries[0]).toEqual({path: 'blobs/', sizeBytes: 0, isDirectory: true});
		const blobs = blobSizes(entries);
		expect(blobs.size).toBe(7);
		expect(blobs.get('sha256:4aab4c7de701fe05887b0e532f4a5afb0456f41afa3c1ba154f50641aec2466d')).toBe(130_043_931);
	});

	test('single-platform archive (amd64): layers = all blobs - manifest (1241) - config (2215), exact', () => {
		const result = ociArchiveSizes({
			index: json('07-concurrent-per-platform-cold-amd64.oci-index.json'),
			listing: readReal('07-concurrent-per-platform-cold-amd64.oci-tar-listing.txt'),
			metadata: parseBuildMetadata(json('07-concurrent-per-platform-cold-amd64.metadata.json')),
		});
		// 55485144 + 130043931 + 3423 + 3239 + 32 (the five runtime-stage layers)
		expect(result).toEqual({
			sizes: [{platform: 'linux/amd64', sizeBytes: 185_535_769, layerCount: 5, digest: 'sha256:e64c8c3bfe97173129756d7d87d5cbcd5f954f7f2e4c7c8ccb0e1705d813187a'}],
			notMeasured: [],
			blobsTotalBytes: 185_539_225,
		});
	});

	test('single-platform archive (arm64), exact', () => {
		const result = ociArchiveSizes({
			index: json('07-concurrent-per-platform-cold-arm64.oci-index.json'),
			listing: readReal('07-concurrent-per-platform-cold-arm64.oci-tar-listing.txt'),
			metadata: parseBuildMetadata(json('07-concurrent-per-platform-cold-arm64.metadata.json')),
		});
		expect(result.sizes).toEqual([{platform: 'linux/arm64', sizeBytes: 185_169_317, layerCount: 5, digest: expect.stringMatching(/^sha256:/)}]);
	});

	test('without the config digest the single-platform split is not guessed', () => {
		const result = ociArchiveSizes({
			index: json('07-concurrent-per-platform-cold-amd64.oci-index.json'),
			listing: readReal('07-concurrent-per-platform-cold-amd64.oci-tar-listing.txt'),
		});
		expect(result.sizes).toEqual([]);
		expect(result.notMeasured).toEqual([{platform: 'linux/amd64', reason: 'config digest unknown (no metadata file)'}]);
	});

	test('multi-platform archive: per-platform not measured (and why), the blob total exact', () => {
		const index = json('01-cold-multiplatform-oci.oci-index.json');
		expect(indexEntries(index)).toEqual([
			{
				digest: 'sha256:263ff1d42e50cfe625565f4904c4004ce3f0709dfeea67a4f5c392cad502a741',
				mediaType: 'application/vnd.oci.image.index.v1+json',
				sizeBytes: 1609,
				isAttestation: false,
			},
		]);
		const result = ociArchiveSizes({index, listing: readReal('01-cold-multiplatform-oci.oci-tar-listing.txt')});
		expect(result.sizes).toEqual([]);
		expect(result.notMeasured).toEqual([
			{reason: 'multi-platform archive: the listing gives blob sizes but not which blobs belong to which platform (the manifests were not read)'},
		]);
		// the sum of the 20 blob sizes in the listing
		expect(result.blobsTotalBytes).toBe(370_717_332);
	});
});

// The documents below are SYNTHETIC (no registry or OCI-capable builder runs on this machine): an index as buildx
// writes it (two images + two attestation manifests) whose manifests reuse the real layer sizes of capture 07.
describe('sizesFromDocuments (synthetic index and manifests, real layer sizes)', () => {
	const layers = (sizes: number[]) => sizes.map((size, i) => ({mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${i}`, size}));
	const docs: Record<string, unknown> = {
		'sha256:amd': {schemaVersion: 2, config: {size: 2215}, layers: layers([55_485_144, 3423, 130_043_931, 3239, 32])},
		'sha256:arm': {schemaVersion: 2, config: {size: 2214}, layers: layers([55_118_364, 3424, 130_044_257, 3240, 32])},
	};
	const index = {
		schemaVersion: 2,
		mediaType: 'application/vnd.oci.image.index.v1+json',
		manifests: [
			{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:amd', size: 1241, platform: {architecture: 'amd64', os: 'linux'}},
			{mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: 'sha256:arm', size: 1241, platform: {architecture: 'arm64', os: 'linux'}},
			{
				mediaType: 'application/vnd.oci.image.manifest.v1+json',
				digest: 'sha256:att1',
				size: 565,
				platform: {architecture: 'unknown', os: 'unknown'},
				annotations: {'vnd.docker.reference.type': 'attestation-manifest'},
			},
		],
	};

	test('one size per platform, attestations skipped', () => {
		expect(sizesFromDocuments(index, d => docs[d])).toEqual({
			sizes: [
				{platform: 'linux/amd64', sizeBytes: 185_535_769, layerCount: 5, digest: 'sha256:amd'},
				{platform: 'linux/arm64', sizeBytes: 185_169_317, layerCount: 5, digest: 'sha256:arm'},
			],
			notMeasured: [],
		});
	});

	test('a nested index (the OCI archive top level) is followed; an unreadable manifest says so', () => {
		const top = {schemaVersion: 2, manifests: [{mediaType: 'application/vnd.oci.image.index.v1+json', digest: 'sha256:idx', size: 1609}]};
		const read = (d: string) => (d === 'sha256:idx' ? index : d === 'sha256:arm' ? undefined : docs[d]);
		expect(sizesFromDocuments(top, read)).toEqual({
			sizes: [{platform: 'linux/amd64', sizeBytes: 185_535_769, layerCount: 5, digest: 'sha256:amd'}],
			notMeasured: [{platform: 'linux/arm64', reason: 'manifest arm could not be read'}],
		});
	});

	test('a manifest with a layer missing its size is not summed', () => {
		expect(manifestLayerSize({layers: [{size: 1}, {digest: 'x'}]})).toBeUndefined();
		expect(manifestLayerSize({config: {size: 7}, layers: [{size: 1}, {size: 2}]})).toEqual({sizeBytes: 3, layerCount: 2, configBytes: 7});
	});
});

describe('outputKind: what a build exported, to know what to inspect', () => {
	test.each([
		[['--push', '-t', 'r/x:1', '.'], 'docker-container', {kind: 'push', names: ['r/x:1']}],
		[['--output', 'type=image,name=127.0.0.1:5000/lab/transcriber:latest,push=true', '.'], 'docker-container', {kind: 'push', names: ['127.0.0.1:5000/lab/transcriber:latest']}],
		[['--output=type=oci,dest=out/01.oci.tar', '.'], 'docker-container', {kind: 'oci-archive', dest: 'out/01.oci.tar'}],
		[['-o', 'type=oci,dest=out,tar=false'], 'docker-container', {kind: 'oci-layout', dest: 'out'}],
		[['-o', 'type=docker,dest=img.tar'], 'docker-container', {kind: 'docker-archive', dest: 'img.tar'}],
		[['--load', '-t', 'app:dev'], 'docker-container', {kind: 'load', names: ['app:dev']}],
		[['-t', 'app:dev', '.'], 'docker', {kind: 'load', names: ['app:dev']}],
		[['-t', 'app:dev', '.'], 'docker-container', {kind: 'none', reason: 'no --output, --push or --load: the result stayed in the build cache'}],
		[['-o', 'type=image,name=a'], 'docker-container', {kind: 'none', reason: 'type=image without push=true: the image stayed inside the builder'}],
		[['-o', 'type=cacheonly'], 'docker-container', {kind: 'none', reason: 'output type=cacheonly: no image was produced'}],
		[['-o', 'out/'], 'docker-container', {kind: 'none', reason: 'output type=local writes files, not an image'}],
	] as const)('%j (%s driver)', (argv, driver, expected) => {
		expect(outputKind(argv, driver)).toEqual(expected);
	});
});

describeDocker('real docker: --metadata-file and docker image inspect of a loaded image', () => {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-image-size-'));
	const tag = `bxtop-report-test:image-size-${process.pid}`;
	afterAll(() => {
		try {
			execFileSync('docker', ['image', 'rm', '--force', tag], {stdio: 'pipe'});
		} catch {
			// already gone
		}
		rmSync(dir, {recursive: true, force: true});
	});

	test('the unpacked size and platform of what the build loaded', () => {
		writeFileSync(path.join(dir, 'Dockerfile'), 'FROM bxtop/base:amd64\nRUN echo report > /report.txt\n');
		const metadataFile = path.join(dir, 'metadata.json');
		execFileSync(
			'docker',
			['buildx', 'build', '--builder', 'default', '--network=none', '--platform', 'linux/amd64', '--metadata-file', metadataFile, '-t', tag, '--load', dir],
			{stdio: 'pipe', timeout: 120_000},
		);
		const metadata = parseBuildMetadata(JSON.parse(readFileSync(metadataFile, 'utf8')));
		expect(metadata.digest).toMatch(/^sha256:[a-f0-9]{64}$/);

		const inspected = JSON.parse(execFileSync('docker', ['image', 'inspect', tag], {encoding: 'utf8'})) as unknown;
		const size = imageInspectSize(inspected)!;
		// docker's own figure, read back independently of the helper
		const dockerSize = Number(execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', tag], {encoding: 'utf8'}).trim());
		expect(size.sizeBytes).toBe(dockerSize);
		expect(size.platform).toBe('linux/amd64');
		expect(size.layerCount).toBe(2);
		// the docker driver's metadata digest is the loaded image's id
		expect(size.digest).toBe(metadata.digest);
	});
});
