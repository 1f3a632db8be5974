import {describe, expect, test} from 'vitest';
import {createPathSharer, sharePath} from '../../source/lib/share-paths.js';

const roots = {cwd: '/home/ann/proj', home: '/home/ann', tmp: '/tmp'};

describe('local paths in shared files', () => {
	test('the working directory, the temp directory and the home directory become neutral', () => {
		expect(sharePath('/home/ann/proj/recordings/a.bxrec', roots)).toBe('recordings/a.bxrec');
		expect(sharePath('/home/ann/proj', roots)).toBe('.');
		expect(sharePath('/home/ann/ci/a.bxrec', roots)).toBe('~/ci/a.bxrec');
		expect(sharePath('/tmp/bxtop-ctx-ab12/Dockerfile', roots)).toBe('<tmp>/bxtop-ctx-ab12/Dockerfile');
		expect(sharePath('/home/ann', roots)).toBe('~');
	});

	test('inside longer text: flags, messages, several paths', () => {
		const share = createPathSharer(roots);
		expect(share('--metadata-file=/tmp/bxtop-meta-x/0.json')).toBe('--metadata-file=<tmp>/bxtop-meta-x/0.json');
		expect(share('ERROR: failed to read dockerfile: open /tmp/bxtop-ctx-1/Dockerfile: no such file or directory')).toBe(
			'ERROR: failed to read dockerfile: open <tmp>/bxtop-ctx-1/Dockerfile: no such file or directory',
		);
		expect(share('recording stopped: EACCES (/home/ann/proj/out/x.bxrec)')).toBe('recording stopped: EACCES (out/x.bxrec)');
	});

	test('other absolute paths and look-alikes stay', () => {
		const share = createPathSharer(roots);
		for (const text of ['/usr/local/bin/docker', '/run/secrets/mysecret', '/tmpfs/x', '/home/annie/x', 'docker.io/library/tmp', 'a/tmp/b', '/home/ann/projects/x'])
			expect(share(text)).toBe(text.startsWith('/home/ann/projects') ? '~/projects/x' : text);
	});

	test('a working directory inside the temp directory is still the working directory', () => {
		expect(sharePath('/tmp/work/a.bxrec', {cwd: '/tmp/work', tmp: '/tmp', home: '/root'})).toBe('a.bxrec');
		expect(sharePath('/tmp/other/a.bxrec', {cwd: '/tmp/work', tmp: '/tmp', home: '/root'})).toBe('<tmp>/other/a.bxrec');
	});
});
