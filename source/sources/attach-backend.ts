// The real builder behind `bxtop attach`: BuildKit's history stream per node over gRPC (buildkit-control.ts), and
// `docker buildx history logs` / `history inspect` children for one build's progress and record.
import {execa} from 'execa';
import type {AttachBackend, AttachNode} from './attach-builds.js';
import type {BuildkitControl} from './buildkit-control.js';
import {signalGroup, trackChild, untrackChild} from './process-groups.js';
import {stoppedWithParent} from './parent-death.js';

export type BackendOptions = {
	builder: string;
	/** One open control connection per node name. */
	controls: Map<string, BuildkitControl>;
	env?: NodeJS.ProcessEnv;
	dockerBinary?: string;
	graceMs?: number;
};

export function createAttachBackend(options: BackendOptions): AttachBackend {
	const docker = options.dockerBinary ?? 'docker';
	const builderArgs = ['--builder', options.builder];
	const env = options.env ? {env: options.env, extendEnv: false} : {};
	return {
		listen: (node: AttachNode, onEvent, signal) =>
			new Promise<void>((resolve, reject) => {
				const control = options.controls.get(node.name);
				if (!control) return reject(new Error(`no connection to node ${node.name}`));
				const cancel = control.listenBuildHistory({activeOnly: true}, onEvent, error => {
					signal.removeEventListener('abort', cancel);
					if (error) reject(new Error(error.details || error.message));
					else resolve();
				});
				if (signal.aborted) cancel();
				else signal.addEventListener('abort', cancel, {once: true});
			}),
		followLogs: async (id, onChunk, signal) => {
			if (signal.aborted) return;
			// through setpriv --pdeathsig where there is one: a kill -9 of bxtop must not leave it following the build
			const command = stoppedWithParent(docker, ['buildx', 'history', 'logs', ...builderArgs, '--progress=rawjson', id]);
			const child = execa(command.file, command.args, {
				stdin: 'ignore',
				stdout: 'ignore',
				stderr: 'pipe',
				detached: true, // its own group, stopped by bxtop alone (see build-process.ts)
				reject: false,
				buffer: false,
				cleanup: false,
				encoding: 'utf8',
				...env,
			});
			const pid = child.pid;
			if (pid !== undefined) trackChild(pid);
			let killTimer: NodeJS.Timeout | undefined;
			const stop = () => {
				signalGroup(pid, 'SIGINT');
				killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), options.graceMs ?? 2_000);
			};
			signal.addEventListener('abort', stop, {once: true});
			child.stderr?.setEncoding('utf8');
			child.stderr?.on('data', (chunk: string) => onChunk(chunk));
			// its exit code says nothing of the build (the record does); its ERROR lines reach the stream as text
			await child;
			signal.removeEventListener('abort', stop);
			clearTimeout(killTimer);
			signalGroup(pid, 'SIGKILL');
			if (pid !== undefined) untrackChild(pid);
		},
		inspect: async (id, signal) => {
			const result = await execa(docker, ['buildx', 'history', 'inspect', ...builderArgs, '--format', 'json', id], {
				stdin: 'ignore',
				reject: false,
				timeout: 20_000,
				cancelSignal: signal,
				...env,
			});
			if (result.exitCode !== 0) throw new Error(String(result.stderr).trim() || `history inspect exited with ${result.exitCode}`);
			return String(result.stdout);
		},
	};
}
