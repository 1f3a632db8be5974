// Sessions assembled from the REAL captures in test/fixtures/real/ (real buildx, real docker stats, real du and
// prune output), fed through bxtop's real parsing paths: the rawjson stream with the download tracker, the
// docker-stats, du, prune and inspect parsers, the image-size helpers. What is assembled here, not captured: the
// session envelope (session/started info taken from the 00-* version and inspect captures, session/ended) and the
// ordering of everything by its real timestamp. Times of du/prune/stats come from the captures' meta files and
// sample-times.tsv.
import {writeFileSync} from 'node:fs';
import {gzipSync} from 'node:zlib';
import type {BuildSpec, DomainEvent, SessionInfo} from '../../source/domain/events.js';
import {createBuildStream} from '../../source/sources/buildx-stream.js';
import {createDownloadTracker} from '../../source/sources/download-tracker.js';
import {parseBuildxInspect, parseBuildxVersion} from '../../source/lib/buildx-inspect.js';
import {parseDu} from '../../source/lib/du-table.js';
import {parsePruneOutput} from '../../source/lib/prune-output.js';
import {captureStatsEvents} from '../../bench/capture-stats.js';
import {ociArchiveSizes, parseBuildMetadata} from '../../source/lib/image-size.js';
import type {ImageEvent} from '../../source/domain/image-events.js';
import type {ResourceEvent} from '../../source/domain/resources-events.js';
import {encodeEvent, recordingFormat, recordingVersion, type RecordingHeader} from '../../source/record/format.js';
import {readReal} from '../helpers/captures.js';
import {initialDomainState, reduceAll} from '../../source/state/reducer.js';

export type RealBuild = {
	/** Capture base name, e.g. `01-cold-multiplatform-oci` (its `.stderr.rawjson` is the build stream). */
	capture: string;
	spec: Partial<BuildSpec> & {buildId: string};
	exitCode?: number;
	/** Emit image events from the capture's metadata + OCI index + tar listing. */
	hasOciArchive?: boolean;
};

export type RealSession = {
	builds: RealBuild[];
	/** Snapshot base names (`00-before-cold`), measured before the builds. */
	duBefore?: string;
	duAfter?: string;
	/** `00-prune-all-before-start`: a prune done in the session, before the builds. */
	prune?: string;
	/** Base name of `.docker-stats.jsonl` + `.sample-times.tsv`. */
	stats?: string;
	/** Base name of a `buildx inspect` capture (`00-buildx-inspect-mybuilder`): a builder/inspected event and the
	 * session info's builder (default: mybuilder's capture, for the info only). */
	inspect?: string;
	command: string[];
	/** Leave out the download tracker (a recording made without it). */
	isWithoutDownloads?: boolean;
};

const statsNode = 'mybuilder0';

/** The session/started info, from the real version and inspect captures. */
export function realSessionInfo(command: string[], inspect = '00-buildx-inspect-mybuilder'): SessionInfo {
	const builder = parseBuildxInspect(readReal(`${inspect}.txt`))!;
	const docker = /^Client:[\s\S]*?Version:\s+(\S+)/m.exec(readReal('00-docker-version.txt'))![1]!;
	const buildx = readReal('00-buildx-version.txt').trim().split(/\s+/)[1]!;
	return {
		command,
		mode: 'build',
		builder: builder.name,
		driver: builder.driver,
		bxtopVersion: '0.1.0',
		hostOs: 'linux',
		// 00-docker-version.txt: OS/Arch linux/amd64, which node calls x64
		hostArch: 'x64',
		buildkitVersion: builder.nodes[0]!.buildkitVersion!,
		dockerVersion: docker,
		buildxVersion: buildx,
		nativePlatform: builder.nodes[0]!.platforms[0]!.replace(/\*$/, ''),
	};
}

function metaTime(name: string): number {
	const meta = readReal(`${name}.meta.txt`);
	const taken = /^taken:\s*(\S+)/m.exec(meta);
	if (taken) return Date.parse(taken[1]!);
	const end = /^end_epoch:\s*(\S+)/m.exec(meta);
	if (end) return Math.round(Number(end[1]) * 1000);
	throw new Error(`${name}.meta.txt has no time`);
}

function metaCommand(name: string): string[] {
	const command = /^command(?: \([^)]*\))?:\s*(.+)$/m.exec(readReal(`${name}.meta.txt`))![1]!;
	return command.trim().split(/\s+/);
}

