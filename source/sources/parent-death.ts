// Children that must not outlive bxtop even when it gets no chance to stop them (kill -9, an OOM kill): on Linux
// they start through util-linux `setpriv --pdeathsig INT`, so the kernel sends the docker CLI SIGINT the moment
// bxtop dies, and docker cancels the build as it does for Ctrl-C (it closes its plugin socket; buildx cancels the
// solve and exits). SIGINT, not SIGKILL: the build must be cancelled in BuildKit too, not only its client killed.
// Elsewhere (macOS, Windows, a Linux without setpriv) the command runs as it is; README: "Stopping builds".
import {accessSync, constants} from 'node:fs';
import path from 'node:path';

let setprivPath: string | null | undefined;

/** The setpriv executable on PATH (Linux only), found once. */
function setpriv(): string | undefined {
	if (setprivPath === undefined) {
		setprivPath = null;
		if (process.platform === 'linux') {
			for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
				if (!dir) continue;
				const candidate = path.join(dir, 'setpriv');
				try {
					accessSync(candidate, constants.X_OK);
					setprivPath = candidate;
					break;
				} catch {
					// not here
				}
			}
		}
	}
	return setprivPath ?? undefined;
}

export type Command = {file: string; args: string[]; isWrapped: boolean};

/** `binary args` as a command that receives SIGINT when bxtop dies (where the system allows it). */
export function stoppedWithParent(binary: string, args: readonly string[]): Command {
	const wrapper = setpriv();
	if (!wrapper) return {file: binary, args: [...args], isWrapped: false};
	return {file: wrapper, args: ['--pdeathsig', 'INT', '--', binary, ...args], isWrapped: true};
}

/** setpriv's exit code when it could not execute the command (as a shell's "command not found"). */
export const wrappedNotFoundExit = 127;
