"""End to end: the live judge (`judge [options] HOST NAME KEY`) against the
fake bridge (tests/bridge/fake_bridge.py) over real loopback sockets.

Written from the protocol and command-line contracts (docs/protocol.md and
docs/cli.md describe them), independently of the judge's packet code. Every test starts its
own judge process and its own bridge; when it ends, the test also checks
that the judge sent nothing a real site would refuse (frame size, zlib,
UTF-8, JSON, member types), that the judge key never reached the log, that
the temp folder is empty once the judge has exited and that no program is
left running from it.

Standard library only: `/usr/bin/python3 tests/e2e/test_live.py`.
The judge binary comes from $JUDGE, else build/judge. Set
LIVE_TEST_VERBOSE=1 to see the judge's log for passing tests too, and
FAKE_BRIDGE_VERBOSE=1 to see every packet.
"""
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import unittest
import zlib
import gzip
import json
import struct

sys.dont_write_bytecode = True  # no __pycache__ in the tree
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "bridge"))

import fake_bridge as fb  # noqa: E402
from fake_bridge import BridgeTimeout, ConnectionClosed, FakeBridge  # noqa: E402
from judgetest import JUDGE, PROBLEMS, write  # noqa: E402

NAME = "live-e2e"
KEY = "live-e2e-K3y-7f3a9c51"
CFG_NAME = "cfg-judge"
CFG_KEY = "cfg-K3y-0b1d22e8"
ENV_NAME = "env-judge"
ENV_KEY = "env-K3y-5c6d90aa"
SECRETS = (KEY, CFG_KEY, ENV_KEY)

# Generous: the machine may be slow and loaded.
CONNECT_TIMEOUT = 60  # process start to handshake
GRADE_TIMEOUT = 120  # one submission
EXIT_TIMEOUT = 20  # signal or disconnect to exit
PING_LIMIT = 0.5  # "well under a second"
ABORT_LIMIT = 5.0  # terminate-submission to submission-terminated

BACKOFF_INITIAL = 0.2  # reconnect_initial_delay in the test configuration
BACKOFF_MAX = 1.0  # reconnect_max_delay

APLUSB = os.path.join(PROBLEMS, "aplusb")


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def sample(folder, name):
    return read(os.path.join(APLUSB, "tests", folder, name))


AC_C = sample("ac_c", "ac.c")
AC_PY = sample("ac_py", "ac.py")
WA_C = sample("wa_overflow", "wa.c")
TLE_C = sample("tle", "tle.c")
RTE_CPP = sample("rte", "rte.cpp")
CE_CPP = sample("ce", "ce.cpp")
IR_PY = sample("ir", "ir.py")
MLE_CPP = sample("mle", "mle.cpp")
OLE_C = sample("ole", "ole.c")
APLUSB_POINTS = [5, 5, 40, 40, 40, 40, 50, 50, 50, 50]
APLUSB_BATCHES = [None, None, 1, 1, 1, 1, 2, 2, 2, 2]

ANSWER42_C = '#include <stdio.h>\nint main(void)\n{\n\tputs("42");\n\treturn 0;\n}\n'
SPIN_FOREVER_C = "int main(void)\n{\n\tvolatile unsigned long n = 0;\n\tfor (;;)\n\t\tn++;\n}\n"


def spin_c(seconds):
    """A C program that burns `seconds` of CPU, then prints 42."""
    return textwrap.dedent("""\
        #include <stdio.h>
        #include <time.h>
        int main(void)
        {
        	volatile unsigned long n = 0;
        	while (clock() < (clock_t)(%.3f * CLOCKS_PER_SEC))
        		n++;
        	puts("42");
        	return 0;
        }
        """ % seconds)


BIG_OUTPUT = 12000000  # bytes of hard-to-compress output: about 10 MB compressed
BIG_OUTPUT_C = textwrap.dedent("""\
    #include <stdio.h>
    int main(void)
    {
    	static char buf[1 << 16];
    	unsigned long long x = 88172645463325252ULL;
    	long n = %d;
    	while (n > 0) {
    		int k = n < (long)sizeof buf ? (int)n : (int)sizeof buf;
    		for (int i = 0; i < k; i++) {
    			x ^= x << 13;
    			x ^= x >> 7;
    			x ^= x << 17;
    			buf[i] = (char)(33 + x %% 94);
    		}
    		fwrite(buf, 1, (size_t)k, stdout);
    		n -= k;
    	}
    	return 0;
    }
    """ % BIG_OUTPUT)


def big_output_start(n):
    """The first n bytes BIG_OUTPUT_C prints."""
    x, out, m = 88172645463325252, [], (1 << 64) - 1
    for _ in range(n):
        x ^= (x << 13) & m
        x ^= x >> 7
        x ^= (x << 17) & m
        out.append(chr(33 + x % 94))
    return "".join(out)


def make_problems(root):
    """Small problems the tests need besides tests/problems."""
    def problem(code, init, files):
        d = os.path.join(root, code)
        write(os.path.join(d, "init.yml"), textwrap.dedent(init))
        for name, text in files.items():
            with open(os.path.join(d, name), "w", encoding="utf-8") as f:
                f.write(text)
    empty42 = {"in.txt": "", "out.txt": "42\n"}
    problem("answer42", """\
        test_cases:
        - {in: in.txt, out: out.txt, points: 1}
        """, empty42)
    problem("slow3", """\
        test_cases:
        - {in: in.txt, out: out.txt, points: 1}
        - {in: in.txt, out: out.txt, points: 1}
        - {in: in.txt, out: out.txt, points: 1}
        """, empty42)
    problem("pre", """\
        pretest_test_cases:
        - {in: in.txt, out: out.txt, points: 1}
        test_cases:
        - {in: in.txt, out: out.txt, points: 10}
        - {in: in.txt, out: out.txt, points: 10}
        """, empty42)
    problem("unicode", """\
        test_cases:
        - {in: in.txt, out: out.txt, points: 1}
        """, {"in.txt": "", "out.txt": "é 😀\n"})
    problem("bigprefix", """\
        output_prefix_length: %d
        test_cases:
        - {in: in.txt, out: out.txt, points: 1}
        """ % BIG_OUTPUT, empty42)


def problem_folders(globs):
    """{code: folder} of every folder holding an init.yml under the globs
    (plain folders here), first one wins."""
    out = {}
    for g in globs:
        for name in sorted(os.listdir(g)):
            d = os.path.join(g, name)
            if os.path.isfile(os.path.join(d, "init.yml")):
                out.setdefault(name, d)
    return out


def procs_under(path):
    """[(pid, what)] of processes whose executable or working folder lies
    under path."""
    out = []
    prefix = os.path.realpath(path) + "/"
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        for link in ("exe", "cwd"):
            try:
                target = os.readlink("/proc/%s/%s" % (pid, link))
            except OSError:
                continue
            if (target + "/").startswith(prefix):
                out.append((int(pid), "%s -> %s" % (link, target)))
                break
    return out


def temp_left(tmp):
    return [n for n in os.listdir(tmp) if not n.startswith("judge-cache-")]


def children_of(pid):
    """(pid, state) of every process whose parent is pid, zombies too."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name) as f:
                stat = f.read()
        except OSError:
            continue
        # the command may hold spaces and parentheses: fields follow the last ')'
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[1]) == pid:
            found.append((int(name), fields[0]))
    return found


def descendants_of(pid):
    found = []
    for child, _ in children_of(pid):
        found += [child] + descendants_of(child)
    return found


def running(pid):
    """True while pid exists and has not ended (a zombie has ended)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2:].split()[0] != "Z"


def zombies_of(pid):
    return [c for c, state in children_of(pid) if state == "Z"]


