import {describe, expect, test} from 'vitest';
import {parseBuildRequest, planBuilds} from '../../source/lib/build-plan.js';
import {bakeEntryCsv, planBake, targetArgs, type BakePrint} from '../../source/lib/bake-plan.js';

const argvOf = (plan: ReturnType<typeof planBuilds>) => plan.children.map(c => c.dockerArgs);

describe('build planning', () => {
	test('a multi-platform request becomes one child per platform; bxtop owns --progress; the context stays last', () => {
		const plan = planBuilds(parseBuildRequest(['--platform', 'linux/amd64,linux/arm64', '--progress=plain', '--build-arg', 'TORCH_VARIANT=cpu', '-t', 'backend:cpu', 'backend/']), {split: 'always'});
		expect(argvOf(plan)).toEqual([
			['buildx', 'build', '--progress=rawjson', '--platform', 'linux/amd64', '--build-arg', 'TORCH_VARIANT=cpu', '-t', 'backend:cpu', 'backend/'],
			['buildx', 'build', '--progress=rawjson', '--platform', 'linux/arm64', '--build-arg', 'TORCH_VARIANT=cpu', '-t', 'backend:cpu', 'backend/'],
		]);
		expect(plan.children.map(c => c.spec.buildId)).toEqual(['backend:cpu@linux-amd64', 'backend:cpu@linux-arm64']);
		expect(plan.note).toBeUndefined();
	});

	test('never split what the children would fight over: a push, an output file, --iidfile, --metadata-file', () => {
		for (const extra of [['--push'], ['-o', 'type=oci,dest=img.tar'], ['--output=type=local,dest=out'], ['--iidfile', 'id.txt'], ['--metadata-file', 'm.json']]) {
			const plan = planBuilds(parseBuildRequest(['--platform', 'linux/amd64,linux/arm64', ...extra, '.']), {split: 'always'});
			expect(plan.children, extra.join(' ')).toHaveLength(1);
			expect(plan.children[0]!.spec.platforms).toEqual(['linux/amd64', 'linux/arm64']);
			expect(plan.note).toMatch(/one multi-platform build/);
		}
	});

	test('--builder goes to every child; the secret value of a build arg never reaches the spec', () => {
		const plan = planBuilds(parseBuildRequest(['--builder', 'mybuilder', '--platform=linux/arm64', '--build-arg', 'HF_TOKEN=hf_abcdefghijklmnopqrstuvwxyz0123', '.']), {split: 'always'});
		expect(plan.children[0]!.dockerArgs.slice(0, 5)).toEqual(['buildx', 'build', '--progress=rawjson', '--builder', 'mybuilder']);
		expect(plan.children[0]!.spec.argv).toContain('HF_TOKEN=***');
		expect(JSON.stringify(plan.children[0]!.spec)).not.toContain('hf_abc');
	});
});

describe('bake planning (SYNTHETIC bake --print documents in the two shapes buildx prints)', () => {
	test('buildx >= 0.20 object entries become the CSV flags build takes', () => {
		expect(bakeEntryCsv({type: 'registry', ref: 'reg/app:cache', mode: 'max'})).toBe('type=registry,ref=reg/app:cache,mode=max');
		expect(bakeEntryCsv('type=local,dest=out')).toBe('type=local,dest=out');
	});

	test('one child per target x platform with the target\'s settings; pushes and file outputs stay whole', () => {
		const print: BakePrint = {
			target: {
				backend: {context: 'backend', dockerfile: 'Dockerfile', args: {TORCH_VARIANT: 'cpu'}, tags: ['app:cpu'], platforms: ['linux/amd64', 'linux/arm64'], 'cache-from': [{type: 'registry', ref: 'app:cache'}]},
				pushed: {context: '.', platforms: ['linux/amd64', 'linux/arm64'], output: [{type: 'registry'}]},
				remote: {context: 'https://github.com/docker/buildx.git#master', dockerfile: 'Dockerfile'},
			},
		};
		const children = planBake(print, {split: 'always', cwd: '/work'}).children;
		expect(children.map(c => c.spec.buildId)).toEqual(['backend@linux-amd64', 'backend@linux-arm64', 'pushed', 'remote']);
		expect(children[0]!.dockerArgs).toEqual([
			'buildx', 'build', '--progress=rawjson', '--platform', 'linux/amd64',
			'-f', 'backend/Dockerfile', '--build-arg', 'TORCH_VARIANT=cpu', '-t', 'app:cpu', '--cache-from', 'type=registry,ref=app:cache', 'backend',
		]);
		expect(children[2]!.dockerArgs).toContain('type=registry');
		expect(children[3]!.dockerArgs.slice(-3)).toEqual(['-f', 'Dockerfile', 'https://github.com/docker/buildx.git#master']);
	});

	test('a dockerfile given as a file path is used from the context, absolute paths as they are', () => {
		expect(targetArgs({context: 'app', dockerfile: '/tmp/x.Dockerfile'}, '/work')).toEqual(['-f', '/tmp/x.Dockerfile', 'app']);
	});
});
