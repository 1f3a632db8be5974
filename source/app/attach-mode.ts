// `bxtop attach [--builder X]`: a live board of every build the builder runs, whoever started it, until q, Ctrl-C
// or SIGTERM. Checks first that buildx has `history` and BuildKit the history API; then one gRPC connection per
// node (through `docker buildx dial-stdio`) feeds the attach source, recorded like any live session.
import {systemClock, type Clock} from '../domain/clock.js';
import {checkDocker, UserFacingError, type DockerFacts} from '../sources/preflight.js';
import {openBuildkitControl, grpcCode, type BuildkitControl} from '../sources/buildkit-control.js';
import {attachBuilds, type AttachNode} from '../sources/attach-builds.js';
import {createAttachBackend} from '../sources/attach-backend.js';
import type {ResourceMonitor} from '../sources/resource-monitor.js';
import {checkHistoryCommand} from '../sources/buildx-history.js';
import {createPruneController, type PruneController} from './prune-controller.js';
import {openRecorder, sessionInfoOf, startSessionMonitor, withTimeout} from './live-mode.js';
import {closeRecorder} from '../record/session-recorder.js';
import {sessionRedactor} from '../lib/session-redactor.js';
import {runSession, type SessionIo} from './run-session.js';
import {takeBuilder, UsageError, type SessionFlags} from './cli-options.js';

type AttachContext = {flags: SessionFlags; io: SessionIo; argv: string[]; clock?: Clock};

export async function runAttachCommand(args: string[], ctx: AttachContext): Promise<number> {
	const builderArg = attachBuilder(args);
	const facts = await checkDocker(builderArg);
	await checkHistoryCommand({builder: facts.builder});
	// preflight's inspect named the nodes and each one's native platform: what "emulated" means on that node
	const nodes: AttachNode[] = facts.nodes.length > 0 ? facts.nodes : [{name: facts.builder}];
	const controls = await connectNodes(facts, nodes);
	const clock = ctx.clock ?? systemClock;
	// foreign builds bring no secret values bxtop knows: token shapes, paths and secretlint's rules still apply
	const redactor = sessionRedactor();
	const info = sessionInfoOf(facts, 'attach', ctx.argv, redactor);
	const recorder = openRecorder(ctx.flags, info, ['attach'], clock, redactor);
	if (recorder) info.recordingPath = redactor.local(recorder.path);
	const monitorStop = new AbortController();
	let monitor: ResourceMonitor | undefined;
	let pruneController: PruneController | undefined;

	const {summary} = await runSession({
		mode: 'live',
		isPlain: ctx.flags.isPlain,
		...(ctx.flags.jsonFile ? {jsonFile: ctx.flags.jsonFile} : {}),
		clock,
		io: ctx.io,
		taps: [...(recorder ? [recorder.tap] : []), event => monitor?.onEvent(event)],
		redactor: () => redactor,
		controls: store => (pruneController = createPruneController(store)),
		run: async (emit, signal) => {
			recorder?.setWarn(message => emit({type: 'session/warned', at: clock.now(), message}));
			emit({type: 'session/started', at: clock.now(), info});
			monitor = startSessionMonitor(emit, clock, monitorStop.signal, facts, ctx.flags);
			pruneController?.attach(monitor);
			const backend = createAttachBackend({builder: facts.builder, controls});
			await attachBuilds({emit, clock, signal, builder: facts.builder, nodes, backend});
		},
		ended: async (emit, store) => {
			monitor?.stopSampling();
			const builds = store.getState().domain.builds;
			const failed = builds.order.some(id => builds.byId[id]!.status === 'failed');
			// detaching is how attach ends: not a cancellation of anyone's build
			emit({type: 'session/ended', at: clock.now(), reason: failed ? 'failed' : 'completed'});
		},
		finish: async () => {
			monitorStop.abort();
			await withTimeout(monitor?.done, 5_000);
			await Promise.all([...controls.values()].map(c => c.close()));
			await closeRecorder(recorder);
		},
	});
	// builds still running on the builder when attach stopped are not failures
	return summary.counts.failed > 0 ? 1 : 0;
}

/** attach takes only `--builder`; without it, buildx's own choice (BUILDX_BUILDER, else the current builder). */
function attachBuilder(args: string[]): string | undefined {
	const {builder, rest} = takeBuilder(args);
	if (rest.length > 0) throw new UsageError(`attach: unknown argument "${rest[0]}" (bxtop attach [--builder NAME] [--plain] [--json FILE] [--no-record] [--record FILE])`);
	return builder ?? process.env.BUILDX_BUILDER;
}

/**
 * One connection per node (dial-stdio picks a node by platform on a multi-node builder), each probed with a
 * ListenBuildHistory that ends at once: an old BuildKit answers Unimplemented here, before the board opens.
 */
async function connectNodes(facts: DockerFacts, nodes: AttachNode[]): Promise<Map<string, BuildkitControl>> {
	const controls = new Map<string, BuildkitControl>();
	try {
		for (const node of nodes) {
			const platform = nodes.length > 1 ? node.nativePlatform : undefined;
			const control = await openBuildkitControl({builder: facts.builder, ...(platform ? {platform} : {})});
			controls.set(node.name, control);
			await probe(control, facts, node);
		}
		return controls;
	} catch (error) {
		await Promise.all([...controls.values()].map(c => c.close()));
		throw error;
	}
}

function probe(control: BuildkitControl, facts: DockerFacts, node: AttachNode): Promise<void> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			cancel();
			reject(new UserFacingError(`BuildKit of builder "${facts.builder}" (node ${node.name}) did not answer within 20 s through docker buildx dial-stdio`));
		}, 20_000);
		const cancel = control.listenBuildHistory({activeOnly: true, earlyExit: true}, () => {}, error => {
			clearTimeout(timer);
			if (!error) return resolve();
			const version = facts.buildkitVersion ? ` ${facts.buildkitVersion}` : '';
			if (error.code === grpcCode.UNIMPLEMENTED) {
				reject(
					new UserFacingError(
						`BuildKit${version} of builder "${facts.builder}" has no build history API (${error.details || 'Unimplemented'}): bxtop attach needs BuildKit v0.11 or newer, e.g. Docker Engine 23 or newer, or a docker-container builder`,
					),
				);
			} else reject(new UserFacingError(`cannot follow builder "${facts.builder}" (node ${node.name}): ${error.details || error.message}`));
		});
	});
}
