// .ci/debian-apt.sh uri: the Debian archive the CI scripts fetch other suites from is the machine's own (its
// bookworm source), never a host name written in the scripts. Run for real over sample /etc/apt trees.
import {execFileSync, spawnSync} from 'node:child_process';
import {copyFileSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, test} from 'vitest';
import {realDir} from '../helpers/captures.js';

const script = fileURLToPath(new URL('../../.ci/debian-apt.sh', import.meta.url));

/** An /etc/apt tree with the given files (path relative to it -> text). */
function aptEtc(files: Record<string, string>): string {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-apt-'));
	mkdirSync(path.join(dir, 'sources.list.d'));
	for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
	return dir;
}

const uriOf = (etc: string) => spawnSync('bash', [script, 'uri'], {encoding: 'utf8', env: {...process.env, APT_ETC: etc}});

describe('.ci/debian-apt.sh uri', () => {
	test('this machine\'s deb822 debian.sources (real copy): the bookworm stanza\'s URI, not the security one', () => {
		const etc = aptEtc({});
		copyFileSync(path.join(realDir, 'local-debian.sources'), path.join(etc, 'sources.list.d', 'debian.sources'));
		expect(execFileSync('bash', [script, 'uri'], {encoding: 'utf8', env: {...process.env, APT_ETC: etc}})).toBe('http://deb.debian.org/debian\n');
	});

	test('SYNTHETIC deb822: deb-src and other suites skipped, a mirror with a trailing slash, comments ignored', () => {
		const etc = aptEtc({
			'sources.list.d/mirror.sources': [
				'Types: deb-src',
				'URIs: http://src.example.invalid/debian',
				'Suites: bookworm',
				'Components: main',
				'',
				'Types: deb',
				'URIs: http://security.example.invalid/debian-security',
				'Suites: bookworm-security',
				'',
				'# the main archive',
				'Types: deb deb-src',
				'URIs: http://mirror.example.invalid/debian/ http://second.example.invalid/debian',
				'Suites: bookworm bookworm-updates',
				'Components: main',
				'',
			].join('\n'),
		});
		expect(uriOf(etc).stdout).toBe('http://mirror.example.invalid/debian\n');
	});

	test('SYNTHETIC one-line sources.list, with [options], when no deb822 file names bookworm', () => {
		const etc = aptEtc({
			'sources.list': [
				'# deb http://commented.example.invalid/debian bookworm main',
				'deb-src http://src.example.invalid/debian bookworm main',
				'deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://mirror.example.invalid/debian bookworm main contrib',
				'',
			].join('\n'),
		});
		expect(uriOf(etc).stdout).toBe('http://mirror.example.invalid/debian\n');
	});

	test('no bookworm source: one clear line and a failure, nothing guessed', () => {
		const run = uriOf(aptEtc({'sources.list': 'deb http://mirror.example.invalid/debian trixie main\n'}));
		expect(run.status).toBe(1);
		expect(run.stdout).toBe('');
		expect(run.stderr).toMatch(/^debian-apt\.sh: no 'bookworm' deb source in .*sources\.list\{,\.d\}: cannot tell which Debian archive to use\n$/);
	});

	test('usage errors exit 64', () => {
		expect(spawnSync('bash', [script], {encoding: 'utf8'}).status).toBe(64);
		expect(spawnSync('bash', [script, 'download', '/tmp/x'], {encoding: 'utf8'}).status).toBe(64);
	});
});
