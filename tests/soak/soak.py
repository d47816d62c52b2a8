#!/usr/bin/env python3
"""Soak test: the live judge grading a long run of submissions the way a site
sends them, against the fake bridge (tests/bridge/fake_bridge.py).

One judge process (started as tests/e2e/test_live.py starts it: its own
config, temp folder and compiled-binary cache in a scratch folder, the
bundled problems plus a one-case problem of its own; with its start-up
self-tests, as a site runs it) gets N submissions
(default 2000; SOAK_N or --count), one at a time, each kind its share of
N, in an order shuffled with a fixed seed (--seed):

    c-ac       aplusb in C, accepted (10 cases, two batches)     38 %
    py-ac      aplusb in Python 3, accepted                      25 %
    c-wa       aplusb in C, wrong answer on the second batch     15 %
    c-ce       C that does not compile                           10 %
    c-tle      a C program spinning past a 0.25 s time limit      5 %
    abort      terminate-submission while its case runs           5 %
    malformed  a bad packet: submission-request with a missing
               or mistyped member (acknowledged, internal-error
               naming the member), or one the judge must ignore
               (unknown name, no name, non-integer id,
               terminate-submission while idle)                   2 %
    drop       the bridge killed (TCP reset) while a submission
               runs, then restarted: the judge must reconnect     5 per 2000 (at least 1)

Every source is unique (a comment names its submission), as on a site.
The bridge pings every 10 s, as a site does.

It asserts:
- every submission sent on a live connection is acknowledged once and
  ends exactly once (grading-end, compile-error, internal-error or
  submission-terminated), with the result its kind calls for, and nothing
  about it comes on any other connection;
- a submission abandoned by a bridge drop ends on neither connection
  (docs/protocol.md, Reconnection: the site has failed it, nothing is
  sent on the next connection) and the judge logs its id as abandoned;
- the packets the judge ignores get no answer, and the connection stays;
- the fake bridge recorded no protocol violations;
- samples taken every 50 submissions, with the judge idle, stay flat after
  a warm-up (the first sample after it is compared with the last one):
  resident memory (VmRSS) at most +2 MiB (not checked on an
  AddressSanitizer build, which keeps freed memory by design), open
  descriptors +0, child processes (zombies included) +0, entries in the
  judge's temp folder +0, processes of the sandbox user that come from
  this judge +0. The sandbox user is `nobody` when run as root (else the
  judge's own user); a process counts as this judge's when it descends
  from the judge, or its working folder or executable lies in the scratch
  folder, so that other programs on the machine running as nobody are not
  counted;
- on SIGTERM the judge exits with status 0 within 15 s, its temp folder
  is empty and no process it started is left.

No timing assertions: every wait is generous, for a slow, loaded machine.

Standard library only: `/usr/bin/python3 tests/soak/soak.py [--count N]`.
The judge binary comes from $JUDGE, else build/judge. Exit status 0 when
everything held, 1 otherwise (each failure printed as a FAIL line).
"""
import argparse
import collections
import os
import pwd
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time

sys.dont_write_bytecode = True  # no __pycache__ in the tree
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "bridge"))

import fake_bridge as fb  # noqa: E402

JUDGE = os.environ.get("JUDGE") or os.path.join(ROOT, "build", "judge")
PROBLEMS = os.path.join(ROOT, "tests", "problems")
APLUSB = os.path.join(PROBLEMS, "aplusb")
NAME = "soak"
KEY = "soak-K3y-4e1f0a77"

# Generous: the machine may be slow and loaded.
CONNECT_TIMEOUT = 120  # start or restart to handshake
GRADE_TIMEOUT = 300  # one submission
PING_TIMEOUT = 60
EXIT_TIMEOUT = 15  # SIGTERM to exit
SETTLE = 3.0  # a sample waits this long for dying programs to go
PING_EVERY = 10.0  # as a site does

# What the samples may grow by, last over first after the warm-up.
MARGINS = collections.OrderedDict([("rss", 2048), ("fds", 0), ("children", 0), ("tempdir", 0),
                                   ("sandbox", 0)])
LABELS = {"rss": "VmRSS of the judge (KiB)", "fds": "open descriptors of the judge",
          "children": "child processes of the judge (zombies included)",
          "tempdir": "entries in the judge's temp folder",
          "sandbox": "sandbox-user processes from this judge"}

