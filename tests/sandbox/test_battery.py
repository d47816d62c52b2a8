"""The hostile-program battery (sandbox.md, "What contained means"), and the
friendly side: ordinary solutions that must still be accepted.

Every program under hostile/ and friendly/ starts with an `expect:` line
(the verdict, then text the feedback must contain). Each is graded through
the built judge (`judge submit --json`), and after each the test checks
that nothing happened outside: the sentinel file (writable by everyone, in
a folder writable by everyone, so that only the sandbox protects it) is
unchanged, nothing was created in /tmp, no process of the sandbox user is
left (of those started here: other judges may share the machine), a
canary process of the sandbox user (what `kill(-1)` would hit) is alive,
the judge itself ended normally and the temp folder is clean.

Run as root, programs run as `nobody` in the judge's namespaces; as an
ordinary user everything here still applies except what needs root (the
user switch and the namespaces), which is skipped with a message.
Standard library only.
"""
import json
import os
import pwd
import re
import signal
import subprocess
import sys
import textwrap
import unittest
from time import monotonic

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
from judgetest import JUDGE, PROBLEMS, JudgeCase, main, write  # noqa: E402

ROOT = os.geteuid() == 0
SANDBOX_UID = pwd.getpwnam("nobody").pw_uid if ROOT else os.geteuid()
SENTINEL_TEXT = "sentinel-secret: nothing may change this\n"
TMP_TRAPS = ["/tmp/judge-sandbox-test-file", "/tmp/judge-sandbox-link"]

