// The few facts of `docker buildx inspect` text that the session header needs: builder name, driver, the first
// node's endpoint, BuildKit version and platforms (BuildKit lists the native platform first).
export type InspectSummary = {name?: string; driver?: string; endpoint?: string; buildkitVersion?: string; platforms: string[]};

export function parseInspect(text: string): InspectSummary {
	const summary: InspectSummary = {platforms: []};
	for (const line of text.split('\n')) {
		const match = /^([A-Za-z][A-Za-z ]*?):\s+(.*)$/.exec(line.trim());
		if (!match) continue;
		const [, key, value] = match as unknown as [string, string, string];
		if (key === 'Name' && summary.name === undefined) summary.name = value;
		else if (key === 'Driver' && summary.driver === undefined) summary.driver = value;
		else if (key === 'Endpoint' && summary.endpoint === undefined) summary.endpoint = value;
		else if (key === 'BuildKit version' && summary.buildkitVersion === undefined) summary.buildkitVersion = value;
		else if (key === 'Platforms' && summary.platforms.length === 0) summary.platforms = value.split(',').map(p => p.trim().replace(/\*$/, '')).filter(Boolean);
	}
	return summary;
}
