"""Benchmark: `judge submit` on the 10-case a+b in C against the same work
done natively by a shell loop, in the same run.

Baselines:
- native runs: the compiled solution run on the 10 inputs by a shell loop;
- native compile + runs: gcc with the judge's flags, then the same loop.
The judge's figure includes its start, problem loading, the compile in
the sandbox, ten supervised runs with measurement and checking.
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JUDGE = os.environ.get("JUDGE") or os.path.join(ROOT, "build", "judge")
PROBLEM = os.path.join(ROOT, "tests", "problems", "aplusb")
SOURCE = os.path.join(PROBLEM, "tests", "ac_c", "ac.c")
REPEAT = int(os.environ.get("BENCH_REPEAT", "11"))


def median_time(cmd, **kw):
    times = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main():
    work = tempfile.mkdtemp(prefix="judge-bench-")
    try:
        binary = os.path.join(work, "aplusb")
        flags = ["-Wall", "-O2", "-lm", "-march=native", "-std=c99", "-s", "-DONLINE_JUDGE"]
        compile_cmd = ["gcc", SOURCE, "-o", binary] + flags
        subprocess.run(compile_cmd, check=True)
        loop = 'for i in 1 2 3 4 5 6 7 8 9 10; do "%s" < "%s/aplusb.$i.in" > /dev/null; done' % (binary, PROBLEM)
        config = os.path.join(work, "config.yml")
        with open(config, "w") as f:
            f.write("problem_storage_globs: [%s]\ntempdir: %s\ncompiled_binary_cache_dir: %s/cache\n"
                    % (os.path.dirname(PROBLEM), work, work))
        judge_cmd = [JUDGE, "-c", config, "submit", "aplusb", "C", SOURCE, "--json"]
        subprocess.run(judge_cmd, check=True, stdout=subprocess.DEVNULL)  # warms the self-test cache

        native_runs = median_time(["sh", "-c", loop])
        native_all = median_time(["sh", "-c", " ".join('"%s"' % a for a in compile_cmd) + " && " + loop])
        judge = median_time(judge_cmd)
        print("median of %d runs each" % REPEAT)
        print("  native: 10 runs in a shell loop          %8.1f ms" % (native_runs * 1000))
        print("  native: gcc compile + the 10 runs        %8.1f ms" % (native_all * 1000))
        print("  judge submit aplusb C (compile + 10 cases)%7.1f ms" % (judge * 1000))
        print("  ratio judge / native runs:               %8.2f" % (judge / native_runs))
        print("  ratio judge / native compile + runs:     %8.2f" % (judge / native_all))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
