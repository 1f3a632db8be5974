// The split rule: one multi-platform build where the builder gives the same result that way, else one per platform
// with the reason on the board. Image-store facts come from real `docker info` / `buildx inspect` of this machine's
// two daemons (test/fixtures/real/local-*).
import {describe, expect, test} from 'vitest';
import {decideSplit, parseBuildRequest, planBuilds} from '../../source/lib/build-plan.js';
import {planBake, type BakePrint} from '../../source/lib/bake-plan.js';
import {imageStoreOf, multiPlatformSupport, type BuilderFacts} from '../../source/lib/multi-platform.js';
import {parseDockerInfo} from '../../source/lib/docker-info.js';
import {parseBuildxInspect} from '../../source/lib/buildx-inspect.js';
import {readReal} from '../helpers/captures.js';

const both = ['--platform', 'linux/amd64,linux/arm64'];

/** The facts preflight gathers on each local stack, from the real outputs. */
function factsOf(stack: 'dockerd20' | 'dockerd28'): BuilderFacts {
	const inspect = parseBuildxInspect(readReal(stack === 'dockerd20' ? 'local-dockerd20-buildx013-inspect-default.txt' : 'local-dockerd28-buildx029-inspect-default.txt'))!;
	const imageStore = parseDockerInfo(readReal(`local-${stack}-info-store-plugins.json`))?.imageStore;
	return {driver: inspect.driver, buildkitVersion: inspect.nodes[0]!.buildkitVersion!, ...(imageStore ? {imageStore} : {})};
}

describe('image store from docker info (real outputs)', () => {
	test('dockerd 28 with the containerd snapshotter, dockerd 20.10 with overlay2', () => {
		expect(factsOf('dockerd20')).toEqual({driver: 'docker', buildkitVersion: 'v0.8+unknown', imageStore: 'classic'});
		expect(factsOf('dockerd28')).toEqual({driver: 'docker', buildkitVersion: 'v0.0.0+unknown', imageStore: 'containerd'});
	});

	test('synthetic: no status rows (vfs) is classic; rows that are not a list are unknown', () => {
		expect(imageStoreOf(null)).toBe('classic');
		expect(imageStoreOf('template: parsing error')).toBeUndefined();
	});

	test('inspect names the first node\'s endpoint (where the docker driver loads images)', () => {
		expect(parseBuildxInspect(readReal('local-dockerd28-buildx029-inspect-default.txt'))!.nodes[0]!.endpoint).toBe('default');
		expect(parseBuildxInspect(readReal('00-buildx-inspect-mybuilder.txt'))!.nodes[0]!.endpoint).toBe('unix:///var/run/docker.sock');
	});
});

describe('what one build can give', () => {
	test('docker driver: containerd store yes; classic store no, and says which BuildKit', () => {
		expect(multiPlatformSupport(factsOf('dockerd28'), false)).toEqual({isSupported: true});
		expect(multiPlatformSupport(factsOf('dockerd20'), false)).toEqual({
			isSupported: false,
			reason: 'the docker driver with the classic image store (BuildKit v0.8+unknown) cannot build several platforms in one build',
		});
		expect(multiPlatformSupport({driver: 'docker'}, false)).toEqual({isSupported: false, reason: "the docker driver's image store is unknown: a multi-platform build may be refused"});
	});

	test('docker-container: yes, except loading into a classic (or unknown) image store', () => {
		expect(multiPlatformSupport({driver: 'docker-container', imageStore: 'classic'}, false)).toEqual({isSupported: true});
		expect(multiPlatformSupport({driver: 'docker-container', imageStore: 'containerd'}, true)).toEqual({isSupported: true});
		expect(multiPlatformSupport({driver: 'docker-container', imageStore: 'classic'}, true)).toEqual({
			isSupported: false,
			reason: 'the classic image store cannot load several platforms of one image',
		});
		expect(multiPlatformSupport({driver: 'remote'}, true).isSupported).toBe(false);
		expect(multiPlatformSupport({driver: 'kubernetes'}, false).isSupported).toBe(true);
	});
});

