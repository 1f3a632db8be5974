// Golden reports. Inputs: recordings assembled from the REAL captures (real-sessions.ts), and any real bxtop
// recording in ./recordings that has a golden file. Compared line by line; to regenerate deliberately after a
// reviewed change: UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts (then read the diff before committing).
import {existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs';
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
const isUpdating = process.env.UPDATE_GOLDEN === '1';

const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-golden-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
mkdirSync(path.join(dir, 'recordings'));
for (const [name, session] of Object.entries(sessions)) writeRecording(path.join(dir, 'recordings', `${name}.bxrec`), realSession(session));

function compareGolden(name: string, actual: string): void {
	const file = path.join(goldenDir, name);
	if (isUpdating) {
		mkdirSync(path.dirname(file), {recursive: true});
		writeFileSync(file, actual);
		return;
	}
	if (!existsSync(file)) throw new Error(`golden file ${name} missing: run with UPDATE_GOLDEN=1 to create it, then review it`);
	const expected = readFileSync(file, 'utf8').split('\n');
	const lines = actual.split('\n');
	for (let i = 0; i < Math.max(expected.length, lines.length); i++) {
		expect(lines[i], `${name} line ${i + 1}`).toBe(expected[i]);
	}
}

const options = {cwd: dir, generatedBy: 'bxtop (golden)'};

describe('golden reports from real captures', () => {
	test('cold multi-platform OCI build with prune, du before/after, stats, downloads (Markdown)', async () => {
		compareGolden('cold.md', renderMarkdown(await buildReport(['recordings/cold.bxrec'], options)));
	});

	test('the same as JSON', async () => {
		compareGolden('cold.json', renderJson(await buildReport(['recordings/cold.bxrec'], options)));
	});

	test('failed multi-platform build (Markdown)', async () => {
		compareGolden('failed.md', renderMarkdown(await buildReport(['recordings/failed.bxrec'], options)));
	});

	test('split per-platform builds: one build per platform, image sizes from the archives (Markdown)', async () => {
		compareGolden('split.md', renderMarkdown(await buildReport(['recordings/split.bxrec'], options)));
	});

	test('two-node builder pushing a multi-platform image: nodes, two exports, the manifest list merge (Markdown)', async () => {
		compareGolden('multinode.md', renderMarkdown(await buildReport(['recordings/multinode.bxrec'], options)));
	});

	test('five sessions: detail for the latest runs, every run in the trends (Markdown)', async () => {
		const files = ['cold', 'warm', 'push', 'split', 'failed'].map(n => `recordings/${n}.bxrec`);
		compareGolden('history.md', renderMarkdown(await buildReport(files, options)));
	});
});

// Real bxtop recordings kept in the repository: each needs a reviewed golden file (created with UPDATE_GOLDEN=1).
const kept = existsSync(repoRecordings) ? readdirSync(repoRecordings).filter(isRecordingName).sort() : [];
describe('golden reports from real bxtop recordings in ./recordings', () => {
	if (kept.length === 0) test.skip('no recordings in ./recordings yet', () => {});
	for (const name of kept) {
		const golden = `recordings/${name.replace(/\.bxrec(\.gz)?$/, '')}.md`;
		const hasGolden = existsSync(path.join(goldenDir, golden));
		(hasGolden || isUpdating ? test : test.skip)(`${name}${hasGolden || isUpdating ? '' : ' (no golden file yet: UPDATE_GOLDEN=1 creates one)'}`, async () => {
			const report = await buildReport([path.join('recordings', name)], {cwd: path.join(repoRecordings, '..'), generatedBy: 'bxtop (golden)'});
			compareGolden(golden, renderMarkdown(report));
		});
	}
});
