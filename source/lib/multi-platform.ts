// Can ONE build give the user the result of `--platform a,b`? Then bxtop runs one multi-platform build (and groups
// its steps by platform); otherwise it splits into one build per platform and says why. Pure: preflight gathers the
// facts (`buildx inspect`, `docker info`).
//
// - docker driver, containerd image store (Docker Engine 28 with the containerd snapshotter, Docker Desktop's
//   default): builds and loads a true multi-platform image in one build. Splitting would load the same tag once
//   per platform, and the last platform to finish would win.
// - docker driver, classic image store (overlay2 & co.; dockerd 20.10's BuildKit v0.8 always): refuses a
//   multi-platform build ("Multi-platform build is not supported for the docker driver").
// - docker-container, kubernetes, remote: BuildKit itself, several platforms in one build; only loading the result
//   into a classic image store (`--load`) cannot hold several platforms.

export type ImageStore = 'containerd' | 'classic';

export type BuilderFacts = {driver: string; imageStore?: ImageStore; buildkitVersion?: string};

export type MultiPlatformSupport = {isSupported: boolean; reason?: string};

/**
 * The image store from `docker info`'s DriverStatus rows (`lib/docker-info.ts` asks them): the containerd
 * snapshotter reports `[["driver-type","io.containerd.snapshotter.v1"]]`; the classic graph drivers report their
 * own rows (`Backing Filesystem`, ...). Undefined when the rows are not a list.
 */
export function imageStoreOf(rows: unknown): ImageStore | undefined {
	if (rows === null) return 'classic'; // a graph driver without status rows (vfs)
	if (!Array.isArray(rows)) return undefined;
	const isContainerd = rows.some(row => Array.isArray(row) && row[0] === 'driver-type' && String(row[1]).startsWith('io.containerd.snapshotter'));
	return isContainerd ? 'containerd' : 'classic';
}

/** Whether one build of several platforms gives the user what they asked for; `loadsImage`: --load or type=docker. */
export function multiPlatformSupport(facts: BuilderFacts, loadsImage: boolean): MultiPlatformSupport {
	if (facts.driver === 'docker') {
		if (facts.imageStore === 'containerd') return {isSupported: true};
		const buildkit = facts.buildkitVersion ? ` (BuildKit ${facts.buildkitVersion})` : '';
		if (facts.imageStore === 'classic') {
			return {isSupported: false, reason: `the docker driver with the classic image store${buildkit} cannot build several platforms in one build`};
		}
		return {isSupported: false, reason: `the docker driver's image store is unknown${buildkit}: a multi-platform build may be refused`};
	}
	if (loadsImage && facts.imageStore === 'classic') {
		return {isSupported: false, reason: 'the classic image store cannot load several platforms of one image'};
	}
	if (loadsImage && facts.imageStore === undefined) {
		return {isSupported: false, reason: 'the image store to load into is unknown: it may not hold several platforms of one image'};
	}
	return {isSupported: true};
}
