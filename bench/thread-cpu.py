#!/usr/bin/env python3
"""CPU and wake-ups by thread name over a window (not a test; used in business-logic/README.md, "Wake-ups").

    bench/thread-cpu.py <seconds> <pid>...
    bench/thread-cpu.py 20 $(pgrep -f business-logic.jar)

Sums over the given processes, per thread name with digits folded ("http-12" -> "http-#"): user and
system CPU seconds (/proc/<pid>/task/<tid>/stat) and voluntary context switches, i.e. how often the
threads went to sleep and so were woken (/proc/<pid>/task/<tid>/status), between two readings
<seconds> apart. Threads that start or end inside the window count from zero or until their end.
"""
import collections
import os
import re
import sys
import time


def read(pids):
    seen = {}
    for pid in pids:
        try:
            tids = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in tids:
            try:
                with open(f"/proc/{pid}/task/{tid}/stat") as f:
                    stat = f.read()
                with open(f"/proc/{pid}/task/{tid}/status") as f:
                    status = f.read()
            except OSError:
                continue
            name = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat[stat.rindex(")") + 2 :].split()
            switches = int(re.search(r"\nvoluntary_ctxt_switches:\s+(\d+)", status).group(1))
            seen[(pid, tid)] = (name, int(fields[11]), int(fields[12]), switches)
    return seen


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    seconds, pids = float(sys.argv[1]), sys.argv[2:]
    before = read(pids)
    time.sleep(seconds)
    after = read(pids)
    user, system, wakes = collections.Counter(), collections.Counter(), collections.Counter()
    for key, (name, u, s, w) in after.items():
        u0, s0, w0 = before[key][1:] if key in before else (0, 0, 0)
        name = re.sub(r"\d+", "#", name)
        user[name] += u - u0
        system[name] += s - s0
        wakes[name] += w - w0
    hz = os.sysconf("SC_CLK_TCK")
    print(f"{len(pids)} processes, {seconds:g} s: user {sum(user.values()) / hz:.2f} s, "
          f"system {sum(system.values()) / hz:.2f} s, {sum(wakes.values())} wake-ups")
    print(f"{'thread':24} {'user s':>7} {'sys s':>7} {'wake-ups':>9} {'per process and s':>18}")
    for name in sorted(wakes, key=lambda n: -(user[n] + system[n] + wakes[n] / 1e6)):
        if user[name] + system[name] + wakes[name] == 0:
            continue
        print(f"{name:24} {user[name] / hz:7.2f} {system[name] / hz:7.2f} {wakes[name]:9d} "
              f"{wakes[name] / len(pids) / seconds:18.2f}")


if __name__ == "__main__":
    main()