# name, source, substitutions (templates), language when not from the suffix
HOSTILE = [
    ("fork bomb", "fork_bomb.c", {}),
    ("thread bomb", "thread_bomb.c", {}),
    ("clone with new namespaces", "clone_namespaces.c", {}),
    ("clone(CLONE_UNTRACED) threads", "clone_untraced.c", {}),
    ("vfork loop", "vfork_loop.c", {}),
    ("kill(-1, SIGKILL)", "kill.c", {"TARGET": "-1", "WHAT": "every process it may signal"}),
    ("kill(getppid())", "kill.c", {"TARGET": "getppid()", "WHAT": "the judge"}),
    ("kill the judge's process group", "kill.c",
     {"TARGET": "-getpgid(getppid())", "WHAT": "the judge's process group"}),
    ("ptrace(PTRACE_ATTACH, getppid())", "ptrace_attach.c", {}),
    ("process_vm_writev into the judge", "process_vm_writev.c", {}),
    ("read /etc/shadow", "read_file.c", {"PATH": "/etc/shadow", "WHAT": "/etc/shadow"}),
    ("read the judge's config", "read_file.c", {"PATH": "@CONFIG@", "WHAT": "the config"}),
    ("read another problem's data", "read_file.c",
     {"PATH": "@OTHER_DATA@", "WHAT": "another problem's answers"}),
    ("read this problem's expected output", "read_file.c",
     {"PATH": "@OWN_ANSWER@", "WHAT": "the expected output"}),
    ("read the sentinel", "read_file.c", {"PATH": "@SENTINEL@", "WHAT": "a file outside"}),
    ("/proc/<judge>/environ", "judge_environ.c", {}),
    ("/proc/self/mem for writing", "proc_self_mem.c", {}),
    ("create and write files outside", "write_outside.c", {}),
    ("symlink, hard link and .. tricks", "links.c", {}),
    ("existence oracle outside the policy", "exists_oracle.c", {}),
    ("path changed by a second thread", "toctou.c", {}),
    ("AF_INET socket", "socket.c", {"FAMILY": "AF_INET", "TYPE": "SOCK_STREAM"}),
    ("AF_INET6 socket", "socket.c", {"FAMILY": "AF_INET6", "TYPE": "SOCK_DGRAM"}),
    ("AF_UNIX socket", "socket.c", {"FAMILY": "AF_UNIX", "TYPE": "SOCK_STREAM"}),
    ("AF_NETLINK socket", "socket.c", {"FAMILY": "AF_NETLINK", "TYPE": "SOCK_RAW"}),
    ("execve /bin/sh", "exec_sh.c", {}),
    ("bash runs programs of the library trees", "bash_exec_libs.sh", {}),
    ("GNAT's linker -wrapper runs dash", "ada_wrapper.adb", {}),
    ("execveat", "execveat.c", {}),
    ("memfd_create + exec", "memfd_exec.c", {}),
    ("int $0x80", "int80.c", {}),
    ("x32 system call", "x32.c", {}),
    ("malloc bomb", "malloc_bomb.c", {}),
    ("bad_alloc message without a refused allocation", "fake_bad_alloc.cpp", {}),
    ("stack recursion bomb", "stack_bomb.c", {}),
    ("huge mmap", "mmap_huge.c", {}),
    ("brk growth", "brk_bomb.c", {}),
    ("stdout flood", "flood.c", {"FD": "1"}),
    ("stderr flood", "flood.c", {"FD": "2"}),
    ("sleep forever", "sleep_forever.c", {}),
    ("busy loop", "busy_loop.c", {}),
    ("threads keeping the tracer busy", "livelock_stat.c", {}),
    ("bash subshells keeping the tracer busy", "livelock_stat.sh", {}),
    ("setrlimit raising limits", "setrlimit_raise.c", {}),
    ("TIOCSTI", "tiocsti.c", {}),
    ("python socket", "py_socket.py", {}),
    ("python fork", "py_fork.py", {}),
    ("python os.system", "py_system.py", {}),
    ("python reads and writes", "py_files.py", {}),
    ("python memory bomb", "py_memory.py", {}),
    ("python output flood", "py_flood.py", {}),
    ("java reads and writes", "java_files.java", {}),
    ("java socket", "java_socket.java", {}),
    ("java ProcessBuilder", "java_process.java", {}),
    ("java heap bomb", "java_memory.java", {}),
    ("java native memory bomb", "java_native_memory.java", {}),
    ("java thread bomb", "java_threads.java", {}),
]
# system calls refused outright, with arguments that would do harm
CALLS = [
    ("prlimit64", "getppid(), 0, 0, 0"),
    ("setsid", "0"),
    ("setpgid", "0, 0"),
    ("personality", "0x0040000"),
    ("prctl", "4 /* PR_SET_DUMPABLE */, 1, 0, 0, 0"),
    ("unshare", "0x10000000 /* CLONE_NEWUSER */"),
    ("mount", "\"none\", \"/tmp\", \"tmpfs\", 0, 0"),
    ("chroot", "\"/tmp\""),
    ("reboot", "0xfee1dead, 672274793, 0x4321fedc, 0"),
    ("kexec_load", "0, 0, 0, 0"),
    ("bpf", "0, 0, 0"),
    ("perf_event_open", "0, 0, -1, -1, 0"),
    ("userfaultfd", "0"),
    ("io_uring_setup", "1, 0"),
    ("clock_settime", "0, 0"),
    ("settimeofday", "0, 0"),
    ("sethostname", "\"pwned\", 5"),
]
HOSTILE += [("%s()" % c, "syscall.c", {"CALL": c, "ARGS": a}) for c, a in CALLS]

FRIENDLY = [
    ("input and the math library", "sum_math.c"),
    ("100 MiB allocated", "alloc.c"),
    ("a million levels of recursion", "recursion.c"),
    ("std::thread", "threads.cpp"),
    ("bits/stdc++.h and containers", "containers.cpp"),
    ("a million lines of output", "print_lot.c"),
    ("its own files, /dev/null, time zone", "files.c"),
    ("ordinary Python", "py_ordinary.py"),
    ("a million lines from Python", "py_print_lot.py"),
    ("ordinary Java", "java_ordinary.java"),
]
# Java: whichever JDK the judge found (JAVA is the newest); its programs
# are skipped on a machine without one.
LANG = {".c": "C11", ".cpp": "CPP17", ".py": "PY3", ".java": "JAVA", ".sh": "BASH", ".adb": "ADA"}


def parse_header(text):
    """(verdicts, feedbacks, problem, time, wall) from the `expect:`,
    `problem:`, `time:` and `wall:` lines (wall: the most seconds the whole
    grading may take). `expect: AC|TLE` accepts either verdict (the
    guarantee is about something else, and a loaded machine may turn one
    into the other); feedbacks are alternatives separated by ` | ` (a kernel
    may stop a program before the sandbox names the call)."""
    m = re.search(r"^(?://|#|--) expect: (\w+(?:\|\w+)*)(?: (.*))?$", text, re.M)
    if not m:
        raise ValueError("no expect: line")
    p = re.search(r"^(?://|#|--) problem: (\w+)$", text, re.M)
    t = re.search(r"^(?://|#|--) time: ([0-9.]+)$", text, re.M)
    w = re.search(r"^(?://|#|--) wall: ([0-9.]+)$", text, re.M)
    feedbacks = [f.strip() for f in (m.group(2) or "").split(" | ") if f.strip()]
    return (m.group(1).split("|"), feedbacks, p.group(1) if p else "battery",
            float(t.group(1)) if t else None, float(w.group(1)) if w else None)


