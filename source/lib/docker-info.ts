// One `docker info` answers two of preflight's questions: the daemon's image store (DriverStatus, for the split
// rule) and the buildx plugin's version (the CLI's plugin list, read from each plugin's metadata). Asking buildx
// itself (`docker buildx version`) starts the docker CLI and then the buildx binary, about 0.15 s of CPU on a
// 2-core machine, once per session; `docker info` is asked anyway. The template prints only names and versions:
// the plugin list also holds each plugin's local path, which bxtop has no use for.
import {imageStoreOf, type ImageStore} from './multi-platform.js';

export const dockerInfoArgs = [
	'info',
	'--format',
	'{"DriverStatus":{{json .DriverStatus}},"Plugins":[{{range $i, $p := .ClientInfo.Plugins}}{{if $i}},{{end}}{"Name":{{json $p.Name}},"Version":{{json $p.Version}}}{{end}}]}',
];

export type DockerInfo = {imageStore?: ImageStore; buildxVersion?: string};

/**
 * What that template printed. Undefined when it is not that JSON (a daemon that did not answer prints
 * `{"DriverStatus":` and an error). A plugin that failed its metadata call is listed with an empty version: no
 * version then, and preflight asks `docker buildx version`, whose error is what the user needs to read.
 */
export function parseDockerInfo(text: string): DockerInfo | undefined {
	let parsed: unknown;
	try {
		parsed = JSON.parse(text.trim());
	} catch {
		return undefined;
	}
	if (typeof parsed !== 'object' || parsed === null) return undefined;
	const {DriverStatus: rows, Plugins: plugins} = parsed as {DriverStatus?: unknown; Plugins?: unknown};
	const out: DockerInfo = {};
	const imageStore = imageStoreOf(rows);
	if (imageStore) out.imageStore = imageStore;
	const buildx = Array.isArray(plugins) ? plugins.find(p => typeof p === 'object' && p !== null && (p as {Name?: unknown}).Name === 'buildx') : undefined;
	const version = (buildx as {Version?: unknown} | undefined)?.Version;
	if (typeof version === 'string' && version.trim() !== '') out.buildxVersion = version.trim();
	return out;
}
