// Real end-to-end helpers: build contexts from the local busybox base images (made by .ci/make-base-images.py),
// and bxtop itself run as a real process (dist/cli.js, built by `npm test`).
import {execFileSync, spawn, type ChildProcess} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync, copyFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

export const cliPath = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

const rootfsCache = path.join(tmpdir(), 'bxtop-e2e-rootfs');

/** `env`: the stack's DOCKER_HOST + DOCKER_CONFIG (test/helpers/stacks.ts); the default daemon without it. */
export function hasImage(tag: string, env: Record<string, string> = {}): boolean {
	try {
		execFileSync('docker', ['image', 'inspect', tag], {stdio: 'pipe', env: {...process.env, ...env}});
		return true;
	} catch {
		return false;
	}
}

/** linux/arm64 only where the arm64 base image exists (qemu binfmt registered when CI made it). */
export function e2ePlatforms(env: Record<string, string> = {}): string[] {
	return hasImage('bxtop/base:arm64', env) ? ['linux/amd64', 'linux/arm64'] : ['linux/amd64'];
}

/** The busybox root filesystem of bxtop/base:<arch> as a tar, extracted once from `docker save`. */
function rootfsTar(arch: string): string {
	const out = path.join(rootfsCache, `rootfs-${arch}.tar`);
	if (existsSync(out)) return out;
	const work = mkdtempSync(path.join(tmpdir(), 'bxtop-save-'));
	execFileSync('docker', ['save', '-o', path.join(work, 'image.tar'), `bxtop/base:${arch}`]);
	execFileSync('tar', ['-xf', path.join(work, 'image.tar'), '-C', work]);
	const manifest = JSON.parse(readFileSync(path.join(work, 'manifest.json'), 'utf8')) as {Layers: string[]}[];
	mkdirSync(rootfsCache, {recursive: true});
	copyFileSync(path.join(work, manifest[0]!.Layers[0]!), out);
	return out;
}

/**
 * A build context whose Dockerfile starts FROM scratch and ADDs the busybox rootfs of the target arch: no
 * registry, works for every platform (dockerd 20.10 would try to pull a FROM image of another arch).
 */
export function makeContext(steps: string[], extraFiles: Record<string, string> = {}): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-ctx-'));
	for (const arch of ['amd64', 'arm64']) {
		if (hasImage(`bxtop/base:${arch}`)) copyFileSync(rootfsTar(arch), path.join(dir, `rootfs-${arch}.tar`));
	}
	const dockerfile = ['FROM scratch', 'ARG TARGETARCH', 'ADD rootfs-${TARGETARCH}.tar /', ...steps].join('\n') + '\n';
	writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
	for (const [name, text] of Object.entries(extraFiles)) writeFileSync(path.join(dir, name), text);
	return dir;
}

export type CliRun = {code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string};

export function startCli(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): {child: ChildProcess; done: Promise<CliRun>; output: () => string} {
	const child = spawn(process.execPath, [cliPath, ...args], {
		cwd: options.cwd,
		env: {...process.env, ...options.env},
		stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', chunk => (stdout += chunk));
	child.stderr!.on('data', chunk => (stderr += chunk));
	if (options.input !== undefined) child.stdin!.end(options.input);
	const done = new Promise<CliRun>(resolve => child.on('close', (code, signal) => resolve({code, signal, stdout, stderr})));
	return {child, done, output: () => stdout + stderr};
}

export function runCli(args: string[], options: {cwd?: string; env?: NodeJS.ProcessEnv; input?: string} = {}): Promise<CliRun> {
	return startCli(args, options).done;
}

/** Command lines of running processes that mention `needle` (e.g. a unique context directory). */
export function processesMentioning(needle: string): string[] {
	const out = execFileSync('ps', ['-eo', 'pid,args'], {encoding: 'utf8'});
	return out
		.split('\n')
		.filter(line => line.includes(needle) && !line.includes('ps -eo'))
		.map(line => line.trim());
}

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise(resolve => setTimeout(resolve, 100));
	}
}

export function nonce(): string {
	return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
