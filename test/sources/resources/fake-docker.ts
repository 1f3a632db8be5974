// A fake `docker` executable first on PATH that plays real captures (STYLE.md: processes are real; where the
// machine cannot produce an output - a docker-container builder, a slow du - a script replays the captured one).
// Each rule matches the argument string; the script logs every call (start and end, with its arguments) so tests
// can check what ran and that runs never overlapped.
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';

export type FakeRule = {
	/** A shell `case` pattern over the joined arguments, e.g. "buildx du *". */
	match: string;
	/** File whose content goes to stdout. */
	stdoutFile?: string;
	stderr?: string;
	exitCode?: number;
	/** Seconds to sleep before answering. */
	delay?: number;
};

export type FakeDocker = {dir: string; env: Record<string, string>; calls: () => {event: 'start' | 'end'; args: string; ms: number}[]};

export function fakeDocker(rules: FakeRule[]): FakeDocker {
	const dir = mkdtempSync(path.join(tmpdir(), 'bxtop-fake-docker-'));
	const log = path.join(dir, 'calls.log');
	const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
	const cases = rules
		.map(rule => {
			// Literal parts quoted (they hold spaces), `*` left as the glob.
			const pattern = rule.match
				.split('*')
				.map(part => (part === '' ? '' : `"${part.replace(/(["\\$`])/g, '\\$1')}"`))
				.join('*');
			const lines = [`  ${pattern})`];
			if (rule.delay) lines.push(`    sleep ${rule.delay}`);
			if (rule.stdoutFile) lines.push(`    cat ${quote(rule.stdoutFile)}`);
			if (rule.stderr) lines.push(`    printf '%s\\n' ${quote(rule.stderr)} >&2`);
			lines.push(`    code=${rule.exitCode ?? 0}`, '    ;;');
			return lines.join('\n');
		})
		.join('\n');
	const script = `#!/bin/sh
args="$*"
echo "start $(date +%s%3N) $args" >> ${quote(log)}
code=0
case "$args" in
${cases}
  *)
    echo "fake docker: no rule for: $args" >&2
    code=127
    ;;
esac
echo "end $(date +%s%3N) $args" >> ${quote(log)}
exit $code
`;
	const file = path.join(dir, 'docker');
	writeFileSync(file, script);
	chmodSync(file, 0o755);
	return {
		dir,
		env: {PATH: `${dir}:${process.env['PATH'] ?? ''}`},
		calls: () => {
			let text = '';
			try {
				text = readFileSync(log, 'utf8');
			} catch {
				return [];
			}
			return text
				.trim()
				.split('\n')
				.filter(Boolean)
				.map(line => {
					const [event, ms, ...rest] = line.split(' ');
					return {event: event as 'start' | 'end', ms: Number(ms), args: rest.join(' ')};
				});
		},
	};
}
