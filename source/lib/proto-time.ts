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
