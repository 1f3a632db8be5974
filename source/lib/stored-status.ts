// A finished build's stored progress (`docker buildx history logs --progress=rawjson` of a finished record, or the
// status log of a `.dockerbuild`) comes as one SolveStatus holding every update of the build in order: each vertex
// as often as it changed, every progress update and log chunk. Fed as it is, the whole build would appear at one
// instant. Spread out, each update goes at its own BuildKit time, as the live stream sent them, so replay plays
// the build as it ran and the reducer folds the same updates in the same order (the final state is the same).
type Json = Record<string, unknown>;

/** Updates of one stored status, grouped by their time, as rawjson objects in time order. */
export function spreadStoredStatus(status: Json): Json[] {
	type Piece = {ms: number; order: number; key: 'vertexes' | 'statuses' | 'logs' | 'warnings'; value: Json};
	const pieces: Piece[] = [];
	const vertexes = list(status['vertexes']);
	// An update with no time of its own (a vertex first sent before it started) goes when that vertex next shows
	// a time (its start), so it still comes before its later updates.
	const vertexTimes: (number | undefined)[] = vertexes.map(v => ms(v['completed']) ?? ms(v['started']));
	const nextStart = new Map<string, number>();
	for (let i = vertexes.length - 1; i >= 0; i--) {
		const digest = String(vertexes[i]!['digest']);
		const start = ms(vertexes[i]!['started']) ?? vertexTimes[i];
		if (vertexTimes[i] === undefined) vertexTimes[i] = nextStart.get(digest);
		else if (start !== undefined) nextStart.set(digest, start);
	}
	const lastByDigest = new Map<string, number>();
	let earliest = Infinity;
	let latest = -Infinity;
	const seen = (t: number | undefined) => {
		if (t === undefined) return;
		earliest = Math.min(earliest, t);
		latest = Math.max(latest, t);
	};
	vertexTimes.forEach(seen);
	const statuses = list(status['statuses']);
	const logs = list(status['logs']);
	for (const s of statuses) seen(ms(s['timestamp']));
	for (const l of logs) seen(ms(l['timestamp']));
	if (earliest === Infinity) return [status];

	let order = 0;
	const hasRunning = new Set<string>();
	vertexes.forEach((v, i) => {
		const t = vertexTimes[i] ?? earliest;
		const digest = String(v['digest']);
		const started = ms(v['started']);
		// BuildKit sends a vertex when it starts and again when it completes; where the store kept only the
		// completed form, its start goes at the start (without the completion), so its logs have a step to go to
		if (started !== undefined && v['completed'] !== undefined && !hasRunning.has(digest) && started < t) {
			const running: Json = {...v};
			delete running['completed'];
			delete running['cached'];
			delete running['error'];
			pieces.push({ms: started, order: order++, key: 'vertexes', value: running});
		}
		if (started !== undefined) hasRunning.add(digest);
		lastByDigest.set(digest, t);
		pieces.push({ms: t, order: order++, key: 'vertexes', value: v});
	});
	for (const s of statuses) pieces.push({ms: ms(s['timestamp']) ?? earliest, order: order++, key: 'statuses', value: s});
	for (const l of logs) pieces.push({ms: ms(l['timestamp']) ?? earliest, order: order++, key: 'logs', value: l});
	// a warning has no time: it goes with the last update of its vertex
	for (const w of list(status['warnings'])) pieces.push({ms: lastByDigest.get(String(w['vertex'])) ?? latest, order: order++, key: 'warnings', value: w});

	pieces.sort((a, b) => a.ms - b.ms || a.order - b.order);
	const out: Json[] = [];
	let current: Json | undefined;
	let currentMs = NaN;
	for (const piece of pieces) {
		if (!current || piece.ms !== currentMs) {
			current = {};
			currentMs = piece.ms;
			out.push(current);
		}
		((current[piece.key] ??= []) as Json[]).push(piece.value);
	}
	return out;
}

/**
 * The text of a capture with its stored statuses spread out: always for a known stored log (`isStored`), else when
 * the capture has the shape of one (a single rawjson object of several vertexes). Undefined for any other capture,
 * which already comes update by update.
 */
export function spreadStoredCapture(text: string, isStored = false): string | undefined {
	const lines = text.split('\n');
	const objectCount = lines.reduce((n, l) => n + (l.trimStart().startsWith('{') ? 1 : 0), 0);
	if (objectCount === 0 || (!isStored && objectCount !== 1)) return undefined;
	let changed = false;
	const out = lines.map(line => {
		if (!line.trimStart().startsWith('{')) return line;
		let status: unknown;
		try {
			status = JSON.parse(line);
		} catch {
			return line; // the capture path reports it as malformed
		}
		if (typeof status !== 'object' || status === null || list((status as Json)['vertexes']).length < 2) return line;
		changed = true;
		return spreadStoredStatus(status as Json)
			.map(o => JSON.stringify(o))
			.join('\n');
	});
	return changed ? out.join('\n') : undefined;
}

function ms(value: unknown): number | undefined {
	if (typeof value !== 'string') return undefined;
	const t = Date.parse(value);
	return Number.isNaN(t) || t <= 0 ? undefined : t;
}

function list(value: unknown): Json[] {
	return Array.isArray(value) ? (value.filter(v => typeof v === 'object' && v !== null) as Json[]) : [];
}
