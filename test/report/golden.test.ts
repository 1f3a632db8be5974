// Golden reports. Inputs: recordings assembled from the REAL captures (real-sessions.ts), and any real bxtop
// recording in ./recordings. Each is compared byte for byte with its golden file (vitest's toMatchFileSnapshot, which
// prints the diff). To regenerate deliberately after a reviewed change: `npx vitest run -u test/report/golden.test.ts`,
// then read the diff before committing. A missing golden file is written and counted as "written" in vitest's
// summary; under CI=true it fails instead.
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, test} from 'vitest';
import {buildReport} from '../../source/report/run-report.js';
import {renderMarkdown} from '../../source/report/markdown.js';
import {renderJson} from '../../source/report/json.js';
import {isRecordingName} from '../../source/report/recording-files.js';
import {realSession, sessions, writeRecording} from './real-sessions.js';

const goldenDir = fileURLToPath(new URL('./golden/', import.meta.url));
const repoRecordings = fileURLToPath(new URL('../../recordings/', import.meta.url));

const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-golden-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
mkdirSync(path.join(dir, 'recordings'));
for (const [name, session] of Object.entries(sessions)) writeRecording(path.join(dir, 'recordings', `${name}.bxrec`), realSession(session));

async function compareGolden(name: string, actual: string): Promise<void> {
	await expect(actual).toMatchFileSnapshot(path.join(goldenDir, name));
}

const options = {cwd: dir, generatedBy: 'bxtop (golden)'};

describe('golden reports from real captures', () => {
	test('cold multi-platform OCI build with prune, du before/after, stats, downloads (Markdown)', async () => {
		await compareGolden('cold.md', renderMarkdown(await buildReport(['recordings/cold.bxrec'], options)));
	});

	test('the same as JSON', async () => {
		await compareGolden('cold.json', renderJson(await buildReport(['recordings/cold.bxrec'], options)));
	});

	test('failed multi-platform build (Markdown)', async () => {
		await compareGolden('failed.md', renderMarkdown(await buildReport(['recordings/failed.bxrec'], options)));
	});

	test('split per-platform builds: one build per platform, image sizes from the archives (Markdown)', async () => {
		await compareGolden('split.md', renderMarkdown(await buildReport(['recordings/split.bxrec'], options)));
	});

	test('two-node builder pushing a multi-platform image: nodes, two exports, the manifest list merge (Markdown)', async () => {
		await compareGolden('multinode.md', renderMarkdown(await buildReport(['recordings/multinode.bxrec'], options)));
	});

	test('five sessions: detail for the latest runs, every run in the trends (Markdown)', async () => {
		const files = ['cold', 'warm', 'push', 'split', 'failed'].map(n => `recordings/${n}.bxrec`);
		await compareGolden('history.md', renderMarkdown(await buildReport(files, options)));
	});
});

// Real bxtop recordings kept in the repository: each has a reviewed golden file.
const kept = existsSync(repoRecordings) ? readdirSync(repoRecordings).filter(isRecordingName).sort() : [];
describe('golden reports from real bxtop recordings in ./recordings', () => {
	if (kept.length === 0) test.skip('no recordings in ./recordings yet', () => {});
	for (const name of kept) {
		const golden = `recordings/${name.replace(/\.bxrec(\.gz)?$/, '')}.md`;
		test(name, async () => {
			const report = await buildReport([path.join('recordings', name)], {cwd: path.join(repoRecordings, '..'), generatedBy: 'bxtop (golden)'});
			await compareGolden(golden, renderMarkdown(report));
		});
	}
});
