// Every domain event bxtop knows. Events are facts in past tense, plain JSON (they are recorded), and each carries
// `at`: milliseconds since the epoch from the injected clock (live: wall clock when read; raw-capture replay: the
// BuildKit timestamp inside the capture). Each slice's events have a file here (resources, downloads, image); this one joins them.
import type {ResourceEvent} from './resources-events.js';
import type {DownloadEvent} from './downloads-events.js';
import type {ImageEvent} from './image-events.js';
import type {BuildkitRecord} from './buildkit-record.js';

// ---- BuildKit's SolveStatus, normalised by lib/solve-status.ts (base64 already decoded) ----

export type Vertex = {
	digest: string;
	name: string;
	inputs?: string[];
	/** Epoch ms of BuildKit's timestamps (its RFC 3339 strings, parsed once by the normaliser). */
	started?: number;
	completed?: number;
	cached?: boolean;
	error?: string;
};

export type VertexStatus = {
	id: string;
	vertex: string;
	name?: string;
	current?: number;
	total?: number;
	/** Epoch ms, as on Vertex. */
	timestamp?: number;
	started?: number;
	completed?: number;
};

export type VertexLog = {
	vertex: string;
	stream?: number;
	/** Decoded text of the chunk; chunks are not line-aligned. */
	text: string;
	/** Epoch ms, as on Vertex. */
	timestamp?: number;
};

export type VertexWarning = {
	vertex: string;
	level?: number;
	short: string;
	detail?: string[];
	url?: string;
};

export type SolveStatus = {
	vertexes?: Vertex[];
	statuses?: VertexStatus[];
	logs?: VertexLog[];
	warnings?: VertexWarning[];
};

// ---- session ----

export type SessionInfo = {
	/** How the session was started: the bxtop command line, secrets redacted. */
	command: string[];
	mode: 'build' | 'bake' | 'watch' | 'replay' | 'attach';
	builder?: string;
	driver?: string;
	buildkitVersion?: string;
	bxtopVersion?: string;
	dockerVersion?: string;
	buildxVersion?: string;
	hostOs?: string;
	hostArch?: string;
	nativePlatform?: string;
	recordingPath?: string;
};

export type SessionEvent =
	| {type: 'session/started'; at: number; info: SessionInfo}
	| {type: 'session/info-updated'; at: number; info: Partial<SessionInfo>}
	| {type: 'session/warned'; at: number; message: string}
	| {type: 'session/ended'; at: number; reason: 'completed' | 'cancelled' | 'failed'};

// ---- builds ----

export type BuildSpec = {
	/** Unique within the session, e.g. "backend-cpu/linux-arm64". */
	buildId: string;
	/** Bake target, or the first tag, or the context directory. */
	target: string;
	tags: string[];
	/** Platforms this child builds; several only with --no-split (step names then carry the platform). */
	platforms: string[];
	/** The child's docker argv (redacted), for the record. */
	argv: string[];
	variant?: string;
	/** Attach: the builder node that runs the build (`history ls` refs are builder/node/id). */
	node?: string;
	/** The native platform of the node that builds it, when bxtop knows it per node (attach): what "emulated" is
	 * judged against instead of the session's one. */
	nativePlatform?: string;
};

export type BuildEvent =
	| {type: 'build/queued'; at: number; spec: BuildSpec}
	| {type: 'build/started'; at: number; buildId: string}
	| {type: 'build/status-received'; at: number; buildId: string; status: SolveStatus}
	/** A non-JSON line buildx wrote among the rawjson objects (`ERROR: ...`, warnings). */
	| {type: 'build/text-received'; at: number; buildId: string; line: string}
	| {type: 'build/parse-failed'; at: number; buildId: string; message: string; snippet: string}
	/** BuildKit's own record of the build (attach, a replayed history ref or .dockerbuild): name, status, times and
	 * step counts as BuildKit keeps them; again whenever it changes. */
	| {type: 'build/record-updated'; at: number; buildId: string; record: BuildkitRecord}
	| {
			type: 'build/exited';
			at: number;
			buildId: string;
			exitCode: number | null;
			signal?: string | null;
			isCancelled: boolean;
			/** When the process could not run at all (ENOENT, ...). */
			failure?: string;
	  };

export type DomainEvent = SessionEvent | BuildEvent | ResourceEvent | DownloadEvent | ImageEvent;
export type Emit = (event: DomainEvent) => void;
