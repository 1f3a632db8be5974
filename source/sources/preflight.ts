// Checks, before any build starts, that docker, its buildx plugin, the daemon and the chosen builder are there.
// Each missing piece gets one clear message and exit code 2, never a stack trace.
import {runDocker, type DockerRun} from './docker-command.js';
import {parseBuildxInspect, parseBuildxVersion, platformNames} from '../lib/buildx-inspect.js';
import type {BuilderInfo} from '../domain/resources-events.js';
import {UserFacingError} from '../domain/errors.js';
import {isUrl} from '../lib/docker-endpoint.js';
import type {ImageStore} from '../lib/multi-platform.js';
import {dockerInfoArgs, parseDockerInfo} from '../lib/docker-info.js';

export {UserFacingError};

export type DockerFacts = {
	dockerVersion?: string;
	serverVersion?: string;
	buildxVersion?: string;
	builder: string;
	driver: string;
	buildkitVersion?: string;
	platforms: string[];
	nativePlatform?: string;
	/** The image store of the daemon the build loads into (the docker driver's own daemon): decides the split. */
	imageStore?: ImageStore;
	/** The builder's nodes, each with its native platform (BuildKit lists it first) when inspect names one. */
	nodes: {name: string; nativePlatform?: string}[];
	/** What `buildx inspect` said and buildx's version, so the resource monitor need not ask them again. */
	inspected?: KnownBuilder;
};

export type KnownBuilder = {builder: BuilderInfo; buildxVersion?: string};

/** How long a preflight question may take before its process group gets SIGTERM (then SIGKILL: see runDocker). */
const answerTimeoutMs = 20_000;

/** One preflight question (see runDocker: its own process group, none outlives bxtop). */
function docker(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<DockerRun> {
	return runDocker(args, {env, timeoutMs: answerTimeoutMs});
}

function firstLine(text: string): string {
	return text.split('\n').map(l => l.trim()).find(l => l !== '') ?? '';
}

export async function checkDocker(builder?: string): Promise<DockerFacts> {
	// The current daemon's `docker info` (image store, buildx's version) is asked beside the other questions: its
	// image store is the one needed unless inspect names another daemon. It is always waited for (a refusal too),
	// so no `docker info` outlives preflight.
	const currentInfo = docker(dockerInfoArgs);
	try {
		return await askDocker(builder, currentInfo);
	} catch (error) {
		await currentInfo;
		throw error;
	}
}

async function askDocker(builder: string | undefined, currentInfo: Promise<DockerRun>): Promise<DockerFacts> {
	// Asked at once (the first build waits for them). Failures are told in this order: docker, the daemon,
	// buildx, the builder.
	const [version, inspect, info] = await Promise.all([
		docker(['version', '--format', '{{json .}}']),
		docker(['buildx', 'inspect', ...(builder ? [builder] : [])]),
		currentInfo,
	]);
	if (version.code === 'ENOENT') {
		throw new UserFacingError('docker: command not found. Install the Docker CLI (and buildx) or put it on PATH.');
	}
	if (version.exitCode !== 0) {
		const where = process.env.DOCKER_HOST ?? 'the default socket';
		throw new UserFacingError(`Docker daemon unreachable at ${where}: ${firstLine(version.stderr) || 'no answer'}`);
	}
	let dockerVersion: string | undefined;
	let serverVersion: string | undefined;
	try {
		const parsed = JSON.parse(version.stdout) as {Client?: {Version?: string}; Server?: {Version?: string}};
		dockerVersion = parsed.Client?.Version;
		serverVersion = parsed.Server?.Version;
	} catch {
		// unusual output: versions stay unknown
	}

	// buildx's version from docker info's plugin list; buildx itself is asked only when that list has none (no
	// plugin, a broken one, a CLI whose info does not answer): its own error is then the message
	let buildxVersion = info.exitCode === 0 ? parseDockerInfo(info.stdout)?.buildxVersion : undefined;
	if (!buildxVersion) {
		const buildx = await docker(['buildx', 'version']);
		if (buildx.exitCode !== 0) {
			throw new UserFacingError(
				`docker buildx is not available (${firstLine(buildx.stderr) || 'unknown error'}). Install the buildx plugin into ~/.docker/cli-plugins/.`,
			);
		}
		buildxVersion = firstLine(buildx.stdout).split(/\s+/)[1];
	}

	if (inspect.exitCode !== 0) {
		const name = builder ?? process.env.BUILDX_BUILDER ?? 'current';
		throw new UserFacingError(`builder "${name}" not found: ${firstLine(inspect.stderr)}. \`docker buildx ls\` lists the builders.`);
	}
	const inspected = parseBuildxInspect(inspect.stdout);
	// the first node that answers (an inactive or failed node lists no platforms and no BuildKit version)
	const first = inspected?.nodes.find(node => node.platforms.length > 0 || node.buildkitVersion) ?? inspected?.nodes[0];
	const platforms = platformNames(first?.platforms ?? []);
	const nodes = (inspected?.nodes ?? []).map(node => {
		const native = platformNames(node.platforms)[0];
		return native ? {name: node.name, nativePlatform: native} : {name: node.name};
	});
	const out: DockerFacts = {builder: inspected?.name || builder || 'default', driver: inspected?.driver || 'unknown', platforms, nodes};
	if (dockerVersion) out.dockerVersion = dockerVersion;
	if (serverVersion) out.serverVersion = serverVersion;
	if (buildxVersion) out.buildxVersion = buildxVersion;
	if (first?.buildkitVersion) out.buildkitVersion = first.buildkitVersion;
	if (platforms[0]) out.nativePlatform = platforms[0];
	if (inspected) {
		// the header keeps buildx's own word (`v0.29.1` upstream, `0.29.1+ds1` Debian); the monitor gets it bare
		const bare = parseBuildxVersion(buildxVersion ?? '')?.text;
		out.inspected = {builder: inspected, ...(bare ? {buildxVersion: bare} : {})};
	}
	const imageStore = await daemonImageStore(out.driver === 'docker' ? first?.endpoint || undefined : undefined, currentInfo);
	if (imageStore) out.imageStore = imageStore;
	return out;
}

/**
 * containerd or classic, from `docker info` of the daemon at `endpoint` (a docker driver node: a context name or a
 * URL) or of the current one. Undefined when docker info does not answer: the split rule then plays safe.
 */
async function daemonImageStore(endpoint: string | undefined, currentInfo: Promise<DockerRun>): Promise<ImageStore | undefined> {
	let info: DockerRun;
	if (endpoint === undefined || endpoint === 'default' || endpoint === process.env.DOCKER_HOST) info = await currentInfo;
	else {
		// another daemon: the current one's answer is not used, but waited for, so no docker info outlives preflight
		const other = isUrl(endpoint) ? docker(dockerInfoArgs, {...process.env, DOCKER_HOST: endpoint}) : docker(['--context', endpoint, ...dockerInfoArgs]);
		[info] = await Promise.all([other, currentInfo]);
	}
	return info.exitCode === 0 ? parseDockerInfo(info.stdout)?.imageStore : undefined;
}
