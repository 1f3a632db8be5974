#!/usr/bin/env python3
"""Runs one command in a pseudo-terminal of a given size and measures what its process tree costs.

Usage: pty-measure.py --cols 130 --rows 40 [--steady-after 3] [--done-marker TEXT --idle-seconds 20 --quit-key q]
                      -- ARGV...
Prints one JSON object on stdout. The command is an argument vector (exec'd directly, never through a shell).

CPU figures are clock ticks of /proc/<pid>/stat (user + system) turned into seconds:
- tree: every live process under the command (its own time plus what its reaped children took, cutime/cstime),
  sampled every 100 ms; at the end the command's own figures just before it is reaped (waitid WNOWAIT), which
  include every descendant it waited for;
- own: the command's own process (all its threads), without children.
With --done-marker, the run's "end" is when that text first shows on the terminal (bxtop's held board says
"finished: q quits"); --keys-after-marker are typed then, the board is left alone for --idle-seconds (its CPU over
that time is the idle rate), then --quit-key is typed. --idle-split S also reports the first S seconds of that time
and the rest apart (V8's memory reducer runs its full collections once, some seconds after activity stops).
"""
import argparse, fcntl, json, os, pty, re, select, signal, struct, sys, termios, time

TICK = os.sysconf('SC_CLK_TCK')
PAGE = os.sysconf('SC_PAGE_SIZE')
ANSI = re.compile(rb'\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][A-Za-z0-9]|\x1b[=>78]')


def read_stat(pid):
    """(ppid, own ticks, children ticks, rss bytes) or None when the process is gone."""
    try:
        with open(f'/proc/{pid}/stat', 'rb') as f:
            data = f.read()
    except OSError:
        return None
    fields = data[data.rindex(b')') + 2:].split()
    # fields[0] is state (field 3); utime is field 14 -> index 11
    ppid = int(fields[1])
    own = int(fields[11]) + int(fields[12])
    children = int(fields[13]) + int(fields[14])
    rss = int(fields[21]) * PAGE
    return ppid, own, children, rss


def tree_sample(root):
    """Sum over the live tree under root: (tree ticks, root own ticks, tree rss bytes, process count)."""
    parents = {}
    stats = {}
    for name in os.listdir('/proc'):
        if not name.isdigit():
            continue
        st = read_stat(int(name))
        if st is None:
            continue
        stats[int(name)] = st
        parents.setdefault(st[0], []).append(int(name))
    total = 0
    rss = 0
    count = 0
    stack = [root]
    while stack:
        pid = stack.pop()
        st = stats.get(pid)
        if st is None:
            continue
        total += st[1] + st[2]
        rss += st[3]
        count += 1
        stack.extend(parents.get(pid, []))
    root_own = stats[root][1] if root in stats else None
    return total, root_own, rss, count


