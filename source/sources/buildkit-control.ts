// One long-lived gRPC connection to a builder's BuildKit, through `docker buildx dial-stdio`: buildx knows how to
// reach every driver's BuildKit (the docker driver's /grpc upgrade, a container, a remote), and dial-stdio hands
// that stream over on stdio. grpc-js speaks to a unix socket, so bxtop listens on a private one (a 0700 temporary
// folder) and pipes each connection grpc-js opens to its own dial-stdio child.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {packageRoot} from '../lib/package-root.js';
import {mkdtempSync, rmSync} from 'node:fs';
import {execa, type ResultPromise} from 'execa';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import {signalGroup, trackChild, untrackChild} from './process-groups.js';
import {stoppedWithParent} from './parent-death.js';
import type {WireHistoryEvent} from '../lib/buildkit-record.js';

export type BuildkitControl = {
	/**
	 * Streams history events until cancelled (or, with earlyExit, until the records BuildKit has now were sent);
	 * `onEnd` gets the error that ended it (undefined: a normal end, or cancelled by us). Called once.
	 */
	listenBuildHistory: (request: {activeOnly: boolean; earlyExit?: boolean}, onEvent: (event: WireHistoryEvent) => void, onEnd: (error?: grpc.ServiceError) => void) => () => void;
	close: () => Promise<void>;
};

export type ControlOptions = {
	builder?: string;
	/** dial-stdio's node selection: a platform of the wanted node (multi-node builders). */
	platform?: string;
	env?: NodeJS.ProcessEnv;
	dockerBinary?: string;
};

const protoFile = path.join(packageRoot(), 'proto', 'buildkit', 'control.proto');
let controlService: grpc.ServiceClientConstructor | undefined;

function loadControlService(): grpc.ServiceClientConstructor {
	if (controlService) return controlService;
	const definition = protoLoader.loadSync(protoFile, {keepCase: true, longs: Number, enums: String, defaults: false});
	const loaded = grpc.loadPackageDefinition(definition) as unknown as {moby: {buildkit: {v1: {Control: grpc.ServiceClientConstructor}}}};
	controlService = loaded.moby.buildkit.v1.Control;
	return controlService;
}

export async function openBuildkitControl(options: ControlOptions = {}): Promise<BuildkitControl> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'bxtop-grpc-'));
	const socketPath = path.join(dir, 'buildkit.sock');
	const children = new Set<ResultPromise>();
	const dialArgs = ['buildx', 'dial-stdio', ...(options.builder ? ['--builder', options.builder] : []), ...(options.platform ? ['--platform', options.platform] : [])];

	const server = net.createServer(socket => {
		// through setpriv --pdeathsig where there is one: a kill -9 of bxtop must not leave a dial-stdio behind
		const command = stoppedWithParent(options.dockerBinary ?? 'docker', dialArgs);
		const child = execa(command.file, command.args, {
			stdin: 'pipe',
			stdout: 'pipe',
			stderr: 'ignore',
			detached: true, // its own process group: a terminal Ctrl-C reaches bxtop only, and bxtop ends it
			reject: false,
			buffer: false,
			cleanup: false,
			encoding: 'buffer',
			...(options.env ? {env: options.env, extendEnv: false} : {}),
		});
		children.add(child);
		const pid = child.pid;
		if (pid !== undefined) trackChild(pid);
		socket.pipe(child.stdin!);
		child.stdout!.pipe(socket);
		const end = () => {
			socket.destroy();
			stopGroup(pid, child);
		};
		socket.on('close', end);
		socket.on('error', end);
		child.stdin!.on('error', end);
		void child.then(() => {
			end();
			if (pid !== undefined) untrackChild(pid);
			children.delete(child);
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(socketPath, () => resolve());
	});

	const Control = loadControlService();
	const client = new Control(`unix://${socketPath}`, grpc.credentials.createInsecure(), {
		'grpc.default_authority': 'localhost',
		// one connection for the whole session; a broken one is reopened by grpc-js (a new dial-stdio)
		'grpc.keepalive_time_ms': 60_000,
	});

	return {
		listenBuildHistory: (request, onEvent, onEnd) => {
			let isCancelled = false;
			let hasEnded = false;
			const end = (error?: grpc.ServiceError) => {
				if (hasEnded) return;
				hasEnded = true;
				onEnd(isCancelled ? undefined : error);
			};
			const call = (client as unknown as {ListenBuildHistory: (req: object) => grpc.ClientReadableStream<WireHistoryEvent>}).ListenBuildHistory({
				ActiveOnly: request.activeOnly,
				EarlyExit: request.earlyExit ?? false,
			});
			call.on('data', (event: WireHistoryEvent) => onEvent(event));
			call.on('error', (error: grpc.ServiceError) => end(error));
			call.on('end', () => end());
			return () => {
				isCancelled = true;
				call.cancel();
			};
		},
		close: async () => {
			client.close();
			const closed = new Promise<void>(resolve => server.close(() => resolve()));
			for (const child of children) stopGroup(child.pid, child);
			await Promise.all([...children].map(c => c.catch(() => undefined)));
			await closed;
			rmSync(dir, {recursive: true, force: true});
		},
	};
}

/**
 * SIGINT first, as a terminal's Ctrl-C: the docker CLI waits for its buildx plugin to exit on it and reaps it. A
 * SIGTERM or SIGKILL to the group ends the CLI at once and leaves the plugin a zombie for init to collect. SIGKILL
 * only if SIGINT does not end it.
 */
function stopGroup(pid: number | undefined, child: ResultPromise): void {
	if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	signalGroup(pid, 'SIGINT');
	const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), 1_000);
	void child.finally(() => clearTimeout(timer));
}

/** grpc status codes bxtop tells apart. */
export const grpcCode = grpc.status;