def wait_until(pred, timeout, interval=0.05):
    deadline = time.monotonic() + timeout
    while True:
        v = pred()
        if v or time.monotonic() >= deadline:
            return v
        time.sleep(interval)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def version_of(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return None
    return [int(x) for x in re.findall(r"\d+", out)] or None


class Judge:
    """One judge process, its output in a log file."""

    def __init__(self, cmd, env, log_path):
        self.cmd = cmd
        self.log_path = log_path
        self._log = open(log_path, "wb")
        self.started = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log,
                                     stderr=subprocess.STDOUT, env=env, start_new_session=True)
        self.pid = self.proc.pid
        self.killed = False

    def alive(self):
        return self.proc.poll() is None

    @property
    def returncode(self):
        return self.proc.poll()

    def signal(self, sig):
        if self.alive():
            self.proc.send_signal(sig)

    def wait(self, timeout):
        """Exit status, or None if still running after timeout seconds."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        self.killed = True
        try:
            os.killpg(self.pid, signal.SIGKILL)  # its own session: only what it started
        except OSError:
            pass
        self.proc.wait(10)

    def stop(self):
        if self.alive():
            self.signal(signal.SIGTERM)
            if self.wait(EXIT_TIMEOUT) is None:
                self.kill()
        if not self._log.closed:
            self._log.close()

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def tail(self, n=80):
        return "\n".join(self.log().splitlines()[-n:])

    def status_kib(self, field):
        """A field of /proc/PID/status in KiB (VmRSS, VmPeak…), or None."""
        try:
            with open("/proc/%d/status" % self.pid) as f:
                for line in f:
                    if line.startswith(field + ":"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None


class LiveCase(unittest.TestCase):
    """A fresh bridge and scratch folder per test; judges started by the test."""

    _next_id = random.randint(1, 50) * 1000

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="judge-live-")
        os.chmod(cls.scratch, 0o755)  # sandboxed programs run as another user
        cls.extra = os.path.join(cls.scratch, "problems")
        make_problems(cls.extra)
        cls.cache = os.path.join(cls.scratch, "cache")

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix=self._testMethodName[:40] + "-", dir=self.scratch)
        os.chmod(self.dir, 0o755)
        self.tmp = os.path.join(self.dir, "tmp")
        os.makedirs(self.tmp)
        os.chmod(self.tmp, 0o755)
        self.globs = [PROBLEMS, self.extra]
        self.config = self.write_config()
        self.bridge = FakeBridge(key=KEY, name=NAME).start()
        self.bridges = [self.bridge]
        self.judges = []

    def tearDown(self):
        outcome = getattr(self, "_outcome", None)
        failed = outcome is not None and not getattr(outcome, "success", True)
        for j in self.judges:
            j.stop()
        for b in self.bridges:
            b.stop()
        if failed or os.environ.get("LIVE_TEST_VERBOSE"):
            for j in self.judges:
                sys.stderr.write("\n----- judge log (%s, exit %s) -----\n%s\n-----\n"
                                 % (" ".join(j.cmd[1:]), j.returncode, j.tail()))
        problems = []
        for b in self.bridges:
            if b.violations:
                problems.append("the judge sent what a site refuses:\n  "
                                + "\n  ".join(b.violations[:20]))
        for j in self.judges:
            text = j.log()
            for secret in SECRETS:
                if secret in text:
                    problems.append("the judge key %r appears in its log" % secret)
        if self.judges and not any(j.killed for j in self.judges):
            left = temp_left(self.tmp)
            if left:
                problems.append("left in the temp folder after exit: %s" % left)
        procs = procs_under(self.tmp)
        if procs:
            problems.append("processes still running from the temp folder: %s" % procs)
            for pid, _ in procs:  # children of our judge: clean up
                try:
                    os.kill(pid, signal.SIGKILL)
                except OSError:
                    pass
        if problems:
            self.fail("\n".join(problems))

    # ----- set-up helpers

    def write_config(self, **over):
        values = {"reconnect_initial_delay": BACKOFF_INITIAL,
                  "reconnect_max_delay": BACKOFF_MAX}
        values.update(over)
        lines = ["id: %s" % CFG_NAME, "key: %s" % CFG_KEY, "problem_storage_globs:"]
        lines += ["  - %s" % g for g in self.globs]
        lines += ["tempdir: %s" % self.tmp, "compiled_binary_cache_dir: %s" % self.cache]
        lines += ["%s: %s" % (k, v) for k, v in values.items() if v is not None]
        path = os.path.join(self.dir, "config.yml")
        write(path, "\n".join(lines) + "\n")
        return path

    def start_judge(self, *opts, name=NAME, key=KEY, host="127.0.0.1", port=None, env=None,
                    self_test=False, config=None):
        """Starts `judge -c CONFIG --no-ansi -p PORT [opts] HOST [NAME [KEY]]`."""
        cmd = [JUDGE, "-c", config or self.config, "--no-ansi",
               "-p", str(port or self.bridge.port)]
        if not self_test:
            cmd.append("--skip-self-test")
        cmd += list(opts) + [host]
        if name is not None:
            cmd.append(name)
            if key is not None:
                cmd.append(key)
        e = {k: v for k, v in os.environ.items()
             if k not in ("DMOJ_JUDGE_NAME", "DMOJ_JUDGE_KEY")}
        e.update(env or {})
        j = Judge(cmd, e, os.path.join(self.dir, "judge-%d.log" % (len(self.judges) + 1)))
        self.judges.append(j)
        return j

    def accept(self, judge, timeout=CONNECT_TIMEOUT, bridge=None):
        """The judge's next accepted connection; fails at once if it exits."""
        bridge = bridge or self.bridge
        try:
            return bridge.accept_judge(timeout=timeout, alive=judge.alive)
        except AssertionError as e:
            raise AssertionError("%s\njudge status: %s; log:\n%s"
                                 % (e, judge.returncode, judge.tail(40))) from None

    def online(self, *opts, **kw):
        """(judge, connection) of a fresh judge that has handshaken."""
        j = self.start_judge(*opts, **kw)
        return j, self.accept(j)

    @classmethod
    def new_id(cls):
        LiveCase._next_id += 1
        return LiveCase._next_id

    # ----- grading helpers

    def grade(self, conn, problem, lang, source, time_limit=2.0, memory_limit=262144,
              timeout=GRADE_TIMEOUT, sub_id=None, **kw):
        """Sends a submission and returns its packets (a fb.Submission),
        checked for order and member types."""
        sub_id = sub_id or self.new_id()
        conn.submit(sub_id, problem, lang, source, time_limit, memory_limit, **kw)
        sub = conn.collect(sub_id, timeout=timeout)
        self.assertEqual(sub.errors(), [], sub.summary())
        return sub

    def assert_result(self, sub, result, points=None, total=None, codes=None):
        self.assertEqual(sub.result, result, sub.summary())
        if points is not None:
            self.assertAlmostEqual(sub.points, points, msg=sub.summary())
        if total is not None:
            self.assertAlmostEqual(sub.total, total, msg=sub.summary())
        if codes is not None:
            self.assertEqual(sub.codes, codes, sub.summary())

    def grade_ac(self, conn):
        """aplusb in C: the judge grades correctly (AC, 100/100, 10 cases)."""
        sub = self.grade(conn, "aplusb", "C", AC_C, 1.0, 65536)
        self.assert_result(sub, "AC", 100, 100, ["AC"] * 10)
        self.assertEqual(sub.batches, APLUSB_BATCHES)
        return sub

    def wait_grading_begin(self, conn, sub_id, timeout=GRADE_TIMEOUT):
        """Waits for grading-begin of sub_id, leaving it (and what came
        before) for a later collect()."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for t, p in list(conn.received):
                if p.get("name") == "grading-begin" and p.get("submission-id") == sub_id:
                    return t
                if (p.get("name") in fb.FINAL_PACKETS and p.get("submission-id") == sub_id):
                    self.fail("submission %d ended (%s) before grading began: %s"
                              % (sub_id, p["name"], fb._describe(p)))
            if not conn.is_open:
                self.fail("connection closed before grading-begin of %d" % sub_id)
            time.sleep(0.02)
        self.fail("no grading-begin for %d within %d s" % (sub_id, timeout))

    def start_spin(self, conn, seconds, time_limit=None):
        """Starts a submission that runs for `seconds` of CPU (forever if
        None); returns its id once grading has begun."""
        sub_id = self.new_id()
        src = SPIN_FOREVER_C if seconds is None else spin_c(seconds)
        tl = time_limit or (60.0 if seconds is None else seconds * 3 + 5)
        conn.submit(sub_id, "answer42", "C", src, tl, 262144)
        self.wait_grading_begin(conn, sub_id)
        return sub_id

    def serving(self, judge, conn, expect="either", what="that"):
        """After a fault: the connection the judge serves on now. expect:
        'stay' (must still be connected), 'drop' (must close the connection
        by itself) or 'either'. A judge that stays must answer a ping; one
        that drops must reconnect and handshake again."""
        if expect == "drop":
            self.assertTrue(conn.wait_closed(15),
                            "the judge kept the connection open after %s" % what)
        else:
            try:
                conn.ping(timeout=15)
                if expect == "stay" or conn.is_open:
                    return conn
            except ConnectionClosed:
                if expect == "stay":
                    self.fail("the judge dropped the connection after %s (closed by %s)"
                              % (what, conn.closed_by))
            except BridgeTimeout:
                self.fail("after %s the judge neither answered a ping nor closed the connection"
                          % what)
        if not conn.closed_by.startswith("judge"):
            self.fail("connection closed by %s, not by the judge" % conn.closed_by)
        self.assertTrue(judge.alive(), "the judge exited after %s:\n%s" % (what, judge.tail()))
        return self.accept(judge, timeout=30)

    def assert_no_programs_left(self, timeout=10):
        left = wait_until(lambda: not procs_under(self.tmp), timeout)
        self.assertTrue(left, "still running from the temp folder: %s" % procs_under(self.tmp))

    def assert_no_zombies(self, judge, timeout=10):
        """Every ended child of the judge is reaped: an aborted grading's
        program, re-parented to the judge, must not stay a zombie."""
        clean = wait_until(lambda: not zombies_of(judge.pid), timeout)
        self.assertTrue(clean, "zombie children of the judge: %s" % zombies_of(judge.pid))

    def assert_exits(self, judge, status=0, timeout=EXIT_TIMEOUT):
        rc = judge.wait(timeout)
        self.assertIsNotNone(rc, "the judge did not exit within %d s" % timeout)
        self.assertEqual(rc, status, "exit status; log:\n" + judge.tail())


# ===================================================================== handshake

class Handshake(LiveCase):
    def test_handshake_contents(self):
        """First packet: problems with their folder mtimes, executors with
        runtime versions in DMOJ's shape, id and key; with -d the key still
        never reaches the log (checked when the test ends)."""
        j = self.start_judge("-d", self_test=True)
        conn = self.accept(j)
        sys.stderr.write("\n  [measure] process start to handshake-success, self-tests on "
                         "(cold cache): %.3f s\n" % (conn.handshake_at - j.started))
        hs = conn.handshake
        self.assertEqual(conn.received[0][1]["name"], "handshake")
        self.assertEqual(fb.handshake_errors(hs), [])
        self.assertEqual(hs["id"], NAME)
        self.assertEqual(hs["key"], KEY)
        self.assertLess(conn.handshake_at - conn.connected_at, 15, "site allows 15 s")

        folders = problem_folders(self.globs)
        got = {code: mtime for code, mtime in hs["problems"]}
        self.assertEqual(sorted(got), sorted(folders))
        for code, folder in folders.items():
            self.assertAlmostEqual(got[code], os.stat(folder).st_mtime, delta=0.01,
                                   msg="mtime of %s" % code)
            self.assertIsInstance(got[code], float, "mtime of %s is a float" % code)

        ex = hs["executors"]
        for lang in ("C", "CPP17", "PY3"):
            self.assertIn(lang, ex)
        gcc = version_of(["gcc", "-dumpfullversion"])
        gxx = version_of(["g++", "-dumpfullversion"])
        runtime_names = {"C": "gcc", "C11": "gcc11", "CPP03": "g++", "CPP11": "g++11",
                         "CPP14": "g++14", "CPP17": "g++17", "CPP20": "g++20", "PY3": "python3"}
        for lang, runtimes in ex.items():
            self.assertEqual(len(runtimes), 1, "%s: %r" % (lang, runtimes))
            if lang in runtime_names:
                self.assertEqual(runtimes[0][0], runtime_names[lang], lang)
        self.assertEqual(ex["C"], [["gcc", gcc]])
        self.assertEqual(ex["CPP17"], [["g++17", gxx]])
        pys = [version_of([p, "-c", "import sys; print(*sys.version_info[:3])"])
               for p in ("/usr/bin/python3", shutil.which("python3") or "/usr/bin/python3")]
        self.assertIn(ex["PY3"][0][1], pys)
        self.assertEqual(len(ex["PY3"][0][1]), 3)
        self.assertEqual(self.bridge.violations, [])

    def test_executor_filters(self):
        """-e keeps only the named executors; -x removes them."""
        j, conn = self.online("-e", "C,PY3")
        self.assertEqual(sorted(conn.handshake["executors"]), ["C", "PY3"])
        conn.disconnect()
        self.assert_exits(j)
        j, conn = self.online("-x", "PY3,CPP11")
        ex = conn.handshake["executors"]
        self.assertNotIn("PY3", ex)
        self.assertNotIn("CPP11", ex)
        self.assertIn("C", ex)

    def test_name_and_key_precedence(self):
        """Command line, else DMOJ_JUDGE_NAME/DMOJ_JUDGE_KEY, else config."""
        self.bridge.key = self.bridge.name = None  # accept whatever comes
        env = {"DMOJ_JUDGE_NAME": ENV_NAME, "DMOJ_JUDGE_KEY": ENV_KEY}
        cases = [
            ("environment", dict(name=None, env=env), ENV_NAME, ENV_KEY),
            ("command line over environment", dict(env=env), NAME, KEY),
            ("name on command line, key from environment", dict(key=None, env=env),
             NAME, ENV_KEY),
            ("configuration", dict(name=None), CFG_NAME, CFG_KEY),
        ]
        for what, kw, name, key in cases:
            with self.subTest(what):
                j, conn = self.online(**kw)
                self.assertEqual((conn.handshake["id"], conn.handshake["key"]), (name, key))
                conn.disconnect()
                self.assert_exits(j)

    def test_log_file(self):
        """-l FILE: log lines (with the judge name) go to the file."""
        path = os.path.join(self.dir, "judge.log")
        j, conn = self.online("-l", path)
        conn.ping()
        j.signal(signal.SIGTERM)
        self.assert_exits(j)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        self.assertTrue(text.strip(), "log file is empty")
        self.assertIn(NAME, text, "log lines name the judge")
        for secret in SECRETS:
            self.assertNotIn(secret, text)


# ================================================================ authentication

class Authentication(LiveCase):
    def test_wrong_key_retries_with_backoff_and_never_exits(self):
        """A wrong key is refused the way a site refuses it (closed, no
        reply); the judge retries with growing delays up to the configured
        cap, never exits, and connects once the key is right; after a
        successful handshake the back-off starts again from the beginning."""
        self.bridge.key = "the-right-key"
        j = self.start_judge()
        attempts = []
        deadline = time.monotonic() + 60
        while len(attempts) < 8:
            self.assertLess(time.monotonic(), deadline, "only %d attempts in 60 s" % len(attempts))
            conn = self.bridge.wait_connection(timeout=30, alive=j.alive)
            hs = conn.recv_handshake(timeout=15)
            self.assertEqual(hs["key"], KEY)
            attempts.append(conn.connected_at)
            conn.reject()
            self.assertTrue(j.alive(), "the judge exited after a refused handshake")
        gaps = [b - a for a, b in zip(attempts, attempts[1:])]
        sys.stderr.write("\n  [measure] gaps between refused attempts: %s\n"
                         % ", ".join("%.2f" % g for g in gaps))
        # at most one immediate retry; the rest wait about the initial delay or more
        self.assertLessEqual(sum(1 for g in gaps if g < BACKOFF_INITIAL * 0.5), 1, gaps)
        # the first delayed retry honours reconnect_initial_delay (not 1 s, not 4 s)
        first = next(g for g in gaps if g >= BACKOFF_INITIAL * 0.5)
        self.assertLess(first, BACKOFF_INITIAL * 1.2 + 0.5, gaps)
        # grows to the cap: the last gaps are near reconnect_max_delay...
        self.assertGreater(gaps[-1], BACKOFF_MAX * 0.8 - 0.1, gaps)
        # ...and never beyond it (+20 % jitter, + slack for a slow machine)
        self.assertLess(max(gaps), BACKOFF_MAX * 1.2 + 1.0, gaps)
        # grows: the second half waits longer than the first
        self.assertGreater(sum(gaps[4:]), sum(gaps[:3]), gaps)

        self.bridge.key = KEY
        conn = self.accept(j, timeout=BACKOFF_MAX * 1.2 + 10)
        conn.ping()
        # back-off reset by the successful handshake: the next reconnection
        # is immediate (or after the initial delay), not after the cap
        t0 = time.monotonic()
        conn.close()
        conn2 = self.bridge.wait_connection(timeout=30, alive=j.alive)
        self.assertLess(conn2.connected_at - t0, BACKOFF_INITIAL * 1.2 + 0.35,
                        "back-off not reset after a successful handshake")

    def test_reply_other_than_handshake_success_is_a_failure(self):
        """Anything but handshake-success in reply is an authentication
        failure: the judge closes and tries again."""
        j = self.start_judge()
        for reply in ({"name": "handshake-failure"}, {"name": "ping", "when": 1.0}):
            with self.subTest(reply=reply["name"]):
                conn = self.bridge.wait_connection(timeout=CONNECT_TIMEOUT, alive=j.alive)
                conn.recv_handshake()
                conn.send(reply)
                self.assertTrue(conn.wait_closed(15), "the judge stayed after %r" % reply)
                self.assertTrue(conn.closed_by.startswith("judge"), conn.closed_by)
                self.assertTrue(j.alive())
        conn = self.accept(j, timeout=30)
        self.grade_ac(conn)

    def test_bridge_not_up_at_start(self):
        """Nothing listening yet: the judge keeps trying and connects when
        the bridge comes up."""
        port = free_port()
        self.bridge.stop()
        j = self.start_judge(port=port)
        time.sleep(4)
        self.assertTrue(j.alive(), "the judge exited while the bridge was down:\n" + j.tail())
        bridge = FakeBridge(key=KEY, name=NAME, port=port).start()
        self.bridges.append(bridge)
        conn = self.accept(j, timeout=BACKOFF_MAX * 1.2 + 15, bridge=bridge)
        self.grade_ac(conn)


# ====================================================================== grading

class Grading(LiveCase):
    def test_accepted_packet_sequence(self):
        """AC on aplusb (2 single cases, 2 batches): the exact sequence, the
        batch markers around the batches' cases, positions, points."""
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "C", AC_C, 1.0, 65536)
        shape = [n for n in sub.shape() if n != "compile-message"]
        self.assertEqual(shape, ["submission-acknowledged", "grading-begin", "test-case-status…",
                                 "batch-begin", "test-case-status…", "batch-end",
                                 "batch-begin", "test-case-status…", "batch-end",
                                 "grading-end"], sub.summary())
        self.assertIs(sub.pretested, False)
        self.assert_result(sub, "AC", 100, 100, ["AC"] * 10)
        self.assertEqual(sub.batches, APLUSB_BATCHES)
        self.assertEqual([c["position"] for c in sub.cases], list(range(1, 11)))
        self.assertEqual([c["total-points"] for c in sub.cases], APLUSB_POINTS)
        self.assertEqual([c["points"] for c in sub.cases], APLUSB_POINTS)
        self.assertEqual([c["status"] for c in sub.cases], [0] * 10)
        # coalescing is allowed, never more packets than cases
        self.assertLessEqual(sub.names.count("test-case-status"), 10)
        with open(os.path.join(APLUSB, "aplusb.1.out"), "rb") as f:
            first = f.read()[:64].decode()
        self.assertEqual(sub.cases[0]["output"], first)
        for c in sub.cases:
            self.assertGreater(c["memory"], 0)
            self.assertLess(c["time"], 1.0)

    def test_case_objects_have_every_member(self):
        """Every member of the contract's case table, with its type (PY3)."""
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "PY3", AC_PY, 2.0, 262144)
        self.assert_result(sub, "AC", 100, 100)
        for c in sub.cases:
            for member, kind in fb.CASE_MEMBERS.items():
                self.assertIn(member, c, "case %s" % c.get("position"))
                self.assertTrue(fb._type_ok(c[member], kind),
                                "case %s: %s = %r is not %s" % (c["position"], member,
                                                               c[member], kind))
            self.assertGreaterEqual(c["voluntary-context-switches"], 0)
            self.assertGreaterEqual(c["involuntary-context-switches"], 0)

    def test_wrong_answer_in_dependent_batch(self):
        """WA in batch 2: the rest of batch 2 is SC, reported inside its
        batch markers; the site's sum is 50/100."""
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "C11", WA_C, 1.0, 65536)
        self.assert_result(sub, "WA", 50, 100, ["AC"] * 6 + ["WA", "SC", "SC", "SC"])
        self.assertEqual(sub.batches, APLUSB_BATCHES)
        self.assertTrue(sub.cases[6]["status"] & fb.WA)
        for c in sub.cases[7:]:
            self.assertEqual(c["status"], fb.SC, c)
            self.assertEqual(c["points"], 0)
            self.assertEqual(c["total-points"], 50)

    def test_compile_error(self):
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "CPP11", CE_CPP, 1.0, 65536)
        self.assertEqual(sub.names, ["submission-acknowledged", "compile-error"])
        self.assertIn("error", sub.compile_log)
        self.assertEqual(sub.result, "CE")
        self.grade_ac(conn)

    def test_compile_warning_sends_compile_message(self):
        j, conn = self.online()
        src = "#warning live-test-warning-%d\n%s" % (random.randint(0, 10 ** 9), ANSWER42_C)
        sub = self.grade(conn, "answer42", "C", src)
        self.assertEqual(sub.names[:3], ["submission-acknowledged", "compile-message",
                                         "grading-begin"])
        self.assertIn("live-test-warning", sub.compile_message)
        self.assert_result(sub, "AC", 1, 1)

    def test_time_limit_exceeded(self):
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "C", TLE_C, 1.0, 65536)
        self.assert_result(sub, "TLE", 0, 100, ["TLE"] * 3 + ["SC"] * 7)
        self.assertEqual(sub.batches, APLUSB_BATCHES)
        for c in sub.cases[:3]:
            self.assertTrue(c["status"] & fb.TLE)
            self.assertGreaterEqual(c["time"], 0.9)
            self.assertEqual(c["points"], 0)

    def test_absurd_limits(self):
        """Limits are the site's to set, however odd: a vanishing time limit
        is the submission's TLE (it was an internal error), and limits too
        large for the kernel's types mean no limit that matters."""
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "C", AC_C, 1e-300, 65536)
        self.assertEqual(sub.errors(), [], sub.summary())
        self.assertEqual(sub.codes[0], "TLE", sub.summary())
        self.assertEqual(sub.result, "TLE", sub.summary())
        sub = self.grade(conn, "aplusb", "C", AC_C, 1e300, 2 ** 62)
        self.assertEqual(sub.errors(), [], sub.summary())
        self.assert_result(sub, "AC", 100, 100, ["AC"] * 10)

    def test_runtime_error(self):
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "CPP14", RTE_CPP, 1.0, 65536)
        self.assert_result(sub, "RTE", 0, 100, ["RTE"] * 3 + ["SC"] * 7)
        self.assertTrue(sub.cases[0]["status"] & fb.RTE)
        self.assertEqual(sub.cases[0]["feedback"], "segmentation fault")

    def test_other_verdicts(self):
        """IR, MLE, OLE reach the site with their flags."""
        j, conn = self.online()
        for lang, src, code, feedback in (("PY3", IR_PY, "IR", "ZeroDivisionError"),
                                          ("CPP20", MLE_CPP, "MLE", None),
                                          ("C", OLE_C, "OLE", None)):
            with self.subTest(code):
                sub = self.grade(conn, "aplusb", lang, src, 1.0, 65536)
                self.assert_result(sub, code, 0, 100, [code] * 3 + ["SC"] * 7)
                if feedback:
                    self.assertEqual(sub.cases[0]["feedback"], feedback)

    def test_short_circuit_requested_by_site(self):
        """short-circuit: true: the first failure makes every later case SC."""
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "C", TLE_C, 1.0, 65536, short_circuit=True)
        self.assert_result(sub, "TLE", 0, 100, ["TLE"] + ["SC"] * 9)
        self.assertEqual(sub.batches, APLUSB_BATCHES)

    def test_pretests(self):
        """meta.pretests-only: only the pretests, grading-begin says
        pretested; otherwise pretests (worth 0) then the tests."""
        j, conn = self.online()
        sub = self.grade(conn, "pre", "C", ANSWER42_C, pretests_only=True)
        self.assertIs(sub.pretested, True)
        self.assert_result(sub, "AC", codes=["AC"])
        sub = self.grade(conn, "pre", "C", ANSWER42_C)
        self.assertIs(sub.pretested, False)
        self.assert_result(sub, "AC", 20, 20, ["AC"] * 3)
        self.assertEqual([c["total-points"] for c in sub.cases], [0, 10, 10])

    def test_results_stream_while_grading(self):
        """Results are flushed while the submission runs (at least every
        0.25 s), not held until the end: case 1 of three 1-second cases
        reaches the site well before grading-end."""
        j, conn = self.online()
        sub = self.grade(conn, "slow3", "C", spin_c(1.0), 5.0)
        self.assert_result(sub, "AC", 3, 3)
        first, end = sub.case_arrival(1), sub.arrival("grading-end")
        self.assertLess(first, end - 1.0, "case 1 was held back until the end")
        self.assertLess(sub.case_arrival(2), end - 0.4)

    def test_non_ascii_source(self):
        """Sources with non-ASCII text arrive intact, whether the site
        escapes them (\\u00e9, surrogate pairs) or sends raw UTF-8."""
        j, conn = self.online()
        for lang, src in (("C", '#include <stdio.h>\n/* ✓ ünïcödé */\n'
                                'int main(void)\n{\n\tputs("é 😀");\n\treturn 0;\n}\n'),
                          ("PY3", 'print("é 😀")  # ✓\n')):
            for ascii_only in (True, False):
                with self.subTest(lang=lang, escaped=ascii_only):
                    sub_id = self.new_id()
                    conn.send({"name": "submission-request", "submission-id": sub_id,
                               "problem-id": "unicode", "language": lang, "source": src,
                               "time-limit": 2.0, "memory-limit": 262144,
                               "short-circuit": False,
                               "meta": {"pretests-only": False, "in-contest": None,
                                        "attempt-no": 1, "user": 1}},
                              ensure_ascii=ascii_only)
                    sub = conn.collect(sub_id, GRADE_TIMEOUT)
                    self.assertEqual(sub.errors(), [], sub.summary())
                    self.assert_result(sub, "AC", 1, 1)
                    self.assertEqual(sub.cases[0]["output"], "é 😀\n")

    def test_program_output_bytes_are_valid_json_text(self):
        """Output prefixes: invalid UTF-8 becomes U+FFFD (a character cut
        by the 64-byte prefix too), control characters and NUL survive
        (JSON-escaped)."""
        j, conn = self.online()
        progs = [
            (r'fputs("\377\376" "42\n", stdout);', "\ufffd\ufffd42\n"),
            (r'for (int i = 0; i < 63; i++) putchar(97); fputs("\303\251\n", stdout);',
             "a" * 63 + "\ufffd"),
            (r'fwrite("\0\1\033[31m42\n", 1, 10, stdout);', "\x00\x01\x1b[31m42\n"),
        ]
        for body, expect in progs:
            with self.subTest(expect=expect):
                src = "#include <stdio.h>\nint main(void)\n{\n\t%s\n\treturn 0;\n}\n" % body
                sub = self.grade(conn, "answer42", "C", src)
                self.assertEqual(sub.cases[0]["output"], expect)

    def test_frames_stay_under_8_mib(self):
        """A 20 MB output prefix (output_prefix_length in init.yml) cannot
        fit a site frame: the judge truncates it so that the frame stays
        within 8 MiB (the bridge checks every frame) and the case still
        arrives, its output a prefix of what the program printed."""
        j, conn = self.online()
        sub = self.grade(conn, "bigprefix", "C", BIG_OUTPUT_C, 5.0)
        self.assert_result(sub, "WA", 0, 1)
        out = sub.cases[0]["output"]
        self.assertTrue(out, "the output prefix is empty")
        self.assertLess(len(out), BIG_OUTPUT)
        start = big_output_start(min(len(out), 2000))
        self.assertEqual(out[:len(start)], start, "not a prefix of the program's output")
        self.grade_ac(conn)

    def test_large_source(self):
        """A source of about 500 KiB (a frame of about 270 KiB, many TCP
        segments) is graded. (The judge may cap sources at 1 MiB.)"""
        j, conn = self.online()
        junk = os.urandom(250 * 1024).hex()
        src = "/* %s */\n%s" % ("\n".join(junk[i:i + 100] for i in range(0, len(junk), 100)),
                                ANSWER42_C)
        sub = self.grade(conn, "answer42", "C", src)
        self.assert_result(sub, "AC", 1, 1)

    def test_integer_time_limit(self):
        """time-limit is a JSON number: 2 is as good as 2.0."""
        j, conn = self.online()
        sub = self.grade(conn, "aplusb", "C", AC_C, **{"time-limit": 2})
        self.assert_result(sub, "AC", 100, 100)

    def test_unknown_problem_and_language(self):
        """Acknowledged, then internal-error naming what is missing; the
        judge carries on."""
        j, conn = self.online()
        sub = self.grade(conn, "no-such-problem", "C", AC_C)
        self.assertEqual(sub.names, ["submission-acknowledged", "internal-error"])
        self.assertIn("no-such-problem", sub.message)
        sub = self.grade(conn, "aplusb", "COBOL85", AC_C)
        self.assertEqual(sub.names, ["submission-acknowledged", "internal-error"])
        self.assertIn("COBOL85", sub.message)
        self.grade_ac(conn)


