// The one `--builder` parser (replay, history, attach, bake): both spellings, the rest kept in order, a clear error.
import {expect, test} from 'vitest';
import {takeBuilder, UsageError} from '../../source/app/cli-options.js';

test('--builder X and --builder=X come out; everything else stays, in order', () => {
	expect(takeBuilder(['-f', 'docker-bake.hcl', '--builder', 'ci', 'backend'])).toEqual({builder: 'ci', rest: ['-f', 'docker-bake.hcl', 'backend']});
	expect(takeBuilder(['--builder=ci', 'REF'])).toEqual({builder: 'ci', rest: ['REF']});
	expect(takeBuilder(['REF'])).toEqual({rest: ['REF']});
});

test('--builder without a name is a usage error that says so', () => {
	expect(() => takeBuilder(['--builder'])).toThrow(new UsageError('--builder needs a builder name'));
	expect(() => takeBuilder(['--builder', ''])).toThrow(UsageError);
	expect(() => takeBuilder(['--builder='])).toThrow(new UsageError('--builder needs a builder name'));
});
