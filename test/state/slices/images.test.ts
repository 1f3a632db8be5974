// The images slice: what each build's platforms weigh, or why they were not measured, in the app's state as in the
// report (synthetic events, named so; the real ones come from test/e2e/image-measure.test.ts).
import {expect, test} from 'vitest';
import type {DomainEvent} from '../../../source/domain/events.js';
import {initialDomainState, reduceAll} from '../../../source/state/reducer.js';

test('measured per platform, not measured per platform or for the whole build', () => {
	const events: DomainEvent[] = [
		{type: 'image/measured', at: 1, buildId: 'b1', platform: 'linux/amd64', sizeBytes: 52_430_000, isCompressed: true, layerCount: 3, digest: 'sha256:a', source: 'oci-layout'},
		{type: 'image/not-measured', at: 2, buildId: 'b1', platform: 'linux/arm64', reason: 'imagetools inspect failed: x'},
		{type: 'image/not-measured', at: 3, buildId: 'b2', reason: 'output type=cacheonly: no image was produced'},
	];
	const {images} = reduceAll(initialDomainState, events);
	expect(images.byPlatform).toEqual({
		'b1|linux/amd64': {sizeBytes: 52_430_000, isCompressed: true, layerCount: 3, digest: 'sha256:a', source: 'oci-layout'},
		'b1|linux/arm64': {reason: 'imagetools inspect failed: x'},
	});
	expect(images.buildReasons).toEqual({b2: 'output type=cacheonly: no image was produced'});
});