export function realBuildEvents(build: RealBuild, withDownloads: boolean): DomainEvent[] {
	const spec: BuildSpec = {target: 'scenario', tags: [], platforms: ['linux/amd64', 'linux/arm64'], argv: [], ...build.spec};
	const events: DomainEvent[] = [];
	const listeners = withDownloads ? [createDownloadTracker(spec)] : [];
	const stream = createBuildStream({buildId: spec.buildId, emit: e => events.push(e), listeners});
	const text = readReal(`${build.capture}.stderr.rawjson`);
	for (let i = 0; i < text.length; i += 4096) stream.push(text.slice(i, i + 4096));
	stream.end();
	// The build's own clock: BuildKit's earliest and latest timestamps (events are stamped with the newest one a
	// status carries, so the earliest can be a millisecond before the first event).
	const record = reduceAll(initialDomainState, [{type: 'build/queued', at: 0, spec}, ...events]).builds.byId[spec.buildId]!;
	const first = record.firstTimestampMs!;
	const last = record.lastTimestampMs!;
	return [
		{type: 'build/queued', at: first, spec},
		{type: 'build/started', at: first, buildId: spec.buildId},
		// Statuses before BuildKit's first timestamp are stamped 0 by the capture replay; live they carry the clock.
		...events.map(e => (e.at < first ? {...e, at: first} : e)),
		{type: 'build/exited', at: last, buildId: spec.buildId, exitCode: build.exitCode ?? 0, isCancelled: false},
	];
}

/** What the build source would emit after the build, computed by lib/image-size from the capture's real files. */
export function realImageEvents(build: RealBuild, at: number): ImageEvent[] {
	if (!build.hasOciArchive) return [];
	const metadata = parseBuildMetadata(JSON.parse(readReal(`${build.capture}.metadata.json`)));
	const result = ociArchiveSizes({
		index: JSON.parse(readReal(`${build.capture}.oci-index.json`)),
		listing: readReal(`${build.capture}.oci-tar-listing.txt`),
		metadata,
	});
	const reference = `out/${build.capture}.oci.tar`;
	const events: ImageEvent[] = result.sizes.map(s => ({
		type: 'image/measured',
		at,
		buildId: build.spec.buildId,
		platform: s.platform,
		sizeBytes: s.sizeBytes,
		isCompressed: true,
		...(s.layerCount !== undefined ? {layerCount: s.layerCount} : {}),
		...(s.digest ? {digest: s.digest} : {}),
		reference,
		source: 'oci-tar',
	}));
	const platforms = build.spec.platforms ?? ['linux/amd64', 'linux/arm64'];
	for (const n of result.notMeasured) {
		for (const platform of n.platform ? [n.platform] : platforms) events.push({type: 'image/not-measured', at, buildId: build.spec.buildId, platform, reason: n.reason});
	}
	return events;
}

function statsEvents(name: string): ResourceEvent[] {
	return captureStatsEvents(readReal(`${name}.docker-stats.jsonl`), readReal(`${name}.sample-times.tsv`), statsNode);
}

function duEvent(name: string, reason: 'initial' | 'build-ended'): ResourceEvent {
	return {type: 'cache/measured', at: metaTime(`${name}.buildx-du`), builder: 'mybuilder', reason, usage: parseDu(readReal(`${name}.buildx-du.txt`), 'table'), durationMs: 0};
}

/** When run-captures.log says a snapshot command started (second resolution), on the day of its meta file. */
function logStart(name: string, end: number): number {
	const line = readReal('run-captures.log').split('\n').find(l => l.includes(` snap ${name}:`));
	const time = line ? /^(\d\d:\d\d:\d\d)/.exec(line)?.[1] : undefined;
	return time ? Date.parse(`${new Date(end).toISOString().slice(0, 10)}T${time}Z`) : end;
}

function pruneEvents(name: string): ResourceEvent[] {
	const end = metaTime(name);
	const start = logStart(name, end);
	const result = parsePruneOutput(readReal(`${name}.txt`));
	const argv = metaCommand(name).slice(1);
	return [
		{type: 'prune/started', at: start, pruneId: 'p1', commandId: 'prune-all', builder: 'mybuilder', argv},
		{type: 'prune/finished', at: end, pruneId: 'p1', reclaimedBytes: result.reclaimedBytes!, recordsRemoved: result.records.length, durationMs: end - start},
	];
}

