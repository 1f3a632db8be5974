// Events about the image a build produced (issue 6: image size per platform in the report). The build source emits
// one per platform after a build, from whatever it can inspect (lib/image-size.ts computes the numbers); the images
// slice (state/slices/images.ts) keeps them for the app's state and the report alike. Plain JSON, recorded.

/**
 * Where the size came from:
 * - `imagetools-inspect`: `docker buildx imagetools inspect --raw` of a pushed image: the manifest's layer sizes.
 * - `image-inspect`: `docker image inspect` of a loaded image: `Size`, the unpacked size (not compressed).
 * - `oci-tar`: the `type=oci` / `type=docker` tarball: its manifest's layer blobs, or every blob of a
 *   single-platform archive minus manifest and config when the manifest was not read.
 * - `oci-layout`: an OCI layout directory (`type=oci,tar=false`).
 */
export type ImageSizeSource = 'imagetools-inspect' | 'image-inspect' | 'oci-tar' | 'oci-layout';

export type ImageMeasuredEvent = {
	type: 'image/measured';
	at: number;
	buildId: string;
	/** `linux/arm64`. */
	platform: string;
	/**
	 * Compressed: the sum of the layer blobs as stored in a registry or archive (config and manifest not counted),
	 * what a pull transfers. Uncompressed (`isCompressed: false`): the unpacked size `docker image inspect` reports.
	 */
	sizeBytes: number;
	isCompressed: boolean;
	layerCount?: number;
	/** Digest of the platform's image manifest (or image id for a loaded image). */
	digest?: string;
	/** The reference that was inspected (`registry/repo:tag@sha256:...`, an archive path). */
	reference?: string;
	source: ImageSizeSource;
};

export type ImageNotMeasuredEvent = {
	type: 'image/not-measured';
	at: number;
	buildId: string;
	/** Absent when nothing could be measured for the whole build. */
	platform?: string;
	/** Short and specific: "output type=cacheonly: no image was produced", "imagetools inspect failed: ...". */
	reason: string;
};

export type ImageEvent = ImageMeasuredEvent | ImageNotMeasuredEvent;
