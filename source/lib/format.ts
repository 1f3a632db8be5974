// Human formatting shared by the board, plain reporter and reports. Sizes use decimal units, as docker and pip do.

const units = ['B', 'kB', 'MB', 'GB', 'TB'];

/** 120001684 -> "120.0 MB"; 24580 -> "24.6 kB". */
export function formatBytes(bytes: number | undefined, digits = 1): string {
	if (bytes === undefined || !Number.isFinite(bytes)) return '?';
	let value = Math.abs(bytes);
	let unit = 0;
	// round before choosing the unit: 999,960 B is "1.0 MB", not "1000.0 kB"
	while (unit < units.length - 1 && (unit === 0 ? Math.round(value) : Number(value.toFixed(digits))) >= 1000) {
		value /= 1000;
		unit++;
	}
	const sign = bytes < 0 ? '-' : '';
	return unit === 0 ? `${sign}${Math.round(value)} B` : `${sign}${value.toFixed(digits)} ${units[unit]}`;
}

export function formatRate(bytesPerSecond: number | undefined): string {
	return bytesPerSecond === undefined ? '?' : `${formatBytes(bytesPerSecond)}/s`;
}

/**
 * How old a figure refreshed on a schedule is (du's): "just now", then whole seconds in steps of 5, minutes, hours.
 * Its text changes every 5 s, not on every frame: each change redraws the row it is in.
 */
export function formatAge(ms: number): string {
	if (!Number.isFinite(ms)) return '?';
	const seconds = Math.floor(Math.max(0, ms) / 1000);
	if (seconds < 5) return 'just now';
	if (seconds < 60) return `${seconds - (seconds % 5)}s ago`;
	const minutes = Math.floor(seconds / 60);
	if (minutes < 60) return `${minutes}m ago`;
	return `${Math.floor(minutes / 60)}h${pad(minutes % 60)}m ago`;
}

/** 41234 -> "41.2s"; 432000 -> "7m12s"; 3723000 -> "1h02m03s". */
export function formatDuration(ms: number | undefined): string {
	if (ms === undefined || !Number.isFinite(ms)) return '?';
	const negative = ms < 0;
	const abs = Math.abs(ms);
	let text: string;
	if (abs < 59_950) text = `${(abs / 1000).toFixed(1)}s`; // from 59,950 ms on, "60.0s" would show: use minutes
	else {
		const total = Math.round(abs / 1000);
		const h = Math.floor(total / 3600);
		const m = Math.floor((total % 3600) / 60);
		const s = total % 60;
		text = h > 0 ? `${h}h${pad(m)}m${pad(s)}s` : `${m}m${pad(s)}s`;
	}
	return negative ? `-${text}` : text;
}

/** Clock style for ETAs and replay positions: 0:07, 12:34, 1:02:03. */
export function formatClock(ms: number): string {
	const total = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

function pad(n: number): string {
	return n < 10 ? `0${n}` : String(n);
}

/** Cuts text to width with an ellipsis. */
export function truncate(text: string, width: number): string {
	if (width <= 0) return '';
	if (text.length <= width) return text;
	return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}
