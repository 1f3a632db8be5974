// Image measurement end to end, on what this machine's daemon really produces: a loaded image from a real
// `docker buildx build` (measured with `docker image inspect`), and real OCI archives written by skopeo from the
// daemon's base images (the docker driver here cannot write buildx's own OCI output; skopeo writes the same OCI
// image layout). The sizes are checked against the daemon and the archive itself, read independently of bxtop.
import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {execa} from 'execa';
import type {DomainEvent} from '../../source/domain/events.js';
import {measureImage, withMetadataFile} from '../../source/sources/image-measure.js';
import {engineImagesOfCli, type EngineImageAnswer, type EngineImages} from '../../source/sources/engine-image.js';
import {systemClock} from '../../source/domain/clock.js';
import type {ChildBuild} from '../../source/domain/child-build.js';
import {describeDocker, describeModernDocker, modernDockerEnv} from '../helpers/docker.js';
import {hasImage, makeContext, nonce} from '../helpers/e2e.js';

const isCi = process.env.CI === 'true' || process.env.CI === '1';
const hasSkopeo = (() => {
	try {
		execFileSync('skopeo', ['--version'], {stdio: 'pipe'});
		return true;
	} catch {
		return false;
	}
})();

/** The Engine API inspection of the daemon docker talks to (`env` on top of this process's), with each answer kept. */
function countedImages(env: Record<string, string> = {}): {images: EngineImages; answers: EngineImageAnswer[]} {
	const real = engineImagesOfCli({...process.env, ...env})!;
	const answers: EngineImageAnswer[] = [];
	const images: EngineImages = {
		inspect: async (...args) => {
			const answer = await real.inspect(...args);
			answers.push(answer);
			return answer;
		},
	};
	return {images, answers};
}

const spec = (buildId: string, platforms: string[]) => ({buildId, target: 'measure', tags: [], platforms, argv: []});

describeDocker('image measurement (real daemon)', () => {
	const work = mkdtempSync(path.join(tmpdir(), 'bxtop-measure-'));
	const tag = `bxtop-e2e/measure:${nonce()}`;
	afterAll(() => {
		rmSync(work, {recursive: true, force: true});
		try {
			execFileSync('docker', ['image', 'rm', '-f', tag], {stdio: 'pipe'});
		} catch {
			// already gone
		}
	});

	it('a loaded image: measured with docker image inspect, the size the daemon reports', {timeout: 120_000}, async () => {
		const context = makeContext(['RUN echo measured > /measured.txt']);
		const {child, metadataFile} = withMetadataFile(
			{spec: spec('load', ['linux/amd64']), dockerArgs: ['buildx', 'build', '--platform', 'linux/amd64', '--network=none', '-t', tag, '--load', context]},
			path.join(work, 'load-metadata.json'),
		);
		await execa('docker', child.dockerArgs, {stdin: 'ignore'});
		const events: DomainEvent[] = [];
		await measureImage(child, metadataFile, 'docker', e => events.push(e), systemClock);
		const daemonSize = Number(execFileSync('docker', ['image', 'inspect', '--format', '{{.Size}}', tag], {encoding: 'utf8'}).trim());
		expect(events).toHaveLength(1);
		expect(events[0]).toMatchObject({type: 'image/measured', buildId: 'load', platform: 'linux/amd64', sizeBytes: daemonSize, isCompressed: false, source: 'image-inspect'});
		expect(daemonSize).toBeGreaterThan(500_000); // the busybox rootfs
		// the same through the daemon's Engine API, as a live session asks it: the same event, no docker process
		const {images, answers} = countedImages();
		const viaEngine: DomainEvent[] = [];
		await measureImage(child, metadataFile, 'docker', e => viaEngine.push(e), systemClock, undefined, images);
		expect(answers.map(a => Object.keys(a)[0])).toEqual(['image']);
		expect(viaEngine.map(({at: _at, ...e}) => e)).toEqual(events.map(({at: _at, ...e}) => e));
	});

	it.skipIf(!hasSkopeo && !isCi)(`an OCI archive (written by skopeo${hasSkopeo ? '' : ': skipped, skopeo not installed'}): layers and platform from its own manifests`, {timeout: 120_000}, async () => {
		for (const arch of ['amd64', 'arm64'].filter(a => hasImage(`bxtop/base:${a}`))) {
			const archive = path.join(work, `base-${arch}.oci.tar`);
			execFileSync('skopeo', ['copy', '--quiet', `docker-daemon:bxtop/base:${arch}`, `oci-archive:${archive}`], {stdio: 'pipe', timeout: 60_000});
			// what the archive says, read without bxtop: index.json, then the manifest blob it names
			const index = JSON.parse(execFileSync('tar', ['-xOf', archive, 'index.json'], {encoding: 'utf8'})) as {manifests: {digest: string}[]};
			const manifestDigest = index.manifests[0]!.digest;
			const manifest = JSON.parse(execFileSync('tar', ['-xOf', archive, `blobs/sha256/${manifestDigest.slice(7)}`], {encoding: 'utf8'})) as {layers: {size: number}[]};
			const layersBytes = manifest.layers.reduce((sum, l) => sum + l.size, 0);

			// a child whose output was this archive (relative dest: resolved against the child's cwd, as buildx does)
			const child: ChildBuild = {spec: spec(`oci-${arch}`, []), dockerArgs: ['buildx', 'build', '--output', `type=oci,dest=${path.basename(archive)}`, '.'], cwd: work};
			const events: DomainEvent[] = [];
			await measureImage(child, path.join(work, 'no-metadata.json'), 'docker-container', e => events.push(e), systemClock);
			expect(events).toEqual([
				expect.objectContaining({
					type: 'image/measured',
					buildId: `oci-${arch}`,
					platform: `linux/${arch}`, // skopeo's index gives no platform: it comes from the image config
					sizeBytes: layersBytes,
					layerCount: manifest.layers.length,
					digest: manifestDigest,
					isCompressed: true,
					source: 'oci-tar',
				}),
			]);
		}
	});
});

