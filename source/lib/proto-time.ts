// protobuf's google.protobuf.Timestamp ({seconds, nanos}, as BuildKit's records and status logs carry it) in the
// text form buildx prints.

type Json = Record<string, unknown>;

/** A protobuf Timestamp as Go prints a UTC time.Time: RFC 3339 with the fraction's trailing zeros dropped. */
export function rfc3339(value: unknown): string | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const seconds = Number((value as Json)['seconds'] ?? 0);
	const nanos = Number((value as Json)['nanos'] ?? 0);
	if (!Number.isFinite(seconds) || !Number.isFinite(nanos)) return undefined;
	const whole = new Date(seconds * 1000).toISOString().slice(0, 19);
	const fraction = nanos > 0 ? `.${String(nanos).padStart(9, '0').replace(/0+$/, '')}` : '';
	return `${whole}${fraction}Z`;
}

/**
 * Epoch ms of an RFC 3339 time as BuildKit and buildx print it (`2026-11-29T10:41:58.460997895Z`; the fraction is
 * cut to ms as Date.parse does), or undefined for anything else, and for Go's zero time and the epoch itself: a
 * time BuildKit left unset (a stored status log fills its missing times with `0001-01-01T00:00:00Z`). The one parse
 * of the times in BuildKit's statuses: the normaliser calls it at the edge, and every later stage reads numbers.
 */
export function rfc3339Ms(value: unknown): number | undefined {
	if (typeof value !== 'string' || value === '') return undefined;
	const ms = Date.parse(value);
	return Number.isNaN(ms) || ms <= 0 ? undefined : ms;
}