def vm_hwm(pid):
    try:
        with open(f'/proc/{pid}/status') as f:
            for line in f:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def idle_span(start, end):
    """CPU between two (tree sample, time) points, or None when the process was gone."""
    (from_tree, from_own, _, _), from_t = start
    (to_tree, to_own, _, _), to_t = end
    if from_own is None or to_own is None:
        return None
    return {'seconds': round(to_t - from_t, 2), 'ownCpuSeconds': (to_own - from_own) / TICK,
            'treeCpuSeconds': (to_tree - from_tree) / TICK}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--cols', type=int, default=130)
    parser.add_argument('--rows', type=int, default=40)
    parser.add_argument('--steady-after', type=float, default=3.0, help='seconds after the first output')
    parser.add_argument('--done-marker')
    parser.add_argument('--idle-seconds', type=float, default=0)
    parser.add_argument('--idle-split', type=float, default=0, help='seconds into the idle time to split it at')
    parser.add_argument('--quit-key', default='q')
    parser.add_argument('--keys-after-marker', default='', help='typed once the marker shows, before the idle time')
    parser.add_argument('--timeout', type=float, default=600)
    parser.add_argument('--screen-log')
    parser.add_argument('argv', nargs=argparse.REMAINDER)
    args = parser.parse_args()
    argv = args.argv[1:] if args.argv and args.argv[0] == '--' else args.argv
    if not argv:
        parser.error('no command')

    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack('HHHH', args.rows, args.cols, 0, 0))
        os.environ['TERM'] = os.environ.get('TERM') or 'xterm-256color'
        os.environ['COLUMNS'] = str(args.cols)
        os.environ['LINES'] = str(args.rows)
        try:
            os.execvp(argv[0], argv)
        finally:
            os._exit(127)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', args.rows, args.cols, 0, 0))

    screen = open(args.screen_log, 'wb') if args.screen_log else None
    tail = b''
    steady = None  # (time, tree ticks, own ticks) at steady-after
    done = None  # same at the done marker
    idle_start = None
    idle_from = None  # (tree sample, time) when the idle measurement starts
    idle_mid = None  # the same at --idle-split
    idle = None
    peak_tree_rss = 0
    peak_own_rss = 0
    last = None  # the last sample: (time, tree, own)
    output_bytes = 0
    first_output = None
    next_sample = 0.0
    quit_sent = False
    while True:
        now = time.monotonic() - start
        if now > args.timeout:
            os.kill(pid, signal.SIGTERM)
            args.timeout = float('inf')
        if now >= next_sample:
            next_sample = now + 0.1
            total, own, rss, _ = tree_sample(pid)
            if own is not None:
                last = (now, total, own)
                peak_tree_rss = max(peak_tree_rss, rss)
                hwm = vm_hwm(pid)
                if hwm:
                    peak_own_rss = max(peak_own_rss, hwm)
                if steady is None and first_output is not None and now >= first_output + args.steady_after:
                    steady = last
        try:
            ready, _, _ = select.select([fd], [], [], 0.05)
        except InterruptedError:
            ready = []
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b''
            if chunk:
                if first_output is None:
                    first_output = time.monotonic() - start
                output_bytes += len(chunk)
                if screen:
                    screen.write(chunk)
                if args.done_marker and done is None:
                    tail = (tail + chunk)[-8192:]
                    if args.done_marker.encode() in ANSI.sub(b'', tail):
                        done = last
                        idle_start = time.monotonic() - start
                        if args.keys_after_marker:
                            os.write(fd, args.keys_after_marker.encode())
        if done is not None and idle is None and not quit_sent:
            t = time.monotonic() - start
            # the first second after the marker lets the last frames and the final du settle
            if idle_from is None and t >= idle_start + 1:
                idle_from = (tree_sample(pid), t)
            if idle_from is not None and idle_mid is None and 0 < args.idle_split < args.idle_seconds and t >= idle_from[1] + args.idle_split:
                idle_mid = (tree_sample(pid), t)
            if idle_from is not None and t >= idle_from[1] + args.idle_seconds:
                idle_to = (tree_sample(pid), t)
                idle = idle_span(idle_from, idle_to)
                if idle is not None and idle_mid is not None:
                    first, rest = idle_span(idle_from, idle_mid), idle_span(idle_mid, idle_to)
                    if first is not None and rest is not None:
                        idle['first'] = first
                        idle['rest'] = rest
                os.write(fd, args.quit_key.encode())
                quit_sent = True
        try:
            info = os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            info = None
        if info is not None and info.si_pid == pid:
            break
    end = time.monotonic() - start
    final = read_stat(pid)  # a zombie still reports its times, children included
    _, status, usage = os.wait4(pid, 0)
    # drain what is left
    try:
        while True:
            ready, _, _ = select.select([fd], [], [], 0)
            if not ready:
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            output_bytes += len(chunk)
            if screen:
                screen.write(chunk)
    except OSError:
        pass
    os.close(fd)
    if screen:
        screen.close()
    tree_total = (final[1] + final[2]) / TICK if final else usage.ru_utime + usage.ru_stime
    own_total = final[1] / TICK if final else None
    result = {
        'argv0': os.path.basename(argv[0]),
        'exitCode': os.waitstatus_to_exitcode(status),
        'wallSeconds': round(end, 3),
        'treeCpuSeconds': tree_total,
        'ownCpuSeconds': own_total,
        'peakTreeRssBytes': peak_tree_rss,
        'peakOwnRssBytes': peak_own_rss,
        'maxRssBytesRusage': usage.ru_maxrss * 1024,
        'outputBytes': output_bytes,
        'firstOutputSeconds': first_output,
    }
    # the builds' part of the run: up to the done marker when there is one, else the whole run
    if done is not None:
        result['buildWallSeconds'] = round(done[0], 3)
        result['buildTreeCpuSeconds'] = done[1] / TICK
        result['buildOwnCpuSeconds'] = done[2] / TICK
        stop = done
    else:
        result['buildWallSeconds'] = result['wallSeconds']
        result['buildTreeCpuSeconds'] = tree_total
        result['buildOwnCpuSeconds'] = own_total
        stop = (end, final[1] + final[2], final[1]) if final else None
    if steady is not None and stop is not None and stop[0] > steady[0] + 0.5:
        span = stop[0] - steady[0]
        result['steadySeconds'] = round(span, 2)
        result['steadyTreeCpuRate'] = (stop[1] - steady[1]) / TICK / span
        result['steadyOwnCpuRate'] = (stop[2] - steady[2]) / TICK / span
    if idle is not None:
        result['idle'] = idle
    json.dump(result, sys.stdout)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
