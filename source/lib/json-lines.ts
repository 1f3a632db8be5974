// The JSON-lines outputs of docker and buildx (`--format json` of `buildx ls`, `buildx du`, `history ls`): one
// object per line, possibly among other text (warnings). Lines that are not objects, or not whole, are skipped.
export function jsonLineObjects(text: string): Record<string, unknown>[] {
	const objects: Record<string, unknown>[] = [];
	for (const line of text.split('\n')) {
		const t = line.trim();
		if (!t.startsWith('{')) continue;
		try {
			const value: unknown = JSON.parse(t);
			if (value && typeof value === 'object' && !Array.isArray(value)) objects.push(value as Record<string, unknown>);
		} catch {
			// a damaged line: skip it, keep the others
		}
	}
	return objects;
}
