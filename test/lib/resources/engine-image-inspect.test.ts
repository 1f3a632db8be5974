import {describe, expect, it} from 'vitest';
import {imageInspectPath} from '../../../source/lib/engine-image-inspect.js';
import {isApiAtLeast, parseApiVersion} from '../../../source/lib/engine-version.js';
import {readReal} from '../../helpers/captures.js';

describe('the Engine API version from /version', () => {
	it('reads ApiVersion; anything else is no version', () => {
		expect(parseApiVersion('{"ApiVersion":"1.51","MinAPIVersion":"1.24"}')).toEqual({major: 1, minor: 51});
		for (const body of ['', 'not json', '{}', '{"ApiVersion":151}', '{"ApiVersion":"1.x"}']) expect(parseApiVersion(body)).toBeUndefined();
		expect(isApiAtLeast({major: 1, minor: 49}, 1, 49)).toBe(true);
		expect(isApiAtLeast({major: 1, minor: 48}, 1, 49)).toBe(false);
		expect(isApiAtLeast({major: 2, minor: 0}, 1, 49)).toBe(true);
	});
});

describe('the image inspect path', () => {
	const v151 = {major: 1, minor: 51};
	it('keeps a reference\'s slashes, colons and @, escapes the rest', () => {
		expect(imageInspectPath(v151, 'localhost:5000/team/app:1.0')).toBe('/v1.51/images/localhost:5000/team/app:1.0/json');
		expect(imageInspectPath(v151, 'app@sha256:0123')).toBe('/v1.51/images/app@sha256:0123/json');
		expect(imageInspectPath(v151, 'a b?c#d')).toBe('/v1.51/images/a%20b%3Fc%23d/json');
	});

	it('asks for a platform as a JSON-encoded OCI platform, from API 1.49 only (an older daemon would ignore it)', () => {
		const path = imageInspectPath(v151, 'app:1', 'linux/arm64/v8')!;
		expect(path.startsWith('/v1.51/images/app:1/json?platform=')).toBe(true);
		expect(JSON.parse(decodeURIComponent(path.split('platform=')[1]!))).toEqual({os: 'linux', architecture: 'arm64', variant: 'v8'});
		expect(imageInspectPath({major: 1, minor: 48}, 'app:1', 'linux/arm64')).toBeUndefined();
		expect(imageInspectPath({major: 1, minor: 41}, 'app:1')).toBe('/v1.41/images/app:1/json');
		expect(imageInspectPath(v151, 'app:1', 'linux')).toBeUndefined();
	});

	it('from the real daemons\' /version answers: dockerd 28 gets the platform query, dockerd 20.10 does not', () => {
		const v28 = parseApiVersion(readReal('local-dockerd28-engine-version.json'))!;
		const v20 = parseApiVersion(readReal('local-dockerd20-engine-version.json'))!;
		expect([v28, v20]).toEqual([{major: 1, minor: 51}, {major: 1, minor: 41}]);
		expect(imageInspectPath(v28, 'app:1', 'linux/amd64')).toContain('/v1.51/images/app:1/json?platform=');
		expect(imageInspectPath(v20, 'app:1', 'linux/amd64')).toBeUndefined();
	});
});
