// bxtop as a user gets it: `npm pack` of this checkout installed into an empty project with `npm install --offline
// --omit=dev`. dist/ is a bundle, so the package has no dependencies and the install adds bxtop alone; every command
// must then run from that copy, with no node_modules of this checkout to fall back on.
import {execFileSync, spawn} from 'node:child_process';
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, expect, test} from 'vitest';
import {describeModernDocker, modernDockerEnv} from '../helpers/docker.js';
import {makeContext} from '../helpers/e2e.js';

const root = path.join(import.meta.dirname, '..', '..');
let dir = '';
let app = '';
let bin = '';

beforeAll(() => {
	dir = mkdtempSync(path.join(tmpdir(), 'bxtop-packed-'));
	// npm test has built dist/ already; --ignore-scripts keeps pack from building it again
	const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {cwd: root, encoding: 'utf8'})) as {filename: string}[];
	app = path.join(dir, 'app');
	mkdirSync(app);
	writeFileSync(path.join(app, 'package.json'), JSON.stringify({name: 'uses-bxtop', version: '1.0.0', private: true}));
	execFileSync('npm', ['install', '--offline', '--omit=dev', '--no-audit', '--no-fund', '--ignore-scripts', path.join(dir, packed!.filename)], {cwd: app, encoding: 'utf8'});
	bin = path.join(app, 'node_modules', '.bin', 'bxtop');
}, 120_000);

afterAll(() => {
	if (dir) rmSync(dir, {recursive: true, force: true});
});

const bxtop = (args: string[], env: NodeJS.ProcessEnv = {}) => execFileSync(bin, args, {cwd: app, encoding: 'utf8', env: {...process.env, ...env}});

test('the package declares no dependencies, so the install adds bxtop alone, with its licence notices', () => {
	const manifest = JSON.parse(readFileSync(path.join(app, 'node_modules', 'bxtop', 'package.json'), 'utf8')) as {dependencies?: object};
	expect(manifest.dependencies ?? {}).toEqual({});
	expect(readdirSync(path.join(app, 'node_modules')).filter(name => !name.startsWith('.'))).toEqual(['bxtop']);
	expect(readFileSync(path.join(app, 'node_modules', 'bxtop', 'dist', 'THIRD-PARTY-NOTICES.txt'), 'utf8')).toContain('react ');
});

test('from the installed copy: --version, a replay of the bundled recording, a report of it', () => {
	const {version} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string};
	expect(bxtop(['--version']).trim()).toBe(version);
	const recording = path.join(app, 'node_modules', 'bxtop', 'recordings', 'demo-backend-cpu-2-warm.bxrec');
	const replay = bxtop(['replay', '--plain', recording]);
	expect(replay).toMatch(/^\[backend:cpu linux\/amd64\] done in \d/m);
	expect(replay).toMatch(/^bxtop: 2 builds: 2 done, 0 failed/m);
	bxtop(['report', recording, '-o', 'report.md']);
	expect(readFileSync(path.join(app, 'report.md'), 'utf8')).toMatch(/^# Docker Build Performance Metrics/);
});

describeModernDocker('from the installed copy, on dockerd 28 + buildx 0.29', () => {
	const env = modernDockerEnv();

	test('a build in plain mode; attach (BuildKit gRPC) shows a build plain buildx started, and stops on SIGTERM', async () => {
		const context = makeContext(['RUN echo packed > /packed']);
		const build = bxtop(['build', '--plain', '--no-record', '--network=none', context], env);
		expect(build).toMatch(/1 build: 1 done, 0 failed/);

		const attach = spawn(bin, ['attach', '--plain', '--no-record'], {cwd: app, env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		attach.stdout.on('data', chunk => (output += chunk));
		attach.stderr.on('data', chunk => (output += chunk));
		const exited = new Promise<number | null>(resolve => attach.on('close', code => resolve(code)));
		const until = async (text: string | RegExp) => {
			const deadline = Date.now() + 30_000;
			while (!(typeof text === 'string' ? output.includes(text) : text.test(output))) {
				if (Date.now() > deadline) throw new Error(`attach did not print ${String(text)} within 30 s; it printed:\n${output}`);
				await new Promise(resolve => setTimeout(resolve, 100));
			}
		};
		try {
			await until('attached to builder');
			// a build started by plain buildx reaches the board through BuildKit's history stream
			execFileSync('docker', ['buildx', 'build', '--progress=quiet', '--network=none', makeContext(['RUN echo foreign > /foreign'])], {env: {...process.env, ...env}});
			await until(/done in \d/);
		} finally {
			attach.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
		expect(output).toContain('bxtop: attached to builder default');
		expect(output).toMatch(/done in \d/);
		expect(output).not.toMatch(/internal error|Cannot find (module|package)/);
	}, 120_000);
});
