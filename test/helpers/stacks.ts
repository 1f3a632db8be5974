// The two Docker stacks CI runs the end-to-end suite on (see .ci/setup-docker.sh and .ci/setup-docker-modern.sh).
// A test file runs its body once per stack with describeEachStack(); the body passes `stack.env` to every bxtop
// process and docker call, and reads what differs between the stacks from the stack itself.
import {describeDocker, describeModernDocker, modernDockerEnv} from './docker.js';

export type DockerStack = {
	/** For test names: `dockerd 20.10 + buildx 0.13` or `dockerd 28 + buildx 0.29`. */
	label: string;
	/** DOCKER_HOST + DOCKER_CONFIG for the stack; empty for the default one. */
	env: Record<string, string>;
	/** The daemon's unix socket path. */
	socketPath: string;
	/** `docker buildx version`'s version word, as bxtop's own preflight passes it on (decides du's format). */
	buildxVersion: string;
	/** What `buildx inspect` says of the default builder's BuildKit (the board's header shows it). */
	buildkitVersion: string;
	/** The daemon's highest Engine API version (1.42 added /system/df's type filter, which bxtop's du uses). */
	apiVersion: string;
	/** The daemon's image store: the containerd snapshotter keeps a record's files in a different layout. */
	imageStore: 'classic' | 'containerd';
	/** The docker driver builds several platforms in one build here (containerd image store). */
	hasMultiPlatformBuilds: boolean;
	/** What the board's note says when bxtop splits a multi-platform build on this stack's default builder. */
	splitNote?: string;
	describe: (name: string, body: () => void) => void;
};

const modernEnv = modernDockerEnv();

export const dockerStacks: DockerStack[] = [
	{
		label: 'dockerd 20.10 + buildx 0.13',
		env: {},
		socketPath: '/var/run/docker.sock',
		buildxVersion: '0.13.1+ds1',
		buildkitVersion: 'v0.8+unknown',
		apiVersion: '1.41',
		imageStore: 'classic',
		hasMultiPlatformBuilds: false,
		splitNote: 'one build per platform: the docker driver with the classic image store (BuildKit v0.8+unknown) cannot build several platforms in one build',
		describe: describeDocker,
	},
	{
		label: 'dockerd 28 + buildx 0.29',
		env: modernEnv,
		socketPath: modernEnv.DOCKER_HOST.replace(/^unix:\/\//, ''),
		buildxVersion: '0.29.1+ds1',
		buildkitVersion: 'v0.0.0+unknown', // Debian's build of moby's vendored BuildKit
		apiVersion: '1.51',
		imageStore: 'containerd',
		hasMultiPlatformBuilds: true,
		describe: describeModernDocker,
	},
];

/** One describe per stack, each gated like describeDocker (skipped with the reason locally, required under CI). */
export function describeEachStack(name: string, body: (stack: DockerStack) => void): void {
	for (const stack of dockerStacks) stack.describe(`${name} [${stack.label}]`, () => body(stack));
}

