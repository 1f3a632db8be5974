// A one-line sparkline of the last samples (the rings in the resources slice hold 60 s at 1 Hz).
import React from 'react';
import {Text} from 'ink';

const bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * The last `width` values as bars scaled to `max` (default: the largest value shown). Missing history pads with
 * spaces on the left, so the newest sample is always at the right edge.
 */
export function sparklineText(values: readonly number[], width: number, max?: number): string {
	if (width <= 0) return '';
	const shown = values.slice(-width);
	const top = max ?? Math.max(0, ...shown);
	const line = shown
		.map(v => {
			if (!(top > 0) || !Number.isFinite(v) || v <= 0) return bars[0]!;
			const index = Math.min(bars.length - 1, Math.max(0, Math.ceil((v / top) * bars.length) - 1));
			return bars[index]!;
		})
		.join('');
	return ' '.repeat(width - shown.length) + line;
}

export function Sparkline({values, width, max, color}: {values: readonly number[]; width: number; max?: number; color?: string}) {
	const text = sparklineText(values, width, max);
	return color ? <Text color={color}>{text}</Text> : <Text>{text}</Text>;
}
