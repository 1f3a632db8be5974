// The images builds produced, per build and platform (`image/*` events): what each weighs, or why it was not
// measured. The app's reducer and the report's fold both keep it with this reducer. Pure.
import type {ImageEvent} from '../../domain/image-events.js';

export type ImageMeasure = {sizeBytes: number; isCompressed: boolean; source: string; layerCount?: number; digest?: string};

export type ImagesState = {
	/** By `buildId|platform`: the measured image, or why it was not measured. */
	byPlatform: Readonly<Record<string, ImageMeasure | {reason: string}>>;
	/** By build id: why nothing of the build could be measured. */
	buildReasons: Readonly<Record<string, string>>;
};

export const initialImagesState: ImagesState = {byPlatform: {}, buildReasons: {}};

export function imageKey(buildId: string, platform: string): string {
	return `${buildId}|${platform}`;
}

export function reduceImages(state: ImagesState, event: ImageEvent): ImagesState {
	switch (event.type) {
		case 'image/measured': {
			const size: ImageMeasure = {sizeBytes: event.sizeBytes, isCompressed: event.isCompressed, source: event.source};
			if (event.layerCount !== undefined) size.layerCount = event.layerCount;
			if (event.digest) size.digest = event.digest;
			return {...state, byPlatform: {...state.byPlatform, [imageKey(event.buildId, event.platform)]: size}};
		}
		case 'image/not-measured':
			if (event.platform) return {...state, byPlatform: {...state.byPlatform, [imageKey(event.buildId, event.platform)]: {reason: event.reason}}};
			return {...state, buildReasons: {...state.buildReasons, [event.buildId]: event.reason}};
		default:
			return state;
	}
}