WEIGHTS = collections.OrderedDict([("c-ac", 38), ("py-ac", 25), ("c-wa", 15), ("c-ce", 10),
                                   ("c-tle", 5), ("abort", 5), ("malformed", 2)])
DROPS_PER_2000 = 5


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


AC_C = read(os.path.join(APLUSB, "tests", "ac_c", "ac.c"))
AC_PY = read(os.path.join(APLUSB, "tests", "ac_py", "ac.py"))
WA_C = read(os.path.join(APLUSB, "tests", "wa_overflow", "wa.c"))
CE_C = "#include <stdio.h>\nint main(void)\n{\n\tprintf(\"%d\\n\", undeclared + 1)\n}\n"
SPIN_C = "int main(void)\n{\n\tvolatile unsigned long n = 0;\n\tfor (;;)\n\t\tn++;\n}\n"
WA_CODES = ["AC"] * 6 + ["WA", "SC", "SC", "SC"]

# Members of a submission-request, each with a value the contract refuses.
BAD_VALUES = [("problem-id", 17), ("language", None), ("source", ["int main(void){}"]),
              ("time-limit", "2"), ("time-limit", -1.0), ("memory-limit", 65536.5),
              ("memory-limit", 0), ("short-circuit", "yes"), ("meta", [1, 2])]
REQUIRED = ["problem-id", "language", "source", "time-limit", "memory-limit"]


class Abort(Exception):
    """Something that makes going on pointless (the judge died, hung, or
    dropped the connection by itself)."""


# ------------------------------------------------------------- /proc

def proc_table():
    """{pid: {name, state, ppid, uid, start}} of every process readable now."""
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/status" % d) as f:
                status = f.read()
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        fields = {}
        for line in status.splitlines():
            k, _, v = line.partition(":")
            fields[k] = v.strip()
        try:
            rest = stat[stat.rindex(")") + 2:].split()
            out[int(d)] = {"name": fields.get("Name", "?"), "state": fields.get("State", "?")[:1],
                           "ppid": int(fields["PPid"]), "uid": int(fields["Uid"].split()[0]),
                           "start": int(rest[19])}
        except (KeyError, ValueError, IndexError):
            continue
    return out


def descendants(table, root):
    kids = collections.defaultdict(list)
    for pid, p in table.items():
        kids[p["ppid"]].append(pid)
    out, todo = [], list(kids[root])
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo += kids[pid]
    return out


def links_under(pid, prefix):
    """True if the process's working folder or executable lies under prefix
    (a folder since deleted included)."""
    for link in ("cwd", "exe"):
        try:
            target = os.readlink("/proc/%d/%s" % (pid, link))
        except OSError:
            continue
        if target.endswith(" (deleted)"):
            target = target[:-len(" (deleted)")]
        if (target + "/").startswith(prefix):
            return True
    return False


def sanitized(path):
    """True for an AddressSanitizer build (`make asan`): its allocator keeps
    freed memory in quarantine, so its resident memory grows by design."""
    try:
        with open(path, "rb") as f:
            return b"__asan_init" in f.read()
    except OSError:
        return False