def uid_of(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("Uid:"):
                return int(line.split()[1])
    return -1


def left_behind(folder, uid=None):
    """Pids of processes started from folder: their binary or their working
    folder (a submission's, even once removed) lies under it; with uid, only
    that user's. Other judges on the machine are not this test's concern."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        pid = int(name)
        try:
            links = [os.readlink("/proc/%d/%s" % (pid, k)) for k in ("exe", "cwd")]
            if any(l.startswith(folder) for l in links) and (uid is None or uid_of(pid) == uid):
                found.append(pid)
        except OSError:
            pass
    return found


class Battery(JudgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # only the sandbox stands between the programs and this file
        cls.outside = os.path.join(cls.scratch, "outside")
        os.makedirs(cls.outside)
        os.chmod(cls.outside, 0o777)
        cls.sentinel = os.path.join(cls.outside, "sentinel")
        write(cls.sentinel, SENTINEL_TEXT)
        os.chmod(cls.sentinel, 0o666)
        d = os.path.join(cls.extra, "battery")
        write(os.path.join(d, "init.yml"), textwrap.dedent("""\
            test_cases:
            - {in: in.txt, out: out.txt, points: 1}
            """))
        write(os.path.join(d, "in.txt"), "5\n1 2 3 4 5\n")
        write(os.path.join(d, "out.txt"), "safe\n")
        cls.own_answer = os.path.join(d, "out.txt")
        big = os.path.join(cls.extra, "big")
        write(os.path.join(big, "init.yml"), "test_cases:\n- {in: in.txt, out: out.txt, points: 1}\n")
        write(os.path.join(big, "in.txt"), "")
        write(os.path.join(big, "out.txt"), "".join("%d\n" % i for i in range(1000000)))
        # a process of the sandbox user that kill(-1) would reach
        pre = None
        if ROOT:
            def pre():
                os.setgid(SANDBOX_UID)
                os.setuid(SANDBOX_UID)
        cls.canary = subprocess.Popen(["/bin/sleep", "100000"], preexec_fn=pre)
        cls.languages = cls.usable_languages()

    @classmethod
    def usable_languages(cls):
        """The executor keys the judge can grade on this machine."""
        p = subprocess.run([JUDGE, "-c", cls.config, "--no-ansi", "executors"],
                           capture_output=True, timeout=300)
        return {line.split()[0] for line in p.stdout.decode().splitlines()
                if len(line.split()) > 1 and line.split()[1] == "ok"}

    @classmethod
    def tearDownClass(cls):
        cls.canary.kill()
        cls.canary.wait()
        super().tearDownClass()

    def substitute(self, text, subs):
        for k, v in subs.items():
            text = text.replace("@%s@" % k, v)
        glob = {
            "SENTINEL": self.sentinel,
            "SENTINEL_DIR": self.outside,
            "CONFIG": self.config,
            "OWN_ANSWER": self.own_answer,
            "OTHER_DATA": os.path.join(PROBLEMS, "aplusb", "aplusb.1.out"),
        }
        for k, v in glob.items():
            text = text.replace("@%s@" % k, v)
        return text

    def grade(self, folder, name, subs, time, memory):
        with open(os.path.join(HERE, folder, name)) as f:
            text = self.substitute(f.read(), subs)
        verdict, feedback, problem, own_time, wall = parse_header(text)
        time = own_time or time
        lang = LANG[os.path.splitext(name)[1]]
        if lang not in self.languages:
            self.skipTest("no %s executor on this machine" % lang)
        src = self.source(re.sub(r"\W", "_", name) + os.path.splitext(name)[1], text)
        started = monotonic()
        rc, out, err = self.judge("submit", problem, lang, src, "-t", str(time), "-m",
                                  str(memory), "--json", timeout=300)
        took = monotonic() - started
        self.assertEqual(rc, 0, "the judge failed; stderr:\n" + err)
        if wall:
            # compile and self-test included: generous on a loaded machine
            self.assertLess(took, wall, "the grading took %.1f s" % took)
        doc = json.loads(out)
        return doc, verdict, feedback

    def check_outside(self):
        with open(self.sentinel) as f:
            self.assertEqual(f.read(), SENTINEL_TEXT, "the sentinel changed")
        self.assertEqual(os.stat(self.sentinel).st_mode & 0o777, 0o666)
        self.assertEqual(os.listdir(self.outside), ["sentinel"])
        for trap in TMP_TRAPS:
            self.assertFalse(os.path.lexists(trap), trap + " was created")
        self.assertEqual(left_behind(self.tmp), [], "a program of the battery is still running")
        if ROOT:
            self.assertEqual(left_behind(self.scratch, SANDBOX_UID), [],
                             "processes of the sandbox user are left")
        self.assertIsNone(self.canary.poll(), "the canary process was killed")
        self.assert_temp_clean()

    def test_hostile(self):
        rows = []
        # BATTERY_ONLY=word runs the programs whose title or file has it
        only = os.environ.get("BATTERY_ONLY", "")
        for title, name, subs in HOSTILE:
            if only and only not in title and only not in name:
                continue
            with self.subTest(program=title):
                doc, verdict, feedback = self.grade("hostile", name, subs, 1, 65536)
                case = doc["cases"][0] if doc["cases"] else {}
                got = doc["result"]
                rows.append((title, "|".join(verdict) + (" " + " | ".join(feedback)
                                                         if feedback else ""),
                             got, case.get("feedback", "")))
                self.assertIn(got, verdict, json.dumps(doc, indent=1)[:2000])
                if feedback and got == verdict[0]:
                    self.assertTrue(any(f in case["feedback"] for f in feedback),
                                    "feedback %r is none of %r" % (case["feedback"], feedback))
                self.assertNotIn("BREACH", case.get("output", ""))
                self.check_outside()
        report = os.environ.get("BATTERY_REPORT")
        if report:
            with open(report, "w") as f:
                for r in rows:
                    f.write("| %s | %s | %s %s | unchanged |\n" % r)

    def test_friendly(self):
        for title, name in FRIENDLY:
            with self.subTest(program=title):
                doc, verdict, _ = self.grade("friendly", name, {}, 4, 262144)
                self.assertIn(doc["result"], verdict, json.dumps(doc, indent=1)[:2000])
                self.check_outside()

    def test_compiler_memory_limit(self):
        """A JVM compiler has no address-space limit; its peak is watched
        against compiler_memory_limit like a Java program's (here 64 MiB,
        which javac cannot even start in)."""
        if "JAVA" not in self.languages:
            self.skipTest("no JAVA executor on this machine")
        config = os.path.join(self.scratch, "config-small-compiler.yml")
        with open(self.config) as f:
            write(config, f.read() + "compiler_memory_limit: 65536\n")
        src = self.source("Small.java", "public class Small { public static void main("
                          "String[] a) { System.out.println(\"safe\"); } }\n")
        rc, out, err = self.judge("submit", "battery", "JAVA", src, "--json", timeout=300,
                                  config=config)
        self.assertEqual(rc, 0, "the judge failed; stderr:\n" + err)
        doc = json.loads(out)
        self.assertEqual(doc["result"], "CE", json.dumps(doc, indent=1)[:2000])
        self.assertIn("memory", doc["compile_log"])
        self.check_outside()

    def test_layers_are_reported(self):
        rc, out, err = self.judge("executors")
        self.assertEqual(rc, 0, err)
        line = next((l for l in err.splitlines() if "sandbox: ptrace" in l), "")
        for layer in ("seccomp", "no_new_privs", "capabilities dropped", "rlimits"):
            self.assertIn(layer, line)
        if os.path.exists("/sys/kernel/security/landlock") or "landlock" in line:
            self.assertIn("landlock", line)
        if not ROOT:
            self.assertIn("without", err)
            self.skipTest("the user switch and the namespaces need root: not checked")
        for layer in ("user nobody", "network namespace", "ipc namespace"):
            self.assertIn(layer, line)


if __name__ == "__main__":
    main()
