// The Engine API version a daemon speaks, from its `GET /version` body: the paths bxtop asks carry it, since a
// daemon refuses versions too old for it (Engine 29: below 1.44) and an unversioned path means whatever it speaks.
export type ApiVersion = {major: number; minor: number};

export function parseApiVersion(versionBody: string): ApiVersion | undefined {
	let apiVersion: unknown;
	try {
		apiVersion = (JSON.parse(versionBody) as {ApiVersion?: unknown}).ApiVersion;
	} catch {
		return undefined;
	}
	const match = typeof apiVersion === 'string' ? /^(\d+)\.(\d+)$/.exec(apiVersion) : null;
	return match ? {major: Number(match[1]), minor: Number(match[2])} : undefined;
}

export function isApiAtLeast(version: ApiVersion, major: number, minor: number): boolean {
	return version.major > major || (version.major === major && version.minor >= minor);
}