# ================================================================ control packets

class Control(LiveCase):
    def test_ping_when_idle(self):
        j, conn = self.online()
        rtt, resp = conn.ping()
        self.assertLess(rtt, PING_LIMIT)
        self.assertAlmostEqual(resp["time"], time.time(), delta=5)
        ncpu = os.cpu_count()
        self.assertTrue(1 <= resp["cpu-count"] <= ncpu, resp)
        if resp["load"] != -1:
            self.assertAlmostEqual(resp["load"], os.getloadavg()[0] / resp["cpu-count"],
                                   delta=0.5)

    def test_ping_while_five_second_submission_runs(self):
        """Pings are answered at once while a 5-second program runs."""
        j, conn = self.online()
        sub_id = self.start_spin(conn, 5.0)
        rtts = []
        t_end = time.monotonic() + 3.5
        while time.monotonic() < t_end:
            rtt, _ = conn.ping(timeout=10)
            rtts.append(rtt)
            time.sleep(0.2)
        last_pong = conn.received[-1][0]
        sub = conn.collect(sub_id, GRADE_TIMEOUT)
        self.assertEqual(sub.errors(), [], sub.summary())
        self.assert_result(sub, "AC", 1, 1)
        self.assertGreaterEqual(sub.cases[0]["time"], 4.5, "the program really ran")
        self.assertGreater(sub.arrival("grading-end"), last_pong, "pings were during grading")
        sys.stderr.write("\n  [measure] ping while grading: %d pings, median %.1f ms, "
                         "max %.1f ms\n" % (len(rtts), statistics.median(rtts) * 1000,
                                            max(rtts) * 1000))
        self.assertGreaterEqual(len(rtts), 5)
        self.assertLess(max(rtts), PING_LIMIT, rtts)

    def test_current_submission(self):
        """null when idle, the id while grading, null again after."""
        j, conn = self.online()
        self.assertIsNone(conn.current_submission())
        sub_id = self.start_spin(conn, 3.0)
        self.assertEqual(conn.current_submission(), sub_id)
        sub = conn.collect(sub_id, GRADE_TIMEOUT)
        self.assert_result(sub, "AC")
        self.assertIsNone(conn.current_submission())

    def test_terminate_mid_case(self):
        """terminate-submission while a program spins: submission-terminated
        at once, the program is killed, nothing more for that submission,
        and the judge grades the next one."""
        j, conn = self.online()
        sub_id = self.start_spin(conn, None)
        time.sleep(1.0)
        t0 = time.monotonic()
        conn.terminate()
        sub = conn.collect(sub_id, timeout=30)
        took = sub.arrival("submission-terminated") - t0
        self.assertEqual(sub.errors(), [], sub.summary())
        self.assertEqual(sub.final, "submission-terminated", sub.summary())
        self.assertLess(took, ABORT_LIMIT)
        self.assertNotIn("grading-end", sub.names)
        self.assert_no_programs_left()
        self.assert_no_zombies(j)
        self.assertEqual(conn.expect_none(lambda p: p.get("submission-id") == sub_id, 1.5), [])
        self.assertIsNone(conn.current_submission())
        self.grade_ac(conn)

    def test_terminate_naming_the_submission(self):
        """Newer sites add submission-id to terminate-submission."""
        j, conn = self.online()
        sub_id = self.start_spin(conn, None)
        conn.terminate(sub_id)
        sub = conn.collect(sub_id, timeout=30)
        self.assertEqual(sub.final, "submission-terminated", sub.summary())
        self.assert_no_programs_left()
        self.grade_ac(conn)

    def test_many_aborts_leave_no_zombies(self):
        """Each aborted grading used to leave its program as a zombie child
        of the judge: a judge running for months would run out of process
        ids. Several aborts in a row, then none may be left."""
        j, conn = self.online()
        for _ in range(3):
            sub_id = self.start_spin(conn, None)
            conn.terminate()
            sub = conn.collect(sub_id, timeout=30)
            self.assertEqual(sub.final, "submission-terminated", sub.summary())
        self.assert_no_programs_left()
        self.assert_no_zombies(j)
        self.grade_ac(conn)

    def test_terminate_when_idle_is_ignored(self):
        j, conn = self.online()
        conn.terminate()
        got = conn.expect_none(lambda p: p["name"] in fb.SUBMISSION_PACKETS, 1.5)
        self.assertEqual(got, [])
        conn = self.serving(j, conn, "stay", "terminate-submission when idle")
        self.grade_ac(conn)

    def test_second_submission_while_busy(self):
        """A submission-request while grading: internal-error for the new id
        (an acknowledgement before it is tolerated), the first completes."""
        j, conn = self.online()
        first = self.start_spin(conn, 3.0)
        second = self.new_id()
        conn.submit(second, "aplusb", "C", AC_C, 1.0, 65536)
        sub2 = conn.collect(second, timeout=30)
        self.assertIn(sub2.names, (["internal-error"],
                                   ["submission-acknowledged", "internal-error"]), sub2.summary())
        self.assertTrue(sub2.message)
        self.assertEqual(conn.current_submission(), first)
        sub1 = conn.collect(first, GRADE_TIMEOUT)
        self.assertEqual(sub1.errors(), [], sub1.summary())
        self.assert_result(sub1, "AC", 1, 1)
        self.grade_ac(conn)

    def test_disconnect_when_idle(self):
        j, conn = self.online()
        conn.disconnect()
        self.assert_exits(j, 0)
        self.assertEqual(temp_left(self.tmp), [])

    def test_disconnect_while_grading(self):
        j, conn = self.online()
        self.start_spin(conn, None)
        conn.disconnect()
        self.assert_exits(j, 0)
        self.assert_no_programs_left()
        self.assertEqual(temp_left(self.tmp), [])

    def test_judge_killed_takes_its_grading_with_it(self):
        """kill -9 of the judge alone: its worker and the program it runs
        end with it (they are not left grading for nobody). Ended, not
        gone: who reaps them then is the machine's init."""
        j, conn = self.online()
        self.start_spin(conn, None)
        tree = wait_until(lambda: len(descendants_of(j.pid)) >= 2 and descendants_of(j.pid), 10)
        self.assertTrue(tree, "no worker and program under the judge")
        j.killed = True  # its working folder stays: nobody was left to remove it
        os.kill(j.pid, signal.SIGKILL)
        j.proc.wait(10)
        left = wait_until(lambda: not [p for p in tree if running(p)], 5)
        self.assertTrue(left, "still running after the judge was killed: %s"
                        % [p for p in tree if running(p)])

    def test_sigterm_when_idle(self):
        j, conn = self.online()
        j.signal(signal.SIGTERM)
        self.assert_exits(j, 0)
        self.assertTrue(conn.wait_closed(5))
        self.assertEqual(temp_left(self.tmp), [])

    def test_sigterm_while_grading(self):
        """SIGTERM: the running submission is reported (internal-error or
        submission-terminated), the program killed, folders removed, exit 0."""
        self._signal_while_grading(signal.SIGTERM)

    def test_sigint_while_grading(self):
        self._signal_while_grading(signal.SIGINT)

    def _signal_while_grading(self, sig):
        j, conn = self.online()
        sub_id = self.start_spin(conn, None)
        time.sleep(0.5)
        j.signal(sig)
        sub = conn.collect(sub_id, timeout=EXIT_TIMEOUT)
        self.assertIn(sub.final, ("internal-error", "submission-terminated"), sub.summary())
        self.assert_exits(j, 0)
        self.assert_no_programs_left()
        self.assertEqual(temp_left(self.tmp), [])