// On dockerd 28 (containerd image store) one build loads several platforms under one tag: each is measured.
describeModernDocker('image measurement (real dockerd 28, containerd image store)', () => {
	const env = modernDockerEnv();
	const work = mkdtempSync(path.join(tmpdir(), 'bxtop-measure-'));
	const tag = `bxtop-e2e/measure-multi:${nonce()}`;
	const docker = (...args: string[]) => execFileSync('docker', args, {encoding: 'utf8', env: {...process.env, ...env}}).trim();
	afterAll(() => {
		rmSync(work, {recursive: true, force: true});
		try {
			docker('image', 'rm', '-f', tag);
		} catch {
			// already gone
		}
	});

	it('a two-platform image loaded by one build: each platform measured with docker image inspect --platform', {timeout: 180_000}, async () => {
		const context = makeContext(['RUN echo measured > /measured.txt']);
		const platforms = ['linux/amd64', 'linux/arm64'];
		const {child, metadataFile} = withMetadataFile(
			{spec: spec('load-multi', platforms), dockerArgs: ['buildx', 'build', '--platform', platforms.join(','), '--network=none', '-t', tag, context]},
			path.join(work, 'load-multi-metadata.json'),
		);
		await execa('docker', child.dockerArgs, {stdin: 'ignore', env});
		const events: DomainEvent[] = [];
		const previous = {host: process.env['DOCKER_HOST'], config: process.env['DOCKER_CONFIG']};
		Object.assign(process.env, env); // measureImage's docker calls inherit the environment, as in a bxtop session
		try {
			await measureImage(child, metadataFile, 'docker', e => events.push(e), systemClock);
		} finally {
			for (const [key, value] of [['DOCKER_HOST', previous.host], ['DOCKER_CONFIG', previous.config]] as const) {
				if (value === undefined) delete process.env[key];
				else process.env[key] = value;
			}
		}
		// what the daemon says of each platform, asked without bxtop
		const daemon = platforms.map(p => docker('image', 'inspect', '--platform', p, '--format', '{{.Architecture}} {{.Size}}', tag).split(' '));
		expect(daemon.map(([arch]) => arch)).toEqual(['amd64', 'arm64']);
		expect(events).toEqual(
			platforms.map((platform, i) =>
				expect.objectContaining({type: 'image/measured', buildId: 'load-multi', platform, sizeBytes: Number(daemon[i]![1]), isCompressed: false, source: 'image-inspect'}),
			),
		);
		// the same through dockerd 28's Engine API (API 1.51: the platform query), as a live session asks it
		const {images, answers} = countedImages(env);
		const viaEngine: DomainEvent[] = [];
		await measureImage(child, metadataFile, 'docker', e => viaEngine.push(e), systemClock, undefined, images);
		expect(answers.map(a => Object.keys(a)[0])).toEqual(['image', 'image']);
		expect(viaEngine.map(({at: _at, ...e}) => e)).toEqual(events.map(({at: _at, ...e}) => e));
		// and a tag the daemon does not have: its own words, without a docker process
		const missing: DomainEvent[] = [];
		await measureImage({...child, dockerArgs: child.dockerArgs.map(a => (a === tag ? `${tag}-gone` : a))}, path.join(work, 'none.json'), 'docker', e => missing.push(e), systemClock, undefined, countedImages(env).images);
		expect(missing).toEqual(platforms.map(platform => expect.objectContaining({type: 'image/not-measured', platform, reason: expect.stringMatching(/^docker image inspect failed: .*(No such image|not found)/i)})));
	});
});
