// Reads what BuildKit puts in a vertex name: `[linux/arm64 builder 3/6] RUN ...`, `[builder 3/6] RUN ...`,
// `[3/6] RUN ...` (unnamed stage), `[linux/amd64 internal] load metadata ...`, `[internal] load build context`,
// `[auth] ...`, `exporting to image`. Only multi-platform builds carry the platform in the name.

export type StepKind = 'step' | 'internal' | 'export' | 'other';

export type StepName = {
	kind: StepKind;
	platform?: string;
	stage?: string;
	index?: number;
	count?: number;
	/** The instruction without the bracket prefix, e.g. `RUN pip install ...`. */
	text: string;
};

/** A Dockerfile `FROM` step: BuildKit resolves it on every run, so no cache ever serves it. */
export function isBaseImageStep(step: Pick<StepName, 'kind' | 'text'>): boolean {
	return step.kind === 'step' && /^FROM\s/i.test(step.text.trim());
}

const bracket = /^\[([^\]]*)\]\s*(.*)$/s;
const platformToken = /^[a-z][a-z0-9]*\/[a-z0-9_]+(\/[a-z0-9]+)?$/; // os/arch[/variant]; never "2/3"
const stepCounter = /^(\d+)\/(\d+)$/;

export function parseStepName(name: string): StepName {
	const match = bracket.exec(name);
	if (!match) {
		const kind: StepKind = /^(exporting|writing image|naming to|pushing|sending tarball|copying to|importing cache|preparing)/i.test(name)
			? 'export'
			: 'other';
		return {kind, text: name};
	}
	const words = match[1]!.trim().split(/\s+/);
	const text = match[2]!;
	let platform: string | undefined;
	if (words.length > 0 && platformToken.test(words[0]!)) platform = words.shift();
	const counter = words.length > 0 ? stepCounter.exec(words[words.length - 1]!) : null;
	if (counter) {
		words.pop();
		const parsed: StepName = {kind: 'step', text, index: Number(counter[1]), count: Number(counter[2])};
		if (platform) parsed.platform = platform;
		if (words.length > 0) parsed.stage = words.join(' ');
		return parsed;
	}
	const parsed: StepName = {kind: 'internal', text: name};
	if (platform) parsed.platform = platform;
	return parsed;
}

/** `linux/arm64` -> `arm64`, `linux/arm/v7` -> `arm/v7`: the short label used on narrow terminals. */
export function shortPlatform(platform: string): string {
	return platform.startsWith('linux/') ? platform.slice(6) : platform;
}