# ================================================================= reconnection

class Reconnection(LiveCase):
    def test_reconnects_at_once_with_a_new_handshake(self):
        """The bridge closes an idle connection: the first reconnection
        attempt is immediate (the initial delay here is 2 s), with a full
        handshake again."""
        self.config = self.write_config(reconnect_initial_delay=2, reconnect_max_delay=4)
        j, conn = self.online()
        t0 = time.monotonic()
        conn.close()
        conn2 = self.accept(j, timeout=30)
        self.assertLess(conn2.connected_at - t0, 1.2, "first reconnection attempt not immediate")
        self.assertEqual(fb.handshake_errors(conn2.handshake), [])
        self.assertEqual(sorted(conn2.handshake["problems"]), sorted(conn.handshake["problems"]))
        self.assertEqual(conn2.handshake["executors"], conn.handshake["executors"])
        self.grade_ac(conn2)

    def test_bridge_killed_and_restarted_mid_grading(self):
        """The bridge dies (TCP reset) during a 5-second submission and
        comes back: the judge reconnects, handshakes, logs the lost id,
        sends nothing stale for it, and grades the next submission."""
        j, conn = self.online()
        lost = self.start_spin(conn, 5.0)
        time.sleep(0.5)
        self.bridge.stop(abort=True)
        time.sleep(1.0)
        self.assertTrue(j.alive(), "the judge exited when the bridge died:\n" + j.tail())
        self.bridge.start()
        conn2 = self.accept(j, timeout=30)
        self.assertEqual(fb.handshake_errors(conn2.handshake), [])
        stale = conn2.expect_none(lambda p: p.get("submission-id") == lost, duration=7)
        self.assertEqual(stale, [], "stale results for the lost submission")
        self.assertIn(str(lost), j.log(), "the lost submission id is logged")
        self.assert_no_programs_left()
        self.assert_no_zombies(j)
        self.assertIsNone(conn2.current_submission())
        self.grade_ac(conn2)

    def test_bridge_down_for_a_while(self):
        j, conn = self.online()
        self.bridge.stop()
        time.sleep(5)
        self.assertTrue(j.alive(), "the judge exited while the bridge was down:\n" + j.tail())
        self.bridge.start()
        conn2 = self.accept(j, timeout=BACKOFF_MAX * 1.2 + 15)
        self.grade_ac(conn2)


