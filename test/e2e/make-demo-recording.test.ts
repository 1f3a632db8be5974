// Makes the bundled recordings in recordings/ (what `npm start` replays) by running the real bxtop CLI on a real
// multi-platform build against the real daemon. Not part of `npm test`: run it deliberately with
//   BXTOP_MAKE_DEMO=1 npx vitest run test/e2e/make-demo-recording.test.ts
// It needs the base images of .ci/setup-docker.sh and .ci/make-python-image.sh (arm64 through qemu binfmt).
// The build: for each target platform, real pip (on the build platform) downloads that platform's torch wheel
// from a throttled PEP 503 index on 127.0.0.1, then the platform's runtime stage (arm64 emulated) checks and
// "compiles". Sessions: cold (--no-cache), then warm.
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {makeWheel, startThrottledIndex} from './downloads-index.js';
import {hasImage, makeContext, runCli} from '../helpers/e2e.js';

const enabled = process.env.BXTOP_MAKE_DEMO === '1';
const recordingsDir = fileURLToPath(new URL('../../recordings/', import.meta.url));

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

describe.skipIf(!enabled)('make the bundled demo recordings (BXTOP_MAKE_DEMO=1)', () => {
	test('cold and warm sessions of a real two-platform build', async () => {
		expect(hasImage('bxtop/python:amd64')).toBe(true);
		expect(hasImage('bxtop/base:arm64')).toBe(true);
		const wheels = [
			{project: 'torch', wheel: makeWheel({name: 'torch', version: '2.5.1+cpu', tag: 'cp311-cp311-linux_x86_64', sizeBytes: 96_000_000})},
			{project: 'torch', wheel: makeWheel({name: 'torch', version: '2.5.1+cpu', tag: 'cp311-cp311-linux_aarch64', sizeBytes: 88_000_000})},
			{project: 'numpy', wheel: makeWheel({name: 'numpy', version: '2.1.3', tag: 'cp311-cp311-linux_x86_64', sizeBytes: 16_000_000})},
			{project: 'numpy', wheel: makeWheel({name: 'numpy', version: '2.1.3', tag: 'cp311-cp311-linux_aarch64', sizeBytes: 14_000_000})},
		];
		const index = await startThrottledIndex(wheels, 12_000_000);
		try {
			const context = makeContext([]);
			writeFileSync(path.join(context, 'Dockerfile'), dockerfile);
			mkdirSync(path.join(context, 'app'));
			writeFileSync(path.join(context, 'app', 'server.py'), 'print("transcription backend")\n');
			mkdirSync(recordingsDir, {recursive: true});
			const args = (name: string, extra: string[]) => [
				'build', '--plain', '--platform', 'linux/amd64,linux/arm64', '--network=host',
				'--build-arg', `INDEX_URL=${index.url}`, '--build-arg', 'TORCH_VARIANT=cpu', '-t', 'backend:cpu',
				'--record', path.join(recordingsDir, name), ...extra, context,
			];
			const cold = await runCli(args('demo-backend-cpu-1-cold.bxrec', ['--no-cache']), {cwd: mkdtempSync(path.join(tmpdir(), 'bxtop-demo-'))});
			console.log(cold.stdout, cold.stderr);
			expect(cold.code).toBe(0);
			const warm = await runCli(args('demo-backend-cpu-2-warm.bxrec', []), {cwd: mkdtempSync(path.join(tmpdir(), 'bxtop-demo-'))});
			console.log(warm.stdout, warm.stderr);
			expect(warm.code).toBe(0);
			rmSync(context, {recursive: true, force: true});
		} finally {
			await index.close();
		}
	}, 600_000);
});