/** All events of a session, ordered by time (stable), with a header as the live recorder writes it. */
export function realSession(session: RealSession): {header: RecordingHeader; events: DomainEvent[]} {
	const body: (DomainEvent | ImageEvent)[] = [];
	if (session.prune) body.push(...pruneEvents(session.prune));
	if (session.duBefore) body.push(duEvent(session.duBefore, 'initial'));
	for (const build of session.builds) {
		const events = realBuildEvents(build, !session.isWithoutDownloads);
		body.push(...events);
		body.push(...realImageEvents(build, events[events.length - 1]!.at));
	}
	if (session.stats) body.push(...statsEvents(session.stats));
	if (session.duAfter) body.push(duEvent(session.duAfter, 'build-ended'));
	body.sort((a, b) => a.at - b.at);
	const start = body[0]!.at;
	const end = body[body.length - 1]!.at;
	const info = realSessionInfo(session.command, session.inspect);
	const events: DomainEvent[] = [{type: 'session/started', at: start, info}];
	if (session.inspect) {
		const builder = parseBuildxInspect(readReal(`${session.inspect}.txt`))!;
		const version = parseBuildxVersion(readReal('00-buildx-version.txt'));
		events.push({
			type: 'builder/inspected',
			at: start,
			builder,
			targets: builder.nodes.map(n => ({node: n.name, container: `buildx_buildkit_${n.name}`})),
			...(version ? {buildxVersion: version.text} : {}),
		});
	}
	events.push(...(body as DomainEvent[]));
	const failed = session.builds.some(b => (b.exitCode ?? 0) !== 0);
	events.push({type: 'session/ended', at: end, reason: failed ? 'failed' : 'completed'});
	const header: RecordingHeader = {
		format: recordingFormat,
		version: recordingVersion,
		bxtopVersion: '0.1.0',
		startedAt: start,
		startedAtIso: new Date(start).toISOString(),
		host: {os: info.hostOs!, arch: info.hostArch!},
		versions: {docker: info.dockerVersion!, buildx: info.buildxVersion!, buildkit: info.buildkitVersion!},
		builder: info.builder!,
		driver: info.driver!,
		command: info.command,
		mode: 'build',
		targets: [...new Set(session.builds.map(b => b.spec.target ?? 'scenario'))],
	};
	return {header, events};
}

export function writeRecording(file: string, recording: {header: RecordingHeader; events: readonly DomainEvent[]}): string {
	const text = JSON.stringify(recording.header) + '\n' + recording.events.map(e => encodeEvent(recording.header, e)).join('');
	writeFileSync(file, file.endsWith('.gz') ? gzipSync(text) : text);
	return file;
}

/** The sessions the golden tests and benchmarks use, each from real captures. */
export const sessions = {
	cold: {
		builds: [{capture: '01-cold-multiplatform-oci', spec: {buildId: 'scenario', target: 'scenario'}, hasOciArchive: true}],
		prune: '00-prune-all-before-start',
		duBefore: '00-before-cold',
		duAfter: '01-after-cold',
		stats: '01-cold-multiplatform-oci',
		inspect: '00-buildx-inspect-mybuilder',
		command: ['bxtop', 'build', '--no-split', '--platform', 'linux/amd64,linux/arm64', '--output', 'type=oci,dest=out/01.oci.tar', '.'],
	},
	warm: {
		builds: [{capture: '02-warm-multiplatform-oci', spec: {buildId: 'scenario', target: 'scenario'}, hasOciArchive: true}],
		stats: '02-warm-multiplatform-oci',
		inspect: '00-buildx-inspect-mybuilder',
		command: ['bxtop', 'build', '--no-split', '--platform', 'linux/amd64,linux/arm64', '--output', 'type=oci,dest=out/02.oci.tar', '.'],
	},
	push: {
		builds: [{capture: '04-push-multiplatform-registry', spec: {buildId: 'scenario', target: 'scenario', tags: ['127.0.0.1:5000/lab/transcriber:latest']}}],
		duAfter: '04-after-push',
		stats: '04-push-multiplatform-registry',
		command: ['bxtop', 'build', '--platform', 'linux/amd64,linux/arm64', '--output', 'type=image,name=127.0.0.1:5000/lab/transcriber:latest,push=true', '.'],
	},
	failed: {
		builds: [{capture: '09-fail-multiplatform-rawjson', spec: {buildId: 'scenario', target: 'scenario'}, exitCode: 1}],
		stats: '09-fail-multiplatform-rawjson',
		command: ['bxtop', 'build', '--no-split', '--platform', 'linux/amd64,linux/arm64', '-f', 'Dockerfile.fail', '.'],
	},
	split: {
		builds: [
			{capture: '07-concurrent-per-platform-cold-amd64', spec: {buildId: 'scenario@linux-amd64', target: 'scenario', platforms: ['linux/amd64']}, hasOciArchive: true},
			{capture: '07-concurrent-per-platform-cold-arm64', spec: {buildId: 'scenario@linux-arm64', target: 'scenario', platforms: ['linux/arm64']}, hasOciArchive: true},
		],
		duAfter: '07-after-concurrent',
		stats: '07-concurrent-per-platform-cold',
		inspect: '00-buildx-inspect-mybuilder',
		command: ['bxtop', 'build', '--platform', 'linux/amd64,linux/arm64', '--output', 'type=oci,dest=out/07.oci.tar', '.'],
	},
	multinode: {
		builds: [{capture: '15-multinode-multiplatform', spec: {buildId: 'scenario', target: 'scenario', tags: ['127.0.0.1:5000/lab/transcriber:multinode']}}],
		inspect: '15-multinode-buildx-inspect',
		command: ['bxtop', 'build', '--builder', 'multinode', '--platform', 'linux/amd64,linux/arm64', '--output', 'type=image,name=127.0.0.1:5000/lab/transcriber:multinode,push=true', '.'],
	},
} satisfies Record<string, RealSession>;