# ============================================================== malformed input

class Malformed(LiveCase):
    """Whatever the bridge sends, the judge survives; after each fault it is
    still connected or reconnects, and grades the next submission."""

    def run_faults(self, faults, expect="either"):
        j, conn = self.online()
        for what, data in faults:
            with self.subTest(what):
                conn.send_raw(data)
                conn = self.serving(j, conn, expect, what)
                self.grade_ac(conn)
        self.assertTrue(j.alive())

    def test_undecodable_frames(self):
        body = b'{"name":"ping","when":1.0}'
        z = zlib.compress(body)
        raw = zlib.compressobj(wbits=-15)
        deflate = raw.compress(body) + raw.flush()
        self.run_faults([
            ("not zlib", fb.frame_payload(b"\x00this is not zlib at all")),
            ("gzip instead of zlib", fb.frame_payload(gzip.compress(body))),
            ("raw deflate instead of zlib", fb.frame_payload(deflate)),
            ("truncated zlib stream", fb.frame_payload(z[:-6])),
            ("garbage after the zlib stream", fb.frame_payload(z + b"garbage")),
            ("empty frame", fb.frame_payload(b"")),
        ])

    def test_bad_json(self):
        def frame(text):
            return fb.frame_payload(zlib.compress(text))
        self.run_faults([
            ("not JSON", frame(b"this is not JSON")),
            ("truncated JSON", frame(b'{"name":"ping","when":')),
            ("invalid UTF-8", frame(b'{"name":"ping","when":1.0,"x":"\xff\xfe"}')),
            ("JSON array", frame(b'["ping", 1.0]')),
            ("JSON null", frame(b"null")),
            ("JSON string", frame(b'"ping"')),
            ("JSON without name", frame(b'{"when":1.0}')),
            ("name not a string", frame(b'{"name":5}')),
            ("name null", frame(b'{"name":null}')),
        ])

    def test_unknown_packet_name_is_ignored(self):
        """Logged and ignored: the connection stays, nothing is answered."""
        j, conn = self.online()
        conn.send({"name": "frobnicate", "submission-id": 1, "x": [1, 2, 3]})
        self.assertEqual(conn.expect_none(duration=1.0), [])
        conn = self.serving(j, conn, "stay", "an unknown packet")
        self.grade_ac(conn)

    def test_oversized_length_prefix(self):
        """A length just over the default 64 MiB limit: the judge drops the
        connection without waiting for the body, and reconnects."""
        j, conn = self.online()
        conn.send_raw(struct.pack(">I", 64 * 1024 * 1024 + 1))
        conn = self.serving(j, conn, "drop", "a 64 MiB + 1 length prefix")
        self.grade_ac(conn)

    def test_huge_length_prefix_is_not_allocated(self):
        """A 4 GiB length prefix: refused, not allocated (the judge's peak
        virtual size does not grow by anything like it)."""
        j, conn = self.online()
        conn.ping()
        before = j.status_kib("VmPeak")
        conn.send_raw(b"\xff\xff\xff\xff" + b"\x78\x9c")
        conn = self.serving(j, conn, "drop", "a 4 GiB length prefix")
        after = j.status_kib("VmPeak")
        if before and after:
            self.assertLess(after - before, 1024 * 1024, "VmPeak grew %d KiB" % (after - before))
        self.grade_ac(conn)

    def test_configured_packet_limit(self):
        """max_packet_size: a valid 2 MiB frame over a 1 MiB limit is
        refused (connection dropped, not acknowledged)."""
        self.config = self.write_config(max_packet_size=1024 * 1024)
        j, conn = self.online()
        big_id = self.new_id()
        src = "/* %s */\n%s" % (__import__("base64").b64encode(os.urandom(2 << 20)).decode(),
                                ANSWER42_C)
        frame = fb.encode_frame({"name": "submission-request", "submission-id": big_id,
                                 "problem-id": "answer42", "language": "C", "source": src,
                                 "time-limit": 2.0, "memory-limit": 262144,
                                 "short-circuit": False, "meta": {}})
        self.assertGreater(len(frame), 3 << 19)  # > 1.5 MiB
        try:
            conn.send_raw(frame)
        except ConnectionClosed:
            pass  # the judge may close before taking it all
        conn2 = self.serving(j, conn, "drop", "a frame over max_packet_size")
        for c in (conn, conn2):
            self.assertFalse([p for _, p in c.received if p.get("submission-id") == big_id])
        self.grade_ac(conn2)

    def test_stream_stops_mid_frame(self):
        """The bridge sends half a frame and closes: the judge reconnects."""
        j, conn = self.online()
        frame = fb.encode_frame({"name": "submission-request", "submission-id": self.new_id(),
                                 "problem-id": "aplusb", "language": "C", "source": AC_C,
                                 "time-limit": 1.0, "memory-limit": 65536,
                                 "short-circuit": False, "meta": {}})
        conn.send_raw(frame[:len(frame) // 2])
        time.sleep(0.3)
        conn.close()
        self.assertTrue(j.alive())
        conn2 = self.accept(j, timeout=30)
        self.grade_ac(conn2)

    def test_stream_pauses_mid_frame_while_grading(self):
        """Half a frame arrives during grading and the rest only later:
        results keep flowing meanwhile, then the completed packet is
        handled."""
        j, conn = self.online()
        sub_id = self.start_spin(conn, 2.0)
        when = 12345.5
        frame = fb.encode_frame({"name": "ping", "when": when})
        conn.send_raw(frame[:5])
        sub = conn.collect(sub_id, GRADE_TIMEOUT)
        self.assert_result(sub, "AC", 1, 1)
        conn.send_raw(frame[5:])
        resp = conn.recv(name="ping-response", timeout=10)
        self.assertEqual(resp["when"], when)
        self.grade_ac(conn)

    def test_frame_split_into_single_bytes(self):
        j, conn = self.online()
        sub_id = self.new_id()
        conn.send({"name": "submission-request", "submission-id": sub_id, "problem-id": "aplusb",
                   "language": "C", "source": AC_C, "time-limit": 1.0, "memory-limit": 65536,
                   "short-circuit": False,
                   "meta": {"pretests-only": False, "in-contest": None, "attempt-no": 1,
                            "user": 1}}, chunk=1, delay=0.002)
        sub = conn.collect(sub_id, GRADE_TIMEOUT)
        self.assertEqual(sub.errors(), [], sub.summary())
        self.assert_result(sub, "AC", 100, 100)
        conn.send({"name": "ping", "when": 7.25}, chunk=3, delay=0.05)
        self.assertEqual(conn.recv(name="ping-response", timeout=10)["when"], 7.25)

    def test_several_frames_in_one_write(self):
        j, conn = self.online()
        sub_id = self.new_id()
        data = (fb.encode_frame({"name": "ping", "when": 1.5})
                + fb.encode_frame({"name": "get-current-submission"})
                + fb.encode_frame({"name": "ping", "when": 2.5})
                + fb.encode_frame({"name": "submission-request", "submission-id": sub_id,
                                   "problem-id": "aplusb", "language": "C", "source": AC_C,
                                   "time-limit": 1.0, "memory-limit": 65536,
                                   "short-circuit": False,
                                   "meta": {"pretests-only": False, "in-contest": None,
                                            "attempt-no": 1, "user": 1}}))
        conn.send_raw(data)
        self.assertEqual(conn.recv(name="ping-response", timeout=10)["when"], 1.5)
        self.assertIsNone(conn.recv(name="current-submission-id", timeout=10)["submission-id"])
        self.assertEqual(conn.recv(name="ping-response", timeout=10)["when"], 2.5)
        sub = conn.collect(sub_id, GRADE_TIMEOUT)
        self.assert_result(sub, "AC", 100, 100)

    def request(self, sub_id, **changes):
        pkt = {"name": "submission-request", "submission-id": sub_id, "problem-id": "aplusb",
               "language": "C", "source": AC_C, "time-limit": 1.0, "memory-limit": 65536,
               "short-circuit": False,
               "meta": {"pretests-only": False, "in-contest": None, "attempt-no": 1, "user": 1}}
        for k, v in changes.items():
            if v is Ellipsis:
                del pkt[k]
            else:
                pkt[k] = v
        return pkt

    def _bad_requests(self, cases):
        j, conn = self.online()
        for member, value in cases:
            with self.subTest(member=member, value=value):
                sub_id = self.new_id()
                conn.send(self.request(sub_id, **{member: value}))
                sub = conn.collect(sub_id, timeout=30)
                self.assertEqual(sub.errors(), [], sub.summary())
                self.assertEqual(sub.names, ["submission-acknowledged", "internal-error"],
                                 sub.summary())
                self.assertTrue(member in sub.message or member.replace("-", "_") in sub.message,
                                "the message does not name %r: %r" % (member, sub.message))
                conn = self.serving(j, conn, "stay", "a bad submission-request")
        self.grade_ac(conn)

    def test_submission_request_missing_members(self):
        """Acknowledged (the id is readable), then internal-error naming the
        missing member."""
        self._bad_requests([(m, Ellipsis) for m in
                            ("problem-id", "language", "source", "time-limit", "memory-limit")])

    def test_submission_request_mistyped_members(self):
        self._bad_requests([("problem-id", 17), ("language", ["C"]), ("source", 12345),
                            ("time-limit", "1.0"), ("memory-limit", "65536"),
                            ("problem-id", None)])

    def test_submission_request_unreadable_id(self):
        """No usable id: nothing can be acknowledged; the judge carries on."""
        j, conn = self.online()
        for value in (Ellipsis, "abc", None, [1]):
            with self.subTest(value=value):
                conn.send(self.request(1, **{"submission-id": value}))
                conn = self.serving(j, conn, "either", "a request without a usable id")
                acks = [p for _, p in conn.received if p["name"] == "submission-acknowledged"
                        and not fb._is_int(p.get("submission-id"))]
                self.assertEqual(acks, [])
                got = conn.expect_none(lambda p: p["name"] in ("grading-begin",
                                                               "test-case-status"), 1.0)
                self.assertEqual(got, [], "graded a request without an id")
        self.grade_ac(conn)

    def test_odd_packets_do_not_crash(self):
        """Packets with missing or strange members, or out of place."""
        odd = [{"name": "ping"}, {"name": "ping", "when": "soon"}, {"name": "ping", "when": None},
               {"name": "handshake-success"}, {"name": "get-current-submission", "x": {"y": 1}},
               {"name": "terminate-submission", "submission-id": "all"},
               {"name": "submission-request"},
               {"name": "submission-request", "submission-id": self.new_id(), "meta": "none"},
               {"name": "ping", "when": 1.0, "extra": ["a" * 1000] * 100}]
        j, conn = self.online()
        for pkt in odd:
            with self.subTest(pkt=json.dumps(pkt)[:80]):
                conn.send(pkt)
                conn = self.serving(j, conn, "either", "packet %s" % json.dumps(pkt)[:80])
        self.grade_ac(conn)


# ============================================================== problem updates

class ProblemUpdates(LiveCase):
    def setUp(self):
        super().setUp()
        self.local = os.path.join(self.dir, "problems")
        make_problems(self.local)
        self.staging = os.path.join(self.dir, "staging")
        os.makedirs(self.staging)
        self.globs = [PROBLEMS, self.local]
        self.config = self.write_config()

    def add_problem(self, code):
        """Creates a problem folder atomically (made aside, then renamed in)."""
        d = os.path.join(self.staging, code)
        write(os.path.join(d, "init.yml"), "test_cases:\n- {in: in.txt, out: out.txt, points: 1}\n")
        write(os.path.join(d, "in.txt"), "")
        write(os.path.join(d, "out.txt"), "42\n")
        final = os.path.join(self.local, code)
        os.rename(d, final)
        return final

    def wait_problems(self, conn, pred, what, timeout=20):
        def ok(p):
            return pred({code: mtime for code, mtime in p["problems"]})
        try:
            return conn.recv(ok, name="supported-problems", timeout=timeout)
        except BridgeTimeout as e:
            self.fail("no supported-problems %s within %d s (%s)" % (what, timeout, e))

    def test_new_problem_folder_announced(self):
        j, conn = self.online()
        folder = self.add_problem("newprob")
        pkt = self.wait_problems(conn, lambda ps: "newprob" in ps, "with the new problem")
        got = dict((c, m) for c, m in pkt["problems"])
        self.assertAlmostEqual(got["newprob"], os.stat(folder).st_mtime, delta=0.01)
        self.assertEqual(sorted(got), sorted(problem_folders(self.globs)))
        self.grade(conn, "newprob", "C", ANSWER42_C)

    def test_removed_problem_announced(self):
        j, conn = self.online()
        self.assertIn("answer42", [c for c, _ in conn.handshake["problems"]])
        shutil.rmtree(os.path.join(self.local, "answer42"))
        self.wait_problems(conn, lambda ps: "answer42" not in ps and "aplusb" in ps,
                           "without the removed problem")

    def test_changed_problem_folder_mtime_announced(self):
        j, conn = self.online()
        folder = os.path.join(self.local, "answer42")
        old = dict((c, m) for c, m in conn.handshake["problems"])["answer42"]
        time.sleep(0.05)
        write(os.path.join(folder, "extra.txt"), "new data\n")
        new = os.stat(folder).st_mtime
        self.assertNotEqual(new, old)
        self.wait_problems(conn, lambda ps: abs(ps.get("answer42", 0) - new) < 0.01,
                           "with answer42's new mtime")

    def test_no_watchdog_only_sigusr2(self):
        """--no-watchdog: a new folder is not noticed by itself; SIGUSR2
        rescans and sends supported-problems."""
        j, conn = self.online("--no-watchdog")
        self.add_problem("quiet")
        self.assertEqual(conn.expect_none(name="supported-problems", duration=3), [])
        j.signal(signal.SIGUSR2)
        self.wait_problems(conn, lambda ps: "quiet" in ps, "after SIGUSR2", timeout=15)
        self.assertTrue(j.alive())

    def test_reconnection_handshake_has_a_fresh_problem_list(self):
        j, conn = self.online("--no-watchdog")
        self.add_problem("fresh")
        conn.close()
        conn2 = self.accept(j, timeout=30)
        self.assertIn("fresh", [c for c, _ in conn2.handshake["problems"]])

    def test_sigusr2_sends_supported_problems(self):
        j, conn = self.online()
        j.signal(signal.SIGUSR2)
        pkt = self.wait_problems(conn, lambda ps: True, "after SIGUSR2", timeout=15)
        self.assertEqual(sorted(c for c, _ in pkt["problems"]),
                         sorted(c for c, _ in conn.handshake["problems"]))
        self.grade_ac(conn)


# =========================================================================== TLS

def openssl(*args, cwd):
    p = subprocess.run(["openssl"] + list(args), cwd=cwd, capture_output=True, text=True)
    if p.returncode:
        raise RuntimeError("openssl %s: %s" % (" ".join(args), p.stderr))


def make_ca(d, name):
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-keyout", name + ".key", "-out", name + ".pem", "-days", "3",
            "-subj", "/CN=%s" % name, "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=d)


def make_server_cert(d, name, ca, sans):
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", name + ".key", "-out", name + ".csr", "-subj", "/CN=%s" % name, cwd=d)
    with open(os.path.join(d, name + ".ext"), "w") as f:
        f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n" % sans)
    openssl("x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem", "-CAkey", ca + ".key",
            "-CAcreateserial", "-out", name + ".pem", "-days", "3", "-extfile", name + ".ext",
            cwd=d)


@unittest.skipUnless(shutil.which("openssl"), "needs the openssl command")
class Tls(LiveCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.certs = os.path.join(cls.scratch, "certs")
        os.makedirs(cls.certs)
        make_ca(cls.certs, "test-ca")
        make_ca(cls.certs, "other-ca")
        make_server_cert(cls.certs, "good", "test-ca", "DNS:localhost,IP:127.0.0.1")
        make_server_cert(cls.certs, "wronghost", "test-ca", "DNS:wrong-host.example")

    def cert(self, name):
        return os.path.join(self.certs, name)

    def tls_bridge(self, server):
        self.bridge.stop()
        self.bridges.remove(self.bridge)
        self.bridge = FakeBridge(key=KEY, name=NAME, certfile=self.cert(server + ".pem"),
                                 keyfile=self.cert(server + ".key"), extra_hosts=("::1",)).start()
        self.bridges.append(self.bridge)
        return self.bridge

    def assert_refused(self, j):
        """The judge refuses the bridge's certificate: TLS never completes,
        no handshake is sent, the judge keeps trying and stays up."""
        ok = wait_until(lambda: len(self.bridge.tls_failures) >= 2 or not j.alive(), 30)
        self.assertTrue(j.alive(), "the judge exited on a certificate failure:\n" + j.tail())
        self.assertTrue(ok, "expected repeated TLS failures; attempts: %d, failures: %s"
                        % (len(self.bridge.attempts), self.bridge.tls_failures))
        self.assertEqual([c for c in self.bridge.connections if c.received], [],
                         "the judge sent its handshake to an unverified bridge")

    def test_good_certificate_accepted(self):
        self.tls_bridge("good")
        j, conn = self.online("-s", "-T", self.cert("test-ca.pem"), host="localhost")
        self.assertTrue(conn.tls)
        rtt, _ = conn.ping()
        self.assertLess(rtt, PING_LIMIT)
        self.grade_ac(conn)
        sub = self.grade(conn, "answer42", "C", "/* %s */\n%s" % (os.urandom(100000).hex(),
                                                                  ANSWER42_C))
        self.assert_result(sub, "AC", 1, 1)

    def test_sni_names_the_host(self):
        """The TLS client hello names the host (as DMOJ's judge does), so a
        site behind a name-routing proxy works."""
        self.tls_bridge("good")
        j, conn = self.online("-s", "-T", self.cert("test-ca.pem"), host="localhost")
        self.assertIn("localhost", self.bridge.sni_names)

    def test_wrong_host_name_refused(self):
        self.tls_bridge("wronghost")
        j = self.start_judge("-s", "-T", self.cert("test-ca.pem"), host="localhost")
        self.assert_refused(j)

    def test_untrusted_ca_refused(self):
        self.tls_bridge("good")
        j = self.start_judge("-s", "-T", self.cert("other-ca.pem"), host="localhost")
        self.assert_refused(j)

    def test_system_store_does_not_know_a_private_ca(self):
        self.tls_bridge("good")
        j = self.start_judge("-s", host="localhost")
        self.assert_refused(j)

    def test_no_certificate_check_accepts_any(self):
        """-k: an untrusted certificate for another host name is accepted."""
        self.tls_bridge("wronghost")
        j, conn = self.online("-s", "-k", host="localhost")
        self.grade_ac(conn)


# ================================================================= measurements

class Measurements(LiveCase):
    def test_report_startup_ping_and_memory(self):
        """Prints the figures the issue's closing note asks for (how they
        are measured is in each line); asserts only sanity."""
        out = []
        for label, kw in (("self-tests on, cold cache", dict(self_test=True)),
                          ("self-tests on, warm cache", dict(self_test=True)),
                          ("--skip-self-test", dict())):
            j = self.start_judge(**kw)
            conn = self.accept(j)
            out.append("process start to handshake-success (%s): %.3f s"
                       % (label, conn.handshake_at - j.started))
            if label != "--skip-self-test":
                conn.disconnect()
                self.assert_exits(j)
        rtts = [conn.ping()[0] for _ in range(20)]
        out.append("ping round trip idle (20 pings, bridge send to response receipt): "
                   "median %.2f ms, max %.2f ms" % (statistics.median(rtts) * 1000,
                                                    max(rtts) * 1000))
        time.sleep(0.5)
        out.append("judge VmRSS idle (/proc/PID/status): %s KiB" % j.status_kib("VmRSS"))
        sub_id = self.start_spin(conn, 4.0)
        rtts, rss = [], []
        t_end = time.monotonic() + 3
        while time.monotonic() < t_end:
            rtts.append(conn.ping()[0])
            rss.append(j.status_kib("VmRSS") or 0)
            time.sleep(0.1)
        sub = conn.collect(sub_id, GRADE_TIMEOUT)
        self.assert_result(sub, "AC")
        out.append("ping round trip while a 4 s CPU-bound submission runs (%d pings): "
                   "median %.2f ms, max %.2f ms" % (len(rtts), statistics.median(rtts) * 1000,
                                                    max(rtts) * 1000))
        out.append("judge (parent process) VmRSS while grading: max %d KiB" % max(rss))
        sys.stderr.write("\n" + "".join("  [measure] %s\n" % line for line in out))
        self.assertLess(max(rtts), PING_LIMIT)


if __name__ == "__main__":
    unittest.main(verbosity=2)