def vm_rss(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def describe_procs(table, pids):
    """'3 × answer42 (state Z, uid 65534), …': the processes, grouped."""
    groups = collections.Counter((table[p]["name"], table[p]["state"], table[p]["uid"])
                                 for p in pids if p in table)
    return ", ".join("%d × %s (state %s, uid %d)" % (n, name, state, uid)
                     for (name, state, uid), n in sorted(groups.items()))


# ------------------------------------------------------------- the soak

class Soak:
    def __init__(self, args):
        self.args = args
        self.n = args.count
        self.rng = random.Random(args.seed)
        self.failures = []
        self.samples = []
        self.sent = {}  # id -> (connection id, kind, expected final packet)
        self.lost = {}  # id -> connection id (abandoned by a drop)
        self.ignored = {}  # id -> (connection id, what): packets the judge must not answer
        self.seen_desc = {}  # (pid, start) -> name: every process seen under the judge
        self.counts = collections.Counter()
        self.durations = collections.defaultdict(float)
        self.running = False
        self.next_id = 100000 + self.rng.randrange(100000) * 10
        self.judge = None
        self.bridge = None
        self.conn = None
        self.last_ping = 0.0
        self.started = None
        uid = os.geteuid()
        self.sandbox_uid = pwd.getpwnam("nobody").pw_uid if uid == 0 else uid
        self.sandbox_user = pwd.getpwuid(self.sandbox_uid).pw_name
        self.margins = collections.OrderedDict(MARGINS)
        if sanitized(JUDGE):
            del self.margins["rss"]

    # ----- set-up

    def setup(self):
        self.scratch = tempfile.mkdtemp(prefix="judge-soak-")
        os.chmod(self.scratch, 0o755)  # sandboxed programs run as another user
        self.prefix = os.path.realpath(self.scratch) + "/"
        self.tmp = os.path.join(self.scratch, "tmp")
        os.makedirs(self.tmp)
        os.chmod(self.tmp, 0o755)
        extra = os.path.join(self.scratch, "problems")
        d = os.path.join(extra, "answer42")
        os.makedirs(d)
        with open(os.path.join(d, "init.yml"), "w") as f:
            f.write("test_cases:\n- {in: in.txt, out: out.txt, points: 1}\n")
        open(os.path.join(d, "in.txt"), "w").close()
        with open(os.path.join(d, "out.txt"), "w") as f:
            f.write("42\n")
        for p in (extra, d):
            os.chmod(p, 0o755)
        self.config = os.path.join(self.scratch, "config.yml")
        with open(self.config, "w") as f:
            f.write(textwrap.dedent("""\
                id: cfg-%s
                key: cfg-key-unused
                problem_storage_globs:
                  - %s
                  - %s
                tempdir: %s
                compiled_binary_cache_dir: %s
                reconnect_initial_delay: 0.2
                reconnect_max_delay: 1.0
                """ % (NAME, PROBLEMS, extra, self.tmp, os.path.join(self.scratch, "cache"))))
        self.log_path = os.path.join(self.scratch, "judge.log")
        self.bridge = fb.FakeBridge(key=KEY, name=NAME).start()

    def start_judge(self):
        cmd = [JUDGE, "-c", self.config, "--no-ansi", "-p", str(self.bridge.port),
               "127.0.0.1", NAME, KEY]
        env = {k: v for k, v in os.environ.items()
               if k not in ("DMOJ_JUDGE_NAME", "DMOJ_JUDGE_KEY")}
        self._log = open(self.log_path, "wb")
        self.judge = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log,
                                      stderr=subprocess.STDOUT, env=env,
                                      start_new_session=True)
        self.started = time.monotonic()
        self.conn = self.accept()

    def alive(self):
        return self.judge.poll() is None

    def status(self):
        rc = self.judge.poll()
        return "judge running" if rc is None else "judge exited with status %d" % rc

    def accept(self):
        try:
            conn = self.bridge.accept_judge(timeout=CONNECT_TIMEOUT, alive=self.alive)
        except AssertionError as e:
            raise Abort("no judge connection (%s): %s" % (self.status(), e))
        self.last_ping = time.monotonic()
        return conn

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except (OSError, AttributeError):
            return ""

    def cleanup(self):
        if self.judge is not None and self.alive():
            try:
                os.killpg(self.judge.pid, signal.SIGKILL)  # its own session: what it started
            except OSError:
                pass
            self.judge.wait(10)
        if self.bridge is not None:
            self.bridge.stop()
        if getattr(self, "_log", None) is not None:
            self._log.close()
        if getattr(self, "scratch", None):
            if self.args.keep:
                print("scratch folder kept: %s" % self.scratch)
            else:
                shutil.rmtree(self.scratch, ignore_errors=True)

    # ----- helpers

    def fail(self, text):
        self.failures.append(text)
        # while submissions run, say so at once (the summary repeats it)
        if self.running and (self.args.verbose or len(self.failures) <= 20):
            print("  FAIL %s" % text, flush=True)

    def new_id(self):
        self.next_id += 1
        return self.next_id

    def request(self, sub_id, problem, lang, source, tl, ml):
        """A submission-request as a DMOJ site builds it."""
        return {"name": "submission-request", "submission-id": sub_id, "problem-id": problem,
                "language": lang, "source": source, "time-limit": float(tl),
                "memory-limit": int(ml), "short-circuit": False,
                "meta": {"pretests-only": False, "in-contest": None, "attempt-no": 1,
                         "user": 1, "user-notes": ""}}

    def send(self, pkt):
        try:
            self.conn.send(pkt)
        except fb.ConnectionClosed as e:
            raise Abort("sending %s (%s): %s" % (pkt.get("name"), self.status(), e))

    def submit(self, kind, expected_final, problem, lang, source, tl, ml):
        sub_id = self.new_id()
        mark = "# soak submission %d\n" if lang == "PY3" else "/* soak submission %d */\n"
        self.send(self.request(sub_id, problem, lang, mark % sub_id + source, tl, ml))
        self.sent[sub_id] = (self.conn.id, kind, expected_final)
        return sub_id

    def collect(self, sub_id):
        try:
            return self.conn.collect(sub_id, timeout=GRADE_TIMEOUT)
        except AssertionError as e:
            raise Abort("submission %d did not end (%s): %s" % (sub_id, self.status(), e))

    def wait_grading_begin(self, sub_id, since):
        deadline = time.monotonic() + GRADE_TIMEOUT
        seen = since
        while time.monotonic() < deadline:
            received = self.conn.received
            for _, p in received[seen:]:
                if p.get("submission-id") != sub_id:
                    continue
                if p.get("name") == "grading-begin":
                    return
                if p.get("name") in fb.FINAL_PACKETS:
                    raise Abort("submission %d ended (%s) before grading began"
                                % (sub_id, fb._describe(p)))
            seen = len(received)
            if not self.conn.is_open:
                raise Abort("connection #%d closed by %s before grading-begin of %d (%s)"
                            % (self.conn.id, self.conn.closed_by, sub_id, self.status()))
            time.sleep(0.02)
        raise Abort("no grading-begin for %d within %d s" % (sub_id, GRADE_TIMEOUT))

    def ping(self):
        try:
            self.conn.ping(timeout=PING_TIMEOUT)
        except AssertionError as e:
            raise Abort("ping not answered (%s): %s" % (self.status(), e))
        self.last_ping = time.monotonic()

    def check(self, sub, kind, result, points=None, codes=None):
        errs = sub.errors()
        if errs:
            self.fail("%s %d: packets out of order or malformed: %s\n%s"
                      % (kind, sub.id, "; ".join(errs), sub.summary()))
        if sub.result != result:
            self.fail("%s %d: result %s, expected %s\n%s"
                      % (kind, sub.id, sub.result, result, sub.summary()))
            return False
        if points is not None and (abs(sub.points - points) > 1e-6
                                   or abs(sub.total - 100) > 1e-6):
            self.fail("%s %d: %g/%g points, expected %g/100\n%s"
                      % (kind, sub.id, sub.points, sub.total, points, sub.summary()))
            return False
        if codes is not None and sub.codes != codes:
            self.fail("%s %d: cases %s, expected %s\n%s"
                      % (kind, sub.id, sub.codes, codes, sub.summary()))
            return False
        return not errs

    # ----- the kinds of submission

    def run_graded(self, kind):
        if kind == "c-ac":
            sid = self.submit(kind, "grading-end", "aplusb", "C", AC_C, 2.0, 65536)
            return self.check(self.collect(sid), kind, "AC", points=100, codes=["AC"] * 10)
        if kind == "py-ac":
            sid = self.submit(kind, "grading-end", "aplusb", "PY3", AC_PY, 2.0, 65536)
            return self.check(self.collect(sid), kind, "AC", points=100, codes=["AC"] * 10)
        if kind == "c-wa":
            sid = self.submit(kind, "grading-end", "aplusb", "C", WA_C, 2.0, 65536)
            return self.check(self.collect(sid), kind, "WA", points=50, codes=WA_CODES)
        if kind == "c-ce":
            sid = self.submit(kind, "compile-error", "aplusb", "C", CE_C, 2.0, 65536)
            sub = self.collect(sid)
            ok = self.check(sub, kind, "CE")
            if ok and "undeclared" not in (sub.compile_log or ""):
                self.fail("c-ce %d: the compile log does not name the error: %r"
                          % (sid, sub.compile_log))
                ok = False
            return ok
        if kind == "c-tle":
            sid = self.submit(kind, "grading-end", "answer42", "C", SPIN_C, 0.25, 65536)
            return self.check(self.collect(sid), kind, "TLE", codes=["TLE"])
        raise ValueError(kind)

    def run_abort(self):
        since = len(self.conn.received)
        sid = self.submit("abort", "submission-terminated", "answer42", "C", SPIN_C, 60.0,
                          65536)
        self.wait_grading_begin(sid, since)
        time.sleep(self.rng.uniform(0.05, 0.4))  # the case is running
        # newer sites name the submission; older ones do not
        self.send({"name": "terminate-submission", "submission-id": sid}
                  if self.rng.random() < 0.5 else {"name": "terminate-submission"})
        sub = self.collect(sid)
        ok = self.check(sub, "abort", "AB")
        if "grading-end" in sub.names:
            self.fail("abort %d: grading-end as well as submission-terminated" % sid)
            ok = False
        return ok

    def run_drop(self):
        """Kills the bridge (TCP reset) while a submission runs, restarts it
        after a moment and takes the judge's new connection."""
        since = len(self.conn.received)
        sid = self.new_id()
        self.send(self.request(sid, "answer42", "C", "/* soak submission %d */\n" % sid + SPIN_C,
                               60.0, 65536))
        self.wait_grading_begin(sid, since)
        time.sleep(self.rng.uniform(0.1, 0.5))
        old = self.conn
        self.lost[sid] = old.id
        self.bridge.stop(abort=True)
        time.sleep(self.rng.uniform(0.2, 1.5))  # down for a moment: the judge retries
        if not self.alive():
            raise Abort("the judge exited when the bridge died (status %s)" % self.judge.poll())
        self.bridge.start()
        self.conn = self.accept()
        errs = fb.handshake_errors(self.conn.handshake)
        if errs:
            self.fail("drop %d: handshake on reconnection: %s" % (sid, "; ".join(errs)))
        return True

    def run_malformed(self):
        sid = self.new_id()
        r = self.rng.random()
        base = self.request(sid, "aplusb", "C", "/* soak submission %d */\n" % sid + AC_C, 2.0,
                            65536)
        if r < 0.6:
            # acknowledged, then internal-error naming the member
            if r < 0.3:
                member = self.rng.choice(REQUIRED)
                del base[member]
                what = "submission-request without `%s`" % member
            else:
                member, value = self.rng.choice(BAD_VALUES)
                base[member] = value
                what = "submission-request with `%s` = %r" % (member, value)
            self.send(base)
            self.sent[sid] = (self.conn.id, "malformed", "internal-error")
            sub = self.collect(sid)
            ok = self.check(sub, "malformed", "IE")
            if ok and sub.names != ["submission-acknowledged", "internal-error"]:
                self.fail("malformed %d (%s): packets %s, expected acknowledgement and "
                          "internal-error" % (sid, what, sub.names))
                ok = False
            if ok and "`%s`" % member not in (sub.message or ""):
                self.fail("malformed %d (%s): the internal-error does not name the member: %r"
                          % (sid, what, sub.message))
                ok = False
            return ok
        # packets the judge must ignore, keeping the connection
        choices = [
            ("unknown packet name", {"name": "rejudge-submission", "submission-id": sid}),
            ("packet without a name", {"submission-id": sid, "when": 1.0}),
            ("submission-request with a text id",
             dict(base, **{"submission-id": str(sid)})),
            ("terminate-submission while idle",
             {"name": "terminate-submission", "submission-id": sid}),
        ]
        what, pkt = self.rng.choice(choices)
        self.send(pkt)
        self.ignored[sid] = (self.conn.id, what)
        self.ping()  # answered after the packet: the judge read it and kept going
        return True

    # ----- samples

    def snapshot(self):
        pid = self.judge.pid
        table = proc_table()
        desc = descendants(table, pid)
        for p in desc:
            self.seen_desc[(p, table[p]["start"])] = table[p]["name"]
        children = [p for p in desc if table[p]["ppid"] == pid]
        sandbox = [p for p, info in table.items()
                   if info["uid"] == self.sandbox_uid and p != pid
                   and (p in desc or links_under(p, self.prefix))]
        return {"table": table, "rss": vm_rss(pid), "fds": len(os.listdir("/proc/%d/fd" % pid)),
                "children_list": children, "sandbox_list": sandbox,
                "tempdir_list": sorted(os.listdir(self.tmp))}

    def take_sample(self, done):
        try:
            cur = self.conn.current_submission(timeout=PING_TIMEOUT)
        except AssertionError as e:
            raise Abort("get-current-submission not answered (%s): %s" % (self.status(), e))
        if cur is not None:
            self.fail("after %d submissions the judge says it is grading %s" % (done, cur))
        # An idle judge has no children, no sandboxed programs and an empty
        # temp folder; programs killed with the last grading may take a
        # moment to die and be reaped, so a sample showing any waits up to
        # SETTLE seconds for them to go (a leak stays, and is counted).
        deadline = time.monotonic() + SETTLE
        while True:
            s = self.snapshot()
            t = s["table"]
            if (not (s["tempdir_list"] or s["children_list"] or s["sandbox_list"])
                    or time.monotonic() >= deadline):
                break
            time.sleep(0.2)
            self.ping()  # traffic, as from a site: a judge may reap when it wakes
        s["done"] = done
        s["elapsed"] = time.monotonic() - self.started
        s["children"] = len(s["children_list"])
        s["zombies"] = sum(1 for p in s["children_list"] if t.get(p, {}).get("state") == "Z")
        s["sandbox"] = len(s["sandbox_list"])
        s["tempdir"] = len(s["tempdir_list"])
        s["children_text"] = describe_procs(t, s["children_list"])
        s["sandbox_text"] = describe_procs(t, s["sandbox_list"])
        del s["table"]
        self.samples.append(s)
        print("  [%*d/%d] %7.1fs  rss %6d KiB  fds %3d  children %3d (%d zombies)  "
              "tempdir %d  %s processes %d" % (len(str(self.n)), done, self.n, s["elapsed"],
                                               s["rss"], s["fds"], s["children"], s["zombies"],
                                               s["tempdir"], self.sandbox_user, s["sandbox"]),
              flush=True)

    # ----- the run

    def schedule(self):
        """The kinds in a shuffled order, each as many times as its weight
        says (largest remainders round), drops spread evenly."""
        total = sum(WEIGHTS.values())
        exact = {k: self.n * w / total for k, w in WEIGHTS.items()}
        counts = {k: int(v) for k, v in exact.items()}
        for k in sorted(exact, key=lambda k: counts[k] - exact[k])[:self.n - sum(counts.values())]:
            counts[k] += 1
        plan = [k for k in WEIGHTS for _ in range(counts[k])]
        self.rng.shuffle(plan)
        drops = max(1, round(self.n * DROPS_PER_2000 / 2000))
        for k in range(drops):  # spread evenly, none in the first sample's stretch
            at = int((k + 0.5) * self.n / drops)
            plan[min(self.n - 1, max(at, self.args.every))] = "drop"
        return plan

    def run(self):
        plan = self.schedule()
        mix = collections.Counter(plan)
        print("soak: %d submissions, seed %d: %s" % (self.n, self.args.seed, ", ".join(
            "%s %d" % (k, mix[k]) for k in list(WEIGHTS) + ["drop"] if mix[k])))
        self.start_judge()
        print("judge pid %d online after %.1f s; scratch %s; sandbox user %s (%d)"
              % (self.judge.pid, time.monotonic() - self.started, self.scratch,
                 self.sandbox_user, self.sandbox_uid), flush=True)
        self.take_sample(0)
        self.running = True
        for i, kind in enumerate(plan, 1):
            t0 = time.monotonic()
            if time.monotonic() - self.last_ping >= PING_EVERY:
                self.ping()
            if not self.alive():
                raise Abort("the judge exited (status %s) before submission %d"
                            % (self.judge.poll(), i))
            if kind == "abort":
                ok = self.run_abort()
            elif kind == "drop":
                ok = self.run_drop()
            elif kind == "malformed":
                ok = self.run_malformed()
            else:
                ok = self.run_graded(kind)
            self.counts[(kind, bool(ok))] += 1
            self.durations[kind] += time.monotonic() - t0
            if i % self.args.every == 0 or i == self.n:
                self.take_sample(i)
        self.running = False

    # ----- the checks after the run

    def check_ledger(self):
        """Every packet about a submission, on every connection: each one
        sent is acknowledged once and ends once, on its own connection; an
        abandoned one ends nowhere; an ignored packet got no answer."""
        groups = collections.defaultdict(list)
        for c in self.bridge.connections:
            for _, p in c.received:
                if p.get("name") in fb.SUBMISSION_PACKETS:
                    groups[(c.id, p.get("submission-id"))].append(p)
        for (cid, sid), pkts in sorted(groups.items(), key=lambda kv: str(kv[0])):
            where = self.sent.get(sid, (self.lost.get(sid),))[0]
            if where != cid:
                why = ("it was abandoned on connection #%s" % where if sid in self.lost
                       else "the packet was one to ignore (%s)" % self.ignored[sid][1]
                       if sid in self.ignored else "it was sent on connection #%s" % where
                       if where is not None else "no such submission was sent")
                self.fail("%d packets about submission %r on connection #%d, but %s: %s"
                          % (len(pkts), sid, cid, why, [p["name"] for p in pkts]))
        for sid, (cid, kind, final) in sorted(self.sent.items()):
            pkts = groups.get((cid, sid), [])
            names = [p["name"] for p in pkts]
            acks = names.count("submission-acknowledged")
            finals = [n for n in names if n in fb.FINAL_PACKETS]
            if acks != 1:
                self.fail("%s %d: acknowledged %d times (packets %s)" % (kind, sid, acks, names))
            if finals != [final]:
                self.fail("%s %d: ended with %s, expected exactly one %s"
                          % (kind, sid, finals or "nothing", final))
            else:
                errs = fb.sequence_errors(pkts)
                if errs:
                    self.fail("%s %d: %s" % (kind, sid, "; ".join(errs)))
        log = self.log_text()
        for sid, cid in sorted(self.lost.items()):
            names = [p["name"] for p in groups.get((cid, sid), [])]
            finals = [n for n in names if n in fb.FINAL_PACKETS]
            if names.count("submission-acknowledged") != 1 or "grading-begin" not in names:
                self.fail("drop %d: expected acknowledgement and grading-begin before the "
                          "drop, got %s" % (sid, names))
            if finals:
                self.fail("drop %d: abandoned submission ended with %s on connection #%d"
                          % (sid, finals, cid))
            if "connection lost while grading submission %d; it is abandoned" % sid not in log:
                self.fail("drop %d: the judge did not log the submission as abandoned" % sid)
        if KEY in log:
            self.fail("the judge key appears in its log")

    def check_flat(self):
        """The first sample after the warm-up against the last one."""
        after = [s for s in self.samples if s["done"] >= self.args.warmup]
        if len(after) < 2:
            after = self.samples
        first, last = after[0], after[-1]
        if "rss" not in self.margins:
            print("VmRSS not checked: %s is an AddressSanitizer build, whose quarantine keeps "
                  "freed memory" % JUDGE)
        for key, margin in self.margins.items():
            if last[key] > first[key] + margin:
                extra = ""
                if key == "children":
                    extra = "; now: %s" % last["children_text"]
                    if last["zombies"]:
                        extra += (" (%d zombies: children ended and never waited for)"
                                  % last["zombies"])
                elif key == "sandbox":
                    extra = "; now: %s" % last["sandbox_text"]
                elif key == "tempdir":
                    extra = "; now: %s" % last["tempdir_list"][:10]
                self.fail("%s grew: %d after %d submissions, %d after %d (%+d, allowed %+d)%s"
                          % (LABELS[key], first[key], first["done"], last[key], last["done"],
                             last[key] - first[key], margin, extra))
        return first, after[len(after) // 2], last

    def print_table(self, first, middle, last):
        rows = [("start (no warm-up)", self.samples[0]), ("first after warm-up", first),
                ("middle", middle), ("last", last)]
        uniq = [(label, s) for i, (label, s) in enumerate(rows)
                if not any(s is other for _, other in rows[i + 1:])]
        head = ("sample", "subs", "elapsed", "VmRSS KiB", "fds", "children", "zombies",
                "tempdir", "%s procs" % self.sandbox_user)
        fmt = "%-20s %6s %9s %10s %5s %9s %8s %8s %12s"
        print()
        print(fmt % head)
        for label, s in uniq:
            print(fmt % (label, s["done"], "%.1fs" % s["elapsed"], s["rss"], s["fds"],
                         s["children"], s["zombies"], s["tempdir"], s["sandbox"]))
        print(fmt % ("last - first", "", "", "%+d" % (last["rss"] - first["rss"]),
                     "%+d" % (last["fds"] - first["fds"]),
                     "%+d" % (last["children"] - first["children"]), "",
                     "%+d" % (last["tempdir"] - first["tempdir"]),
                     "%+d" % (last["sandbox"] - first["sandbox"])))
        print(fmt % ("allowed", "", "", "+%d" % self.margins["rss"] if "rss" in self.margins
                     else "unchecked", "+0", "+0", "", "+0", "+0"))

    def print_mix(self):
        kinds = list(WEIGHTS) + ["drop"]
        parts = []
        for k in kinds:
            good, bad = self.counts[(k, True)], self.counts[(k, False)]
            if good or bad:
                parts.append("%s %d%s (%.2f s each)" % (k, good + bad,
                                                        ", %d wrong" % bad if bad else "",
                                                        self.durations[k] / (good + bad)))
        print("sent: " + ", ".join(parts))

    def stop_judge(self):
        """SIGTERM: exit 0 in time, nothing left behind."""
        self.judge.send_signal(signal.SIGTERM)
        t0 = time.monotonic()
        try:
            rc = self.judge.wait(EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.fail("the judge did not exit within %d s of SIGTERM" % EXIT_TIMEOUT)
            return
        print("judge exited with status %d %.2f s after SIGTERM" % (rc, time.monotonic() - t0))
        if rc != 0:
            self.fail("the judge exited with status %d on SIGTERM, not 0" % rc)
        if not self.conn.wait_closed(10):
            self.fail("the connection stayed open after the judge exited")

        def leftovers():
            table = proc_table()
            procs = [p for p, info in table.items()
                     if (p, info["start"]) in self.seen_desc or links_under(p, self.prefix)]
            return table, procs, os.listdir(self.tmp)
        deadline = time.monotonic() + SETTLE
        while True:
            table, procs, temp = leftovers()
            if (not procs and not temp) or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
        if procs:
            self.fail("processes left after the judge exited: %s" % describe_procs(table, procs))
        if temp:
            self.fail("left in the temp folder after the judge exited: %s" % temp[:10])

    def main(self):
        t0 = time.monotonic()
        aborted = None
        try:
            self.setup()
            try:
                self.run()
            except Abort as e:
                self.running = False
                aborted = str(e)
                self.fail("soak stopped early: %s" % e)
            flat = 0
            if self.samples and aborted is None:
                flat = len(self.failures)
                first, middle, last = self.check_flat()
                flat = len(self.failures) - flat
            elif self.samples:  # shown, not judged
                first, middle, last = self.samples[0], self.samples[0], self.samples[-1]
            if aborted is None:
                self.check_ledger()
                self.stop_judge()
            violations = self.bridge.violations
            if violations:
                self.fail("the fake bridge recorded %d protocol violations:\n    %s"
                          % (len(violations), "\n    ".join(violations[:20])))
            self.print_mix()
            if self.samples:
                self.print_table(first, middle, last)
            if len(self.failures) > flat:  # the samples' failures say it all
                print("\njudge log, last 30 lines:\n" + "\n".join(
                    "  " + line for line in self.log_text().splitlines()[-30:]))
        finally:
            self.cleanup()
        took = time.monotonic() - t0
        if self.failures:
            print("\nsoak: FAILED (%d problems) in %.0f s:" % (len(self.failures), took))
            for f in self.failures[:20]:
                print("  FAIL " + f.splitlines()[0])
            if len(self.failures) > 20:
                print("  … and %d more" % (len(self.failures) - 20))
            return 1
        print("\nsoak: %d submissions passed in %.0f s" % (self.n, took))
        return 0


def main(argv=None):
    env_n = os.environ.get("SOAK_N")
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=int(env_n) if env_n else 2000,
                    help="submissions to send (default: $SOAK_N, else 2000)")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("SOAK_SEED", "1")),
                    help="seed of the mix (default: $SOAK_SEED, else 1)")
    ap.add_argument("--every", type=int, default=50, help="submissions between samples")
    ap.add_argument("--warmup", type=int, default=50,
                    help="submissions before the first sample that counts (default 50)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--verbose", action="store_true", help="print every failure as it happens")
    args = ap.parse_args(argv)
    if args.count < 1 or args.every < 1:
        ap.error("--count and --every must be positive")
    if not os.access(JUDGE, os.X_OK):
        print("soak: no judge binary at %s (make all)" % JUDGE, file=sys.stderr)
        return 2
    return Soak(args).main()


if __name__ == "__main__":
    sys.exit(main())
