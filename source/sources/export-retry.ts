// BuildKit's containerd image store refuses a new image name that another build created a moment before:
// `image "docker.io/library/app:1": already exists` (docker/buildx#3576). bxtop's own split builds of one tag meet
// it whenever two platforms export together. By then every step of the refused build is done and cached, so the
// build runs again (at most twice) to export the name (the last to finish keeps it, as with the classic store).
//
// The retry must not rewrite what the first attempt showed: its re-sends of the finished steps say "cached" and come
// with new digests (a local context is a new source on every run), so they are dropped by name. The refused export's
// error and its ERROR line are held back, and go out only if no retry follows; the retry's export continues that
// step (same digest), so the board shows one export that ran again. The download tracker reads the statuses before
// this gate: the first attempt's downloads happened and stay; the retry's steps are cached and print nothing to track.
import type {DomainEvent, Emit, SolveStatus} from '../domain/events.js';
import {isBuildxErrorLine} from '../lib/rawjson-stream.js';

/** The image name a vertex error or an ERROR line refuses as "already exists", if that is what it says. */
export function refusedImageName(text: string | undefined): string | undefined {
	return text?.match(/image "([^"]+)": already exists$/)?.[1];
}

export type ExportAttempt = {
	/** Where the attempt's build events go (the rest pass through). */
	emit: Emit;
	/** The image name BuildKit refused in this attempt, if it did. */
	refusedName: () => string | undefined;
	/** No retry follows: what was held back goes out. */
	release: () => void;
};

export type ExportRetry = {attempt: () => ExportAttempt};

export function createExportRetry(emit: Emit): ExportRetry {
	/** Names of the vertexes that completed without error in an attempt. */
	const settled = new Set<string>();
	/** The refused export's name -> its digest: a later attempt's export continues that step. */
	const refusedSteps = new Map<string, string>();
	return {
		attempt: () => {
			const earlier = new Set(settled);
			const dropped = new Set<string>(); // digests of this attempt's re-sends of earlier steps
			const refused = new Set<string>(); // digests of the refused export
			const continued = new Map<string, string>(); // this attempt's export digest -> the refused step's
			const earlierRefused = new Map(refusedSteps);
			const held: DomainEvent[] = [];
			let name: string | undefined;

			const filter = (status: SolveStatus): {pass: SolveStatus | undefined; hold: SolveStatus | undefined} => {
				const pass: SolveStatus = {};
				const hold: SolveStatus = {};
				for (const sent of status.vertexes ?? []) {
					if (earlier.has(sent.name)) {
						dropped.add(sent.digest);
						continue;
					}
					const earlierDigest = earlierRefused.get(sent.name);
					if (earlierDigest !== undefined) continued.set(sent.digest, earlierDigest);
					const v = earlierDigest === undefined ? sent : {...sent, digest: earlierDigest};
					const refusal = refusedImageName(v.error);
					if (refusal) {
						name = refusal;
						refused.add(v.digest);
						refusedSteps.set(v.name, v.digest);
					}
					if (refused.has(v.digest)) (hold.vertexes ??= []).push(v);
					else {
						(pass.vertexes ??= []).push(v);
						if (v.completed !== undefined && !v.error) settled.add(v.name);
					}
				}
				const split = <T extends {vertex: string}>(items: T[] | undefined): [T[] | undefined, T[] | undefined] => {
					const kept = (items ?? []).filter(item => !dropped.has(item.vertex)).map(item => {
						const digest = continued.get(item.vertex);
						return digest === undefined ? item : {...item, vertex: digest};
					});
					const passed = kept.filter(item => !refused.has(item.vertex));
					const heldBack = kept.filter(item => refused.has(item.vertex));
					return [passed.length > 0 ? passed : undefined, heldBack.length > 0 ? heldBack : undefined];
				};
				[pass.statuses, hold.statuses] = split(status.statuses);
				[pass.logs, hold.logs] = split(status.logs);
				[pass.warnings, hold.warnings] = split(status.warnings);
				return {pass: compact(pass), hold: compact(hold)};
			};

			const attemptEmit: Emit = event => {
				if (event.type === 'build/status-received') {
					// the common case (a first attempt, no refusal yet) passes the status as it is: this runs per status
					const vertexes = event.status.vertexes;
					if (earlier.size === 0 && refused.size === 0 && !vertexes?.some(v => v.error)) {
						if (vertexes) for (const v of vertexes) if (v.completed !== undefined) settled.add(v.name);
						emit(event);
						return;
					}
					const {pass, hold} = filter(event.status);
					if (hold) held.push({...event, status: hold});
					if (pass) emit({...event, status: pass});
					return;
				}
				if (event.type === 'build/text-received' && isBuildxErrorLine(event.line)) {
					const refusal = refusedImageName(event.line);
					if (refusal) {
						name ??= refusal;
						held.push(event);
						return;
					}
				}
				emit(event);
			};
			return {
				emit: attemptEmit,
				refusedName: () => name,
				release: () => {
					for (const event of held.splice(0)) emit(event);
				},
			};
		},
	};
}

/** The status without the keys left undefined; undefined when nothing is left. */
function compact(status: SolveStatus): SolveStatus | undefined {
	const kept = Object.fromEntries(Object.entries(status).filter(([, value]) => value !== undefined)) as SolveStatus;
	return Object.keys(kept).length > 0 ? kept : undefined;
}
