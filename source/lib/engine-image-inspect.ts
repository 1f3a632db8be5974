// `docker image inspect [--platform P] REF` is one Engine API call, `GET /v<api>/images/<ref>/json[?platform=...]`,
// whose answer is the object the CLI prints (inside an array). The platform query (a JSON-encoded OCI platform)
// came with API 1.49; an older daemon ignores it and answers for its default platform, so no path is given then.
import {isApiAtLeast, type ApiVersion} from './engine-version.js';

export function imageInspectPath(version: ApiVersion, reference: string, platform?: string): string | undefined {
	// a reference keeps its slashes and colons (`registry:5000/team/app:tag`, `sha256:...`): the daemon's route takes
	// the rest of the path as the name
	const name = encodeURIComponent(reference).replace(/%2F/g, '/').replace(/%3A/g, ':').replace(/%40/g, '@');
	const base = `/v${version.major}.${version.minor}/images/${name}/json`;
	if (platform === undefined) return base;
	if (!isApiAtLeast(version, 1, 49)) return undefined;
	const [os, architecture, variant] = platform.split('/');
	if (!os || !architecture) return undefined;
	return `${base}?platform=${encodeURIComponent(JSON.stringify(variant ? {os, architecture, variant} : {os, architecture}))}`;
}
