// Sizes as docker prints them. `buildx du`, `buildx prune` and docker's NetIO/BlockIO use decimal units with four
// significant digits (go-units HumanSize: "24.58kB", "3.221GB"); `docker stats` memory uses binary units
// (BytesSize: "200.1MiB / 23.54GiB"). Parsing gives bytes; formatting reproduces docker's strings exactly, which is
// how the tests check that bxtop's numbers equal docker's.

const decimal: Record<string, number> = {b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, pb: 1e15, eb: 1e18};
const binary: Record<string, number> = {kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40, pib: 2 ** 50, eib: 2 ** 60};

const sizePattern = /^([0-9]*\.?[0-9]+(?:e[+-]?[0-9]+)?)\s*([a-z]*)\*?$/i;

/** "52.43MB" -> 52430000, "200.1MiB" -> 209820058, "0B" -> 0, "1.847MB*" (shared mark) -> 1847000. */
export function parseSize(text: string): number | undefined {
	const match = sizePattern.exec(text.trim());
	if (!match) return undefined;
	const value = Number(match[1]);
	const unit = match[2]!.toLowerCase();
	const factor = unit === '' ? 1 : (decimal[unit] ?? binary[unit]);
	if (factor === undefined || !Number.isFinite(value)) return undefined;
	return Math.round(value * factor);
}

/** "0B / 0B" or "200.1MiB / 23.54GiB" -> [left, right] in bytes. */
export function parseSizePair(text: string): [number, number] | undefined {
	const parts = text.split('/');
	if (parts.length !== 2) return undefined;
	const left = parseSize(parts[0]!);
	const right = parseSize(parts[1]!);
	return left === undefined || right === undefined ? undefined : [left, right];
}

const decimalAbbrs = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
const binaryAbbrs = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'];

function custom(bytes: number, base: number, abbrs: string[], precision: number): string {
	let size = bytes;
	let unit = 0;
	while (size >= base && unit < abbrs.length - 1) {
		size /= base;
		unit++;
	}
	return `${goG(size, precision)}${abbrs[unit]}`;
}

/** Go's %.<precision>g for the magnitudes docker prints (below 1000): significant digits, no trailing zeros. */
function goG(value: number, precision: number): string {
	return String(Number(value.toPrecision(precision)));
}

/** go-units HumanSize: what `buildx du` and `buildx prune` print. */
export function dockerHumanSize(bytes: number): string {
	return custom(bytes, 1000, decimalAbbrs, 4);
}

/** go-units HumanSizeWithPrecision(x, 3): docker stats NetIO and BlockIO. */
export function dockerHumanSize3(bytes: number): string {
	return custom(bytes, 1000, decimalAbbrs, 3);
}

/** go-units BytesSize: docker stats MemUsage. */
export function dockerBytesSize(bytes: number): string {
	return custom(bytes, 1024, binaryAbbrs, 4);
}
