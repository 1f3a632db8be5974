// A loaded image's inspection through the daemon docker itself talks to (lib/engine-image-inspect.ts): the answer
// `docker image inspect` prints, without a docker process per platform. The daemon's API version is asked once.
// A 4xx is the daemon's refusal and no answer in the time allowed a failure; whatever else this cannot settle (an
// unreachable daemon, a 5xx, a daemon too old for the platform query) goes back to the caller, which runs
// `docker image inspect` as before and so shows docker's own words if that fails too.
import {parseApiVersion, type ApiVersion} from '../lib/engine-version.js';
import {imageInspectPath} from '../lib/engine-image-inspect.js';
import {currentEndpoint, systemEndpointDeps} from '../lib/docker-endpoint.js';
import {createEngineClient, EngineError, engineMessage, type EngineClient} from './engine-api.js';

export type EngineImageAnswer = {image: unknown} | {refused: string} | {fallback: true};

export type EngineImages = {inspect: (reference: string, platform: string | undefined, signal?: AbortSignal) => Promise<EngineImageAnswer>};

export function createEngineImages(client: EngineClient, timeoutMs = 30_000): EngineImages {
	let version: Promise<ApiVersion | undefined> | undefined;
	const askVersion = async (signal?: AbortSignal) => {
		const response = await client.get('/version', {timeoutMs, ...(signal ? {signal} : {})});
		return response.status === 200 ? parseApiVersion(response.body) : undefined;
	};
	return {
		inspect: async (reference, platform, signal) => {
			try {
				version ??= askVersion(signal).catch(() => undefined);
				const known = await version;
				if (!known) {
					version = undefined; // ask again next time: the daemon may answer then
					return {fallback: true};
				}
				const path = imageInspectPath(known, reference, platform);
				if (!path) return {fallback: true};
				const response = await client.get(path, {timeoutMs, ...(signal ? {signal} : {})});
				if (response.status === 200) return {image: JSON.parse(response.body) as unknown};
				if (response.status >= 400 && response.status < 500) return {refused: engineMessage(response.body) || `HTTP ${response.status}`};
				return {fallback: true};
			} catch (error) {
				// no answer in the time allowed: docker would wait for the same daemon as long again
				if (error instanceof EngineError && error.isNoAnswer) return {refused: error.message};
				return {fallback: true};
			}
		},
	};
}

/** The daemon `docker image inspect` would ask (DOCKER_HOST, DOCKER_CONTEXT, the current context); undefined for an endpoint not spoken to directly (ssh://). */
export function engineImagesOfCli(env: Record<string, string | undefined> = process.env): EngineImages | undefined {
	try {
		const client = createEngineClient(currentEndpoint(systemEndpointDeps(env)));
		return 'unsupported' in client ? undefined : createEngineImages(client);
	} catch {
		return undefined; // an endpoint's TLS files unreadable: docker image inspect then says why, if it is needed
	}
}
