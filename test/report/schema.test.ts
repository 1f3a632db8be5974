// The JSON report validates against schema/report.schema.json (shipped in the package's `files`), for every
// session assembled from the real captures, alone and together.
import {mkdtempSync, mkdirSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {Ajv} from 'ajv';
import {afterAll, describe, expect, test} from 'vitest';
import {buildReport} from '../../source/report/run-report.js';
import {renderJson} from '../../source/report/json.js';
import {realSession, sessions, writeRecording} from './real-sessions.js';

const schemaFile = fileURLToPath(new URL('../../schema/report.schema.json', import.meta.url));
const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
const validate = new Ajv({allErrors: true, strict: true}).compile(schema);

const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-schema-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));
mkdirSync(path.join(dir, 'recordings'));
const names = Object.keys(sessions) as (keyof typeof sessions)[];
for (const name of names) writeRecording(path.join(dir, 'recordings', `${name}.bxrec`), realSession(sessions[name]));
writeRecording(path.join(dir, 'recordings', 'nodl.bxrec'), realSession({...sessions.cold, isWithoutDownloads: true}));

async function jsonOf(files: string[]): Promise<unknown> {
	return JSON.parse(renderJson(await buildReport(files, {cwd: dir, generatedBy: 'bxtop (test)'})));
}

describe('report JSON against the shipped schema', () => {
	test.each([...names, 'nodl'])('%s session', async name => {
		const json = await jsonOf([`recordings/${name}.bxrec`]);
		const ok = validate(json);
		expect(validate.errors ?? []).toEqual([]);
		expect(ok).toBe(true);
	});

	test('a .dockerbuild: the build carries BuildKit\'s record (buildkitRecord) as the schema describes it', async () => {
		const json = await jsonOf([fileURLToPath(new URL('../fixtures/real/bx029-16-history-export.dockerbuild', import.meta.url))]);
		expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
		const [build] = (json as {sessions: {builds: {buildkitRecord?: {origin: string; NumTotalSteps: number}}[]}[]}).sessions[0]!.builds;
		expect(build!.buildkitRecord).toMatchObject({origin: 'dockerbuild', NumTotalSteps: 28});
	});

	test('all sessions together, with an unreadable file listed', async () => {
		const json = await jsonOf([...names.map(n => `recordings/${n}.bxrec`), 'recordings/missing.bxrec']);
		expect(validate(json)).toBe(true);
		expect((json as {unreadable: unknown[]}).unreadable).toHaveLength(1);
	});

	test('the schema rejects what it should: a missing field, a blank notMeasured, an unknown phase', async () => {
		const json = (await jsonOf(['recordings/cold.bxrec'])) as {sessions: {builds: {durationMs?: number; perPlatform: {image: unknown; phases: {phase: string}[]}[]}[]}[]};
		const build = json.sessions[0]!.builds[0]!;
		const broken = structuredClone(json);
		delete broken.sessions[0]!.builds[0]!.durationMs;
		expect(validate(broken)).toBe(false);
		const blank = structuredClone(json);
		blank.sessions[0]!.builds[0]!.perPlatform[0]!.image = {notMeasured: ''};
		expect(validate(blank)).toBe(false);
		const phase = structuredClone(json);
		phase.sessions[0]!.builds[0]!.perPlatform[0]!.phases[0]!.phase = 'compile';
		expect(validate(phase)).toBe(false);
		expect(build.perPlatform).toHaveLength(2);
	});

	test('package.json ships the schema directory', () => {
		const pkg = JSON.parse(readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')) as {files: string[]};
		expect(pkg.files).toContain('schema');
	});
});
