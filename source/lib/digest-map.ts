// A map keyed by vertex digest, for the ingest hot path. Every status carries its digests as fresh strings from
// JSON.parse, and a Map (or a plain object) hashes each fresh string in full before it can look it up: about 125 ns
// for a 71-character `sha256:...` in V8, several times more than the lookup itself. Here the key is a 32-bit mix of
// the digest's last characters (random hex in a real digest) and each entry keeps its digest, which is compared on
// a hit; digests that share a key are chained, so the map is exact whatever they look like.

type Entry<V> = {digest: string; value: V; next: Entry<V> | undefined};

/** How many trailing characters the key mixes: 12 hex digits of a sha256 are 48 random bits. */
const keyChars = 12;

export function digestKey(digest: string): number {
	let hash = digest.length;
	for (let i = Math.max(0, digest.length - keyChars); i < digest.length; i++) hash = (Math.imul(hash, 31) + digest.charCodeAt(i)) | 0;
	return hash;
}

export class DigestMap<V> {
	private entries = new Map<number, Entry<V>>();
	private count = 0;

	get size(): number {
		return this.count;
	}

	get(digest: string): V | undefined {
		for (let entry = this.entries.get(digestKey(digest)); entry !== undefined; entry = entry.next) {
			if (entry.digest === digest) return entry.value;
		}
		return undefined;
	}

	set(digest: string, value: V): void {
		const key = digestKey(digest);
		const first = this.entries.get(key);
		for (let entry = first; entry !== undefined; entry = entry.next) {
			if (entry.digest === digest) {
				entry.value = value;
				return;
			}
		}
		this.entries.set(key, {digest, value, next: first});
		this.count++;
	}

	/** A copy that later sets on either map do not reach (entries are copied, not shared). */
	copy(): DigestMap<V> {
		const copy = new DigestMap<V>();
		for (const [key, first] of this.entries) {
			let chain: Entry<V> | undefined;
			for (let entry: Entry<V> | undefined = first; entry !== undefined; entry = entry.next) chain = {digest: entry.digest, value: entry.value, next: chain};
			copy.entries.set(key, chain!);
		}
		copy.count = this.count;
		return copy;
	}

	clear(): void {
		this.entries.clear();
		this.count = 0;
	}
}
