// `npm run make:demo [-- --out DIR]`: makes the bundled recordings (what `npm start` replays when no Docker is
// reachable) by running the real bxtop CLI on a real two-platform build against the real daemon. It writes
// recordings/ by default; --out DIR writes them elsewhere (to look at a new pair before replacing the bundled one).
// It needs the base images of .ci/setup-docker.sh and .ci/make-python-image.sh (arm64 through qemu binfmt).
// The build: for each target platform, real pip (on the build platform) downloads that platform's torch wheel from
// a throttled PEP 503 index on 127.0.0.1, then the platform's runtime stage (arm64 emulated) checks and "compiles".
// Sessions: cold (--no-cache), then warm. See recordings/README.md.
import {mkdirSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {parseArgs} from 'node:util';
import {makeWheel, startThrottledIndex} from '../test/e2e/downloads-index.js';
import {hasImage, makeContext, runCli} from '../test/helpers/e2e.js';

const dockerfile = `# Wheels are downloaded on the build platform for each target platform (pip download --platform), the usual
# way to avoid running pip under emulation; each target architecture's runtime stage then checks and uses them.
FROM --platform=$BUILDPLATFORM bxtop/python:amd64 AS wheels
ARG TARGETARCH
ARG INDEX_URL
ARG TORCH_VARIANT=cpu
RUN case "$TARGETARCH" in amd64) tag=linux_x86_64 ;; arm64) tag=linux_aarch64 ;; esac \\
 && python3 -m pip download --no-deps --no-cache-dir --only-binary=:all: --platform "$tag" --python-version 3.11 \\
      --implementation cp --abi cp311 --dest /wheels --index-url "$INDEX_URL" "torch==2.5.1+\${TORCH_VARIANT}" \\
 && python3 -m pip download --no-deps --no-cache-dir --only-binary=:all: --platform "$tag" --python-version 3.11 \\
      --implementation cp --abi cp311 --dest /wheels --index-url "$INDEX_URL" "numpy==2.1.3"

FROM scratch AS runtime
ARG TARGETARCH
ADD rootfs-\${TARGETARCH}.tar /
COPY --from=wheels /wheels /opt/wheels
RUN for f in /opt/wheels/*.whl; do sha256sum "$f"; done
RUN i=1; while [ $i -le 6 ]; do echo "compiling extension $i/6"; dd if=/dev/zero bs=1M count=60 2>/dev/null | sha256sum; i=$((i+1)); done
COPY app/ /app/
RUN ls -l /app && echo ready
`;

const {values} = parseArgs({options: {out: {type: 'string'}}});
const recordingsDir = values.out ? path.resolve(values.out) : fileURLToPath(new URL('../recordings/', import.meta.url));

for (const image of ['bxtop/python:amd64', 'bxtop/base:arm64']) {
	if (!hasImage(image)) {
		console.error(`make:demo needs the image ${image} (.ci/setup-docker.sh, .ci/make-python-image.sh)`);
		process.exit(2);
	}
}

const wheels = [
	{project: 'torch', wheel: makeWheel({name: 'torch', version: '2.5.1+cpu', tag: 'cp311-cp311-linux_x86_64', sizeBytes: 96_000_000})},
	{project: 'torch', wheel: makeWheel({name: 'torch', version: '2.5.1+cpu', tag: 'cp311-cp311-linux_aarch64', sizeBytes: 88_000_000})},
	{project: 'numpy', wheel: makeWheel({name: 'numpy', version: '2.1.3', tag: 'cp311-cp311-linux_x86_64', sizeBytes: 16_000_000})},
	{project: 'numpy', wheel: makeWheel({name: 'numpy', version: '2.1.3', tag: 'cp311-cp311-linux_aarch64', sizeBytes: 14_000_000})},
];
const index = await startThrottledIndex(wheels, 12_000_000);
const context = makeContext([]);
try {
	writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
	mkdirSync(path.join(context, 'app'));
	writeFileSync(path.join(context, 'app', 'server.py'), 'print("transcription backend")\n');
	mkdirSync(recordingsDir, {recursive: true});
	// bxtop runs beside the recordings folder, so what it records of the paths is `recordings/...` (and <tmp> for the
	// context), as a user's session in their project would be
	const sessionDir = path.dirname(recordingsDir);
	const args = (name: string, extra: string[]) => [
		'build', '--plain', '--platform', 'linux/amd64,linux/arm64', '--network=host',
		'--build-arg', `INDEX_URL=${index.url}`, '--build-arg', 'TORCH_VARIANT=cpu', '-t', 'backend:cpu',
		'--record', path.relative(sessionDir, path.join(recordingsDir, name)), ...extra, context,
	];
	for (const [name, extra] of [['demo-backend-cpu-1-cold.bxrec', ['--no-cache']], ['demo-backend-cpu-2-warm.bxrec', []]] as const) {
		const run = await runCli(args(name, [...extra]), {cwd: sessionDir});
		process.stdout.write(run.stdout);
		process.stderr.write(run.stderr);
		if (run.code !== 0) {
			console.error(`make:demo: bxtop build for ${name} exited with ${run.code}`);
			process.exitCode = 1;
			break;
		}
		console.log(`make:demo: wrote ${path.join(recordingsDir, name)}`);
	}
} finally {
	rmSync(context, {recursive: true, force: true});
	await index.close();
}
