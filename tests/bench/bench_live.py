"""Benchmark: the live judge against the fake bridge (tests/bridge).

Measures, in one run:
- start to handshake-success: from spawning the judge until the bridge has
  answered its handshake (self-test results cached, as on every restart);
- ping round trip while idle and while a submission runs (a C program
  spinning for 3 s of CPU), seen from the bridge;
- resident memory (VmRSS from /proc) of the judge process while idle and,
  while grading, of the judge and of its grading worker.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "bridge"))
import fake_bridge  # noqa: E402

JUDGE = os.environ.get("JUDGE") or os.path.join(ROOT, "build", "judge")
KEY = "bench-key"
SPIN = r"""#include <stdio.h>
#include <time.h>
int main(void)
{
	volatile unsigned long n = 0;
	while (clock() < 3 * CLOCKS_PER_SEC)
		n++;
	puts("42");
	return 0;
}
"""


def rss_kib(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def children(pid):
    try:
        with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def main():
    work = tempfile.mkdtemp(prefix="judge-bench-live-")
    os.chmod(work, 0o755)
    probdir = os.path.join(work, "problems", "spin")
    os.makedirs(probdir)
    with open(os.path.join(probdir, "init.yml"), "w") as f:
        f.write("test_cases:\n- {in: in.txt, out: out.txt, points: 1}\n")
    open(os.path.join(probdir, "in.txt"), "w").close()
    with open(os.path.join(probdir, "out.txt"), "w") as f:
        f.write("42\n")
    config = os.path.join(work, "config.yml")
    with open(config, "w") as f:
        f.write("problem_storage_globs: [%s, %s]\ntempdir: %s\ncompiled_binary_cache_dir: %s/cache\n"
                "reconnect_initial_delay: 0.05\nreconnect_max_delay: 0.2\n"
                % (os.path.join(ROOT, "tests", "problems"), os.path.join(work, "problems"), work, work))
    bridge = fake_bridge.FakeBridge(key=KEY).start()
    judges = []
    try:
        def start_judge():
            t = time.perf_counter()
            p = subprocess.Popen([JUDGE, "-c", config, "--no-ansi", "-p", str(bridge.port),
                                  "127.0.0.1", "bench", KEY],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            judges.append(p)
            conn = bridge.accept_judge(timeout=120, alive=lambda: p.poll() is None)
            return p, conn, time.perf_counter() - t

        p, conn, first = start_judge()  # fills the self-test cache
        p.terminate()
        p.wait()
        starts = []
        for _ in range(9):
            p, conn, t = start_judge()
            starts.append(t)
            p.terminate()
            p.wait()
        p, conn, _ = start_judge()
        time.sleep(0.5)
        idle_pings = [conn.ping()[0] for _ in range(50)]
        idle_rss = rss_kib(p.pid)
        conn.submit(1, "spin", "C", SPIN, time_limit=10)
        busy_pings = []
        worker_rss = judge_rss = None
        deadline = time.time() + 2.5
        time.sleep(0.5)
        while time.time() < deadline:
            busy_pings.append(conn.ping()[0])
            judge_rss = rss_kib(p.pid)
            for c in children(p.pid):
                r = rss_kib(c)
                if r:
                    worker_rss = r
            time.sleep(0.02)
        sub = conn.collect(1, timeout=60)
        ms = lambda s: s * 1000
        print("start to handshake-success (cache warm), median of %d: %.1f ms (first start, "
              "self-tests run: %.0f ms)" % (len(starts), ms(statistics.median(starts)), ms(first)))
        print("ping round trip idle: median %.2f ms, max %.2f ms (%d pings)"
              % (ms(statistics.median(idle_pings)), ms(max(idle_pings)), len(idle_pings)))
        print("ping round trip while grading (%s): median %.2f ms, max %.2f ms (%d pings)"
              % (sub.result, ms(statistics.median(busy_pings)), ms(max(busy_pings)), len(busy_pings)))
        print("VmRSS judge idle: %s KiB; while grading: judge %s KiB, worker %s KiB"
              % (idle_rss, judge_rss, worker_rss))
    finally:
        for p in judges:
            if p.poll() is None:
                p.kill()
                p.wait()
        bridge.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
