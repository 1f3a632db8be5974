// A loaded image's inspection through the Engine API against a SYNTHETIC daemon (the answers each path gets are
// written here): what settles it (an image, a refusal in the daemon's words) and what goes back to `docker image
// inspect` (no answer, 5xx, a daemon too old for the platform query). The real daemons are in
// test/e2e/image-measure.test.ts.
import {describe, expect, it} from 'vitest';
import {createEngineImages} from '../../source/sources/engine-image.js';
import {createEngineClient} from '../../source/sources/engine-api.js';
import {daemon, version} from './resources/synthetic-daemon.js';

const image = {Id: 'sha256:abc', Architecture: 'arm64', Os: 'linux', Size: 4_200_000, RootFS: {Type: 'layers', Layers: ['sha256:1']}};

describe('image inspect through the Engine API (SYNTHETIC daemon)', () => {
	it('asks /version once, then each platform with its query; the answer is the image object', async () => {
		const {client, asked} = await daemon({'/version': [version('1.51', '1.24')], '/images/app:1/json': [{status: 200, body: JSON.stringify(image)}]});
		const images = createEngineImages(client, 5000);
		expect(await images.inspect('app:1', 'linux/arm64')).toEqual({image});
		expect(await images.inspect('app:1', undefined)).toEqual({image});
		const platform = encodeURIComponent(JSON.stringify({os: 'linux', architecture: 'arm64'}));
		expect(asked).toEqual(['/version', `/v1.51/images/app:1/json?platform=${platform}`, '/v1.51/images/app:1/json']);
	});

	it('a 404 is the daemon\'s refusal, in its words; a 5xx or a daemon too old for the platform query goes back to docker', async () => {
		const missing = await daemon({'/version': [version('1.51', '1.24')], '/images/gone:1/json': [{status: 404, body: '{"message":"No such image: gone:1"}'}]});
		expect(await createEngineImages(missing.client, 5000).inspect('gone:1', undefined)).toEqual({refused: 'No such image: gone:1'});
		const broken = await daemon({'/version': [version('1.51', '1.24')], '/images/app:1/json': [{status: 500, body: '{"message":"boom"}'}]});
		expect(await createEngineImages(broken.client, 5000).inspect('app:1', undefined)).toEqual({fallback: true});
		const old = await daemon({'/version': [version('1.48', '1.24')]});
		expect(await createEngineImages(old.client, 5000).inspect('app:1', 'linux/arm64')).toEqual({fallback: true});
		expect(old.asked).toEqual(['/version']); // the platform was not asked of a daemon that would ignore it
	});

	it('no daemon, or no /version answer: back to docker, and /version is asked again next time', async () => {
		const nobody = createEngineClient({host: 'unix:///nonexistent/bxtop/docker.sock', origin: 'test'});
		if (!('get' in nobody)) throw new Error(nobody.unsupported);
		expect(await createEngineImages(nobody, 5000).inspect('app:1', undefined)).toEqual({fallback: true});
		const flaky = await daemon({'/version': [{status: 503, body: ''}, version('1.51', '1.24')], '/images/app:1/json': [{status: 200, body: JSON.stringify(image)}]});
		const images = createEngineImages(flaky.client, 5000);
		expect(await images.inspect('app:1', undefined)).toEqual({fallback: true});
		expect(await images.inspect('app:1', undefined)).toEqual({image});
		expect(flaky.asked).toEqual(['/version', '/version', '/v1.51/images/app:1/json']);
	});

	it('no answer in the time allowed is a failure, not a docker process waiting as long again; an empty 404 says its status', async () => {
		const hung = await daemon({'/version': [version('1.51', '1.24')], '/images/app:1/json': ['hang']});
		const answer = await createEngineImages(hung.client, 300).inspect('app:1', undefined);
		expect(answer).toEqual({refused: expect.stringMatching(/no answer .* in 300 ms/)});
		const bare = await daemon({'/version': [version('1.51', '1.24')], '/images/app:1/json': [{status: 404, body: ''}]});
		expect(await createEngineImages(bare.client, 5000).inspect('app:1', undefined)).toEqual({refused: 'HTTP 404'});
	});
});
