// Local absolute paths do not belong in what users share (a recording, a --json summary, a report): they name the
// user, the machine's layout and throwaway temp directories. Paths under the session's working directory become
// relative to it, the system temp directory becomes `<tmp>`, the home directory `~`. Only bxtop's own side is
// rewritten (its argv, its messages, the buildx client's lines): a build's logs name the container's paths, and
// `/tmp` or `/root` there are not this machine's.

export type LocalRoots = {cwd: string; home?: string; tmp?: string};

export const tmpLabel = '<tmp>';

type Root = {prefix: string; label: string};

/** Rewrites local absolute paths inside any text (an argv element, a message, `--metadata-file=/tmp/...`). */
export type PathSharer = (text: string) => string;

export function createPathSharer(roots: LocalRoots): PathSharer {
	const list: Root[] = [];
	const add = (dir: string | undefined, label: string) => {
		const prefix = dir?.replace(/\/+$/, '');
		if (prefix && prefix.startsWith('/') && prefix !== '') list.push({prefix, label});
	};
	add(roots.cwd, '.');
	add(roots.tmp, tmpLabel);
	add(roots.home, '~');
	// the most specific root first: a working directory inside the home directory is `.`, not `~/...`
	list.sort((a, b) => b.prefix.length - a.prefix.length);
	if (list.length === 0) return text => text;
	const pattern = new RegExp(`(?<![\\w.~/-])(${list.map(r => escapeRegExp(r.prefix)).join('|')})(?:(/)(?=[^/\\s])|(?=$|[^\\w.-]))`, 'g');
	const labelOf = new Map<string, string>();
	for (const root of list) if (!labelOf.has(root.prefix)) labelOf.set(root.prefix, root.label);
	return text => {
		if (!list.some(r => text.includes(r.prefix))) return text;
		return text.replace(pattern, (_m, prefix: string, slash: string | undefined) => {
			const label = labelOf.get(prefix)!;
			// the working directory itself is `.`; a path below it is `sub/file`, not `./sub/file`
			if (label === '.') return slash ? '' : '.';
			return label + (slash ?? '');
		});
	};
}

/** One path as it may be shared: `recordings/x.bxrec`, `~/ci/x.bxrec`, `<tmp>/bxtop-e2e-1/x.bxrec`. */
export function sharePath(file: string, roots: LocalRoots): string {
	return createPathSharer(roots)(file);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