describe('split decision', () => {
	const request = (...args: string[]) => parseBuildRequest([...both, ...args, '.']);

	test('auto on dockerd 28 (containerd store): one multi-platform build, no note', () => {
		const plan = planBuilds(request('-t', 'x'), {split: 'auto', builderFacts: factsOf('dockerd28')});
		expect(plan.children.map(c => [c.spec.buildId, c.spec.platforms])).toEqual([['x', ['linux/amd64', 'linux/arm64']]]);
		expect(plan.children[0]!.dockerArgs).toEqual(['buildx', 'build', '--progress=rawjson', '--platform', 'linux/amd64,linux/arm64', '-t', 'x', '.']);
		expect(plan.note).toBeUndefined();
	});

	test('auto on dockerd 20.10 (classic store, BuildKit v0.8): one build per platform, and why', () => {
		const plan = planBuilds(request('-t', 'x'), {split: 'auto', builderFacts: factsOf('dockerd20')});
		expect(plan.children.map(c => [c.spec.buildId, c.spec.platforms])).toEqual([['x@linux-amd64', ['linux/amd64']], ['x@linux-arm64', ['linux/arm64']]]);
		expect(plan.note).toBe('one build per platform: the docker driver with the classic image store (BuildKit v0.8+unknown) cannot build several platforms in one build');
	});

	test('auto without facts splits (as bxtop always did) and says it could not tell', () => {
		expect(decideSplit(request(), 'auto')).toEqual({split: true, note: 'one build per platform: whether the builder can build several platforms in one build is unknown'});
	});

	test('--load on docker-container follows the image store it loads into', () => {
		expect(planBuilds(request('--load'), {split: 'auto', builderFacts: {driver: 'docker-container', imageStore: 'containerd'}}).children).toHaveLength(1);
		expect(planBuilds(request('--output', 'type=docker'), {split: 'auto', builderFacts: {driver: 'docker-container', imageStore: 'classic'}}).children).toHaveLength(2);
		expect(planBuilds(request(), {split: 'auto', builderFacts: {driver: 'docker-container', imageStore: 'classic'}}).children).toHaveLength(1);
	});

	test('--split and --no-split force either; a single platform is never split', () => {
		expect(planBuilds(request(), {split: 'always', builderFacts: factsOf('dockerd28')})).toMatchObject({children: [{}, {}]});
		expect(planBuilds(request(), {split: 'always', builderFacts: factsOf('dockerd28')}).note).toBeUndefined();
		const never = planBuilds(request(), {split: 'never', builderFacts: factsOf('dockerd20')});
		expect(never.children).toHaveLength(1);
		expect(never.note).toBeUndefined();
		expect(decideSplit(parseBuildRequest(['--platform', 'linux/arm64', '.']), 'always')).toEqual({split: false});
	});

	test('a push or one output file stays one build even with --split, and the note says why', () => {
		expect(decideSplit(request('--push'), 'always', {isSupported: false})).toEqual({
			split: false,
			note: "pushing several platforms: running one multi-platform build (split builds would overwrite each other's tag)",
		});
		expect(decideSplit(request('--iidfile', 'id.txt'), 'auto', {isSupported: false})).toEqual({
			split: false,
			note: '--iidfile id.txt is one file for all platforms: running one multi-platform build (split builds would overwrite it)',
		});
	});

	test('bake targets follow the same rule, each note named by its target (SYNTHETIC bake --print)', () => {
		const print: BakePrint = {target: {app: {context: '.', platforms: ['linux/amd64', 'linux/arm64'], tags: ['app:1']}, one: {context: '.'}}};
		const modern = planBake(print, {split: 'auto', builderFacts: factsOf('dockerd28'), cwd: '/w'});
		expect(modern.children.map(c => c.spec.buildId)).toEqual(['app', 'one']);
		expect(modern.notes).toEqual([]);
		const old = planBake(print, {split: 'auto', builderFacts: factsOf('dockerd20'), cwd: '/w'});
		expect(old.children.map(c => c.spec.buildId)).toEqual(['app@linux-amd64', 'app@linux-arm64', 'one']);
		expect(old.notes).toEqual(['app: one build per platform: the docker driver with the classic image store (BuildKit v0.8+unknown) cannot build several platforms in one build']);
	});
});
