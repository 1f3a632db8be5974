// Finds the builder in use and what can be measured on each of its nodes. `docker buildx inspect [NAME]` names the
// builder (buildx itself applies --builder, BUILDX_BUILDER and the current builder); when it fails, `buildx ls`
// (--format json where buildx has it, else the table) still gives the nodes. docker-container nodes are measured
// through their `buildx_buildkit_<node>` container on the node's own docker endpoint (a URL, or a context name
// resolved from ~/.docker or `docker context inspect`); the other drivers say what cannot be measured.
import {execa} from 'execa';
import type {Emit} from '../domain/events.js';
import type {BuilderInfo, NodeTarget} from '../domain/resources-events.js';
import {parseBuildxInspect, parseBuildxVersion} from '../lib/buildx-inspect.js';
import {parseBuildxLsJson, parseBuildxLsTable, type LsBuilder} from '../lib/buildx-ls.js';
import {
	currentEndpoint,
	isUrl,
	nodeEndpoint,
	parseContextInspect,
	systemEndpointDeps,
	type DockerEndpoint,
	type EndpointDeps,
} from '../lib/docker-endpoint.js';
import type {Clock} from '../domain/clock.js';
import type {KnownBuilder} from './preflight.js';

export type BuilderDiscovery = {
	builder: BuilderInfo;
	targets: NodeTarget[];
	/** Docker endpoint per measurable node. */
	endpoints: Record<string, DockerEndpoint>;
	/** The daemon whose host the host panel describes. */
	daemonEndpoint: DockerEndpoint;
	buildxVersion?: string;
};

export type BuilderInfoOptions = {
	/** `--builder`; otherwise buildx decides (BUILDX_BUILDER, then the current builder). */
	builderName?: string;
	emit: Emit;
	clock: Clock;
	signal: AbortSignal;
	/** Extra environment for docker, on top of process.env (tests point DOCKER_HOST elsewhere). */
	env?: Record<string, string>;
	endpointDeps?: EndpointDeps;
	/** What preflight's `buildx inspect` already said, and buildx's version: neither is asked again. */
	known?: KnownBuilder;
};

export async function discoverBuilder(options: BuilderInfoOptions): Promise<BuilderDiscovery | undefined> {
	const {builderName, emit, clock, signal} = options;
	const env = {...process.env, ...options.env};
	const deps = options.endpointDeps ?? systemEndpointDeps(env);
	const run = (args: string[]) =>
		execa('docker', args, {cancelSignal: signal, reject: false, timeout: 30_000, stdin: 'ignore', ...(options.env ? {env: options.env} : {})});

	const known = options.known;
	const versionResult = known ? undefined : await run(['buildx', 'version']);
	const buildxVersion = known ? known.buildxVersion : versionResult?.exitCode === 0 ? parseBuildxVersion(String(versionResult.stdout))?.text : undefined;

	const inspect = known ? undefined : await run(['buildx', 'inspect', ...(builderName ? [builderName] : [])]);
	if (signal.aborted) return undefined;
	let builder = known ? known.builder : inspect?.exitCode === 0 ? parseBuildxInspect(String(inspect.stdout)) : undefined;
	if (!builder) {
		const fromLs = await builderFromLs(run, builderName ?? env['BUILDX_BUILDER']);
		if (fromLs) builder = fromLs;
	}
	if (!builder) {
		const stderr = String(inspect?.stderr ?? '').trim();
		const message = stderr.split('\n').filter(Boolean).pop() ?? `docker buildx inspect exited with ${inspect?.exitCode}`;
		const event: Extract<Parameters<Emit>[0], {type: 'builder/inspect-failed'}> = {type: 'builder/inspect-failed', at: clock.now(), message};
		if (builderName) event.builderName = builderName;
		emit(event);
		return undefined;
	}

	const endpoints: Record<string, DockerEndpoint> = {};
	for (const node of builder.nodes) {
		const resolved = nodeEndpoint(node.endpoint, deps) ?? (await contextViaCli(run, node.endpoint));
		if (resolved) endpoints[node.name] = resolved;
	}
	const targets = planTargets(builder, endpoints);
	const discovery: BuilderDiscovery = {builder, targets, endpoints, daemonEndpoint: daemonEndpointOf(builder, endpoints, deps)};
	if (buildxVersion) discovery.buildxVersion = buildxVersion;
	const event: Extract<Parameters<Emit>[0], {type: 'builder/inspected'}> = {type: 'builder/inspected', at: clock.now(), builder, targets};
	if (buildxVersion) event.buildxVersion = buildxVersion;
	emit(event);
	return discovery;
}

type Run = (args: string[]) => Promise<{exitCode?: number; stdout?: unknown; stderr?: unknown}>;

async function builderFromLs(run: Run, name: string | undefined): Promise<LsBuilder | undefined> {
	const json = await run(['buildx', 'ls', '--format', 'json']);
	let builders = json.exitCode === 0 ? parseBuildxLsJson(String(json.stdout)) : [];
	if (builders.length === 0) {
		const table = await run(['buildx', 'ls']);
		builders = table.exitCode === 0 ? parseBuildxLsTable(String(table.stdout)) : [];
	}
	if (name) return builders.find(b => b.name === name);
	return builders.find(b => b.isCurrent);
}

async function contextViaCli(run: Run, name: string): Promise<DockerEndpoint | undefined> {
	if (isUrl(name)) return undefined;
	const result = await run(['context', 'inspect', name]);
	return result.exitCode === 0 ? parseContextInspect(String(result.stdout)) : undefined;
}

/** What to measure per node, by driver. Pure: endpoints are resolved beforehand. */
export function planTargets(builder: BuilderInfo, endpoints: Record<string, DockerEndpoint>): NodeTarget[] {
	return builder.nodes.map(node => {
		const target: NodeTarget = {node: node.name};
		const endpoint = endpoints[node.name];
		if (endpoint) target.dockerHost = endpoint.host;
		switch (builder.driver) {
			case 'docker-container':
				target.container = `buildx_buildkit_${node.name}`;
				if (!endpoint) target.notMeasurable = `docker endpoint "${node.endpoint}" of node ${node.name} could not be resolved`;
				break;
			case 'docker':
				target.notMeasurable = 'docker driver: BuildKit runs inside dockerd, there is no BuildKit container (see the Docker host below)';
				break;
			case 'kubernetes':
				target.notMeasurable = 'kubernetes driver: BuildKit runs in a pod; its CPU and memory are not measurable through Docker';
				break;
			case 'remote':
				target.notMeasurable = `remote driver: BuildKit at ${node.endpoint} is not a container bxtop can see; CPU and memory not measurable`;
				break;
			default:
				target.notMeasurable = `${builder.driver || 'unknown'} driver: CPU and memory not measurable`;
		}
		return target;
	});
}

/** The daemon the host panel describes: the first node's docker endpoint, else the one docker uses now. */
export function daemonEndpointOf(builder: BuilderInfo, endpoints: Record<string, DockerEndpoint>, deps: EndpointDeps): DockerEndpoint {
	if (builder.driver === 'docker' || builder.driver === 'docker-container') {
		const first = builder.nodes.map(n => endpoints[n.name]).find(e => e !== undefined);
		if (first) return first;
	}
	return currentEndpoint(deps);
}
