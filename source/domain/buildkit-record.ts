// BuildKit's build record of one build as bxtop carries it (the `build/record-updated` event); lib/buildkit-record.ts
// reads it from the wire, `history inspect` and `.dockerbuild` files.
/**
 * The record facts bxtop shows and reports. `steps` are BuildKit's counts (every vertex, internal ones too). No
 * context or Dockerfile path: those are local paths of whoever started the build, and this is recorded.
 */
export type BuildkitRecord = {
	/** The ref bxtop knows it by: `builder/node/id` as `history ls` prints it (attach), or the ref given to replay
	 * (`history inspect` and a `.dockerbuild` name no node) */
	ref: string;
	id: string;
	builder?: string;
	node?: string;
	name: string;
	/** In `history inspect --format json`'s words: running, completed, failed, canceled. */
	status: RecordStatus;
	frontend?: string;
	target?: string;
	platforms: string[];
	startedAt?: string;
	completedAt?: string;
	/** BuildKit's own duration (inspect's Duration) when it gives one; else the span of the two times. */
	durationMs?: number;
	steps: {total: number; completed: number; cached: number};
	error?: string;
	/** Where the figures come from: the live stream (attach), `history inspect`, or an exported `.dockerbuild`. */
	origin: RecordOrigin;
};

export type RecordStatus = 'running' | 'completed' | 'failed' | 'canceled' | 'unknown';
export type RecordOrigin = 'listen' | 'history' | 'dockerbuild';
