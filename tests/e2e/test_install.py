"""End to end: `make install` into a scratch DESTDIR, and what it installs:
the binary and the Python checkers' compatibility layer where the judge
looks for it, the manual page (which must render, and name every option,
configuration key and environment variable the sources have), and the
systemd units (which `systemd-analyze verify` must accept, and whose
capability bounding set must be enough for the sandbox, with each of its
capabilities needed).

Checks that need a tool the machine lacks (man, groff, systemd-analyze,
setpriv) or root skip with a message saying so."""
import json
import os
import re
import shutil
import subprocess
import textwrap

from judgetest import PROBLEMS, ROOT, JudgeCase, main, write

PREFIX = "/usr"
UNITS = ("judge.service", "judge@.service")
# never run: a program only a kill can end (pause() is in every policy)
SLEEPER = "#include <unistd.h>\nint main(void)\n{\n\tfor (;;)\n\t\tpause();\n}\n"


def read(path):
    with open(path) as f:
        return f.read()


def directives(unit):
    """The unit's `Key=value` lines, comments and blank lines left out."""
    return [l for l in unit.splitlines() if l and not l.startswith(("#", "["))]


class Install(JudgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dest = os.path.join(cls.scratch, "dest")
        # BUILD (and, through MAKEFLAGS, SANITIZE) as the run being tested:
        # `make install` must not build another binary
        cls.make = subprocess.run(
            ["make", "--no-print-directory", "-s", "install", "DESTDIR=" + cls.dest,
             "PREFIX=" + PREFIX, "BUILD=" + os.environ.get("BUILD", "build")],
            cwd=ROOT, capture_output=True, text=True, timeout=900)
        cls.usr = cls.dest + PREFIX
        cls.binary = os.path.join(cls.usr, "bin", "judge")
        cls.man_page = os.path.join(cls.usr, "share", "man", "man1", "judge.1")
        cls.unit_dir = os.path.join(cls.dest, "lib", "systemd", "system")

    def setUp(self):
        self.assertEqual(self.make.returncode, 0,
                         "make install failed:\n" + self.make.stdout + self.make.stderr)

    def test_files_land_where_they_belong(self):
        self.assertTrue(os.access(self.binary, os.X_OK), self.binary)
        src = os.path.join(ROOT, "judge", "checkers", "pycompat")
        layer = os.path.join(self.usr, "share", "judge", "pycompat")
        for d, _, files in os.walk(src):
            for f in files:
                if f.endswith(".py"):
                    rel = os.path.relpath(os.path.join(d, f), src)
                    self.assertTrue(os.path.isfile(os.path.join(layer, rel)), rel)
        self.assertEqual(read(self.man_page), read(os.path.join(ROOT, "docs", "judge.1")))
        for name in UNITS:
            unit = read(os.path.join(self.unit_dir, name))
            self.assertIn("\nExecStart=%s/bin/judge -c " % PREFIX, unit)
            self.assertNotIn("/usr/local", unit, "ExecStart keeps the default PREFIX")
            self.assertEqual(os.stat(os.path.join(self.unit_dir, name)).st_mode & 0o777, 0o644)

    def test_installed_judge_finds_its_checker_layer(self):
        """A Python checker module needs the layer beside the binary."""
        source = os.path.join(PROBLEMS, "pycheck", "tests", "ac", "sum.py")
        p = subprocess.run([self.binary, "-c", self.config, "--no-ansi", "submit", "pycheck",
                            "PY3", source, "--json"], capture_output=True, text=True,
                           timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(json.loads(p.stdout)["result"], "AC", p.stdout + p.stderr)

    def test_man_page_renders(self):
        if not shutil.which("man"):
            self.skipTest("man is not installed (Debian: man-db)")
        env = dict(os.environ, MANWIDTH="100")
        env.pop("MAN_KEEP_FORMATTING", None)
        p = subprocess.run(["man", "-l", self.man_page], capture_output=True, text=True,
                           env=env, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stderr, "")
        text = re.sub("\x1b\\[[0-9;]*m|.\b", "", p.stdout)  # formatting, if any was kept
        for heading in ("NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "OPTIONS",
                        "CONFIGURATION", "ENVIRONMENT", "SIGNALS", "EXIT STATUS", "FILES",
                        "SEE ALSO"):
            self.assertRegex(text, r"(?m)^%s$" % heading)
        self.assertIn("judge - grade programming-contest submissions", text)
        if shutil.which("groff"):
            p = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", self.man_page],
                               capture_output=True, text=True, timeout=60)
            self.assertEqual((p.returncode, p.stdout + p.stderr), (0, ""), "groff warnings")

    def test_man_page_names_every_option_key_and_variable(self):
        page = read(os.path.join(ROOT, "docs", "judge.1"))
        # the getopt tables of judge/main.c and of the submit command
        for src in ("judge/main.c", "judge/frontends/submit.c"):
            text = read(os.path.join(ROOT, src))
            for long_name, short in re.findall(
                    r'\{"([a-z-]+)", (?:no|required)_argument, NULL, \'(.)\'\}', text):
                roff = "\\-\\-" + long_name.replace("-", "\\-")
                self.assertTrue(re.search(re.escape(roff) + r"(?![\w\\])", page),
                                "%s: --%s is not in the page" % (src, long_name))
                if re.search(r'"\+?[^"]*%s[^"]*"' % re.escape(short),
                             text.split("getopt_long(")[1].split(")")[0]):
                    self.assertTrue(re.search(r"(?<!-)\\-%s(?![\w\\])" % short, page),
                                    "%s: -%s is not in the page" % (src, short))
        # the configuration's table of keys, with each default on the key's line
        config = read(os.path.join(ROOT, "judge", "config", "config.c"))
        keys = re.findall(r'\{"([a-z_]+)", CFG_[A-Z]+, FIELD\([a-z_]+\)(.*?)\.doc', config,
                          re.S)
        self.assertGreater(len(keys), 15)
        configuration = page.split(".SH CONFIGURATION")[1].split(".SH ")[0]
        for key, rest in keys:
            # the key's tag: .BR key " (type; default ...)"
            line = re.search(r'(?m)^\.BR %s " \((.*)$' % key, configuration)
            self.assertIsNotNone(line, "configuration key %s" % key)
            default = re.search(r"\.def\.[dls] = (\"[^\"]*\"|[0-9L <]+)", rest)
            if default:
                value = default.group(1).strip('"')
                shift = re.fullmatch(r"(\d+)L << (\d+)", value)
                value = str(int(shift.group(1)) << int(shift.group(2))) if shift else value
                self.assertIn(value, line.group(1), "default of %s" % key)
        # every environment variable the judge reads
        names = set()
        for d in ("common", "judge", "executors", "sandbox", "problems", "packet"):
            for base, _, files in os.walk(os.path.join(ROOT, d)):
                for f in files:
                    if f.endswith(".c"):
                        text = read(os.path.join(base, f))
                        names |= set(re.findall(r'getenv\("([A-Z_]+)"\)', text))
                        names |= set(re.findall(r'\.env = "([A-Z_]+)"', text))
        self.assertGreaterEqual(names, {"DMOJ_JUDGE_NAME", "DMOJ_JUDGE_KEY", "TMPDIR"})
        environment = page.split(".SH ENVIRONMENT")[1].split(".SH ")[0]
        for name in sorted(names):
            self.assertTrue(re.search(r"(?m)^\.BR? .*\b%s\b" % name, environment),
                            "environment variable %s is not in the page" % name)

    def test_units_differ_only_in_their_instance(self):
        single, template = (read(os.path.join(ROOT, "scripts", "systemd", u)) for u in UNITS)
        own = ("Description=", "EnvironmentFile=", "ExecStart=")
        self.assertEqual([l for l in directives(single) if not l.startswith(own)],
                         [l for l in directives(template) if not l.startswith(own)])
        self.assertIn("ExecStart=/usr/local/bin/judge -c /etc/judge/config.yml $JUDGE_ARGS",
                      single)
        self.assertIn("ExecStart=/usr/local/bin/judge -c /etc/judge/%i.yml $JUDGE_ARGS",
                      template)

    def test_systemd_analyze_verify(self):
        analyze = shutil.which("systemd-analyze")
        if not analyze:
            self.skipTest("systemd-analyze is not installed (Debian: systemd)")
        # verify wants ExecStart's binary to exist: the one in DESTDIR; and
        # the template instantiated
        units = os.path.join(self.scratch, "units")
        os.makedirs(units, exist_ok=True)
        paths = []
        for name, as_name in (("judge.service", "judge.service"),
                              ("judge@.service", "judge@test.service")):
            text = read(os.path.join(self.unit_dir, name))
            paths.append(os.path.join(units, as_name))
            write(paths[-1], text.replace(PREFIX + "/bin/judge", self.binary))
        # Documentation=man:judge(1) is looked up with man, in DESTDIR
        cmd = [analyze, "verify"] + ([] if shutil.which("man") else ["--man=no"]) + paths
        env = dict(os.environ, MANPATH=os.path.join(self.usr, "share", "man"))
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        # a bad value is only a warning to verify, its exit status still 0
        self.assertEqual((p.returncode, p.stdout + p.stderr), (0, ""), "systemd-analyze verify")

    def test_capability_bounding_set_is_enough_and_each_is_needed(self):
        """The judge as systemd starts it, as root with the unit's bounding
        set and no_new_privs (setpriv does the same), grades with every
        layer; without any one of the capabilities, something breaks: a
        self-test, the namespaces, or killing a program at its time limit."""
        if os.geteuid() != 0:
            self.skipTest("not root: the judge uses capabilities only as root")
        if not shutil.which("setpriv"):
            self.skipTest("setpriv is not installed (Debian: util-linux)")
        if not os.access("/usr/bin/gcc", os.X_OK):
            self.skipTest("no /usr/bin/gcc to grade C with")
        unit = read(os.path.join(ROOT, "scripts", "systemd", "judge.service"))
        caps = re.search(r"(?m)^CapabilityBoundingSet=(.*)$", unit).group(1).split()
        self.assertIn("CAP_SETUID", caps)
        ac = os.path.join(PROBLEMS, "aplusb", "tests", "ac_c", "ac.c")
        sleeper = self.source("sleeper.c", SLEEPER)

        runs = []

        def grade(keep, source, timeout=120):
            """(result or 'hung', stderr) of `judge submit` with these caps."""
            n = len(runs)
            runs.append(keep)
            # a cache of its own: a cached self-test would hide a failure
            config = os.path.join(self.scratch, "caps-%d.yml" % n)
            write(config, textwrap.dedent("""\
                problem_storage_globs: [%s]
                tempdir: %s
                compiled_binary_cache_dir: %s/caps-cache-%d
                runtime: {gcc: /usr/bin/gcc}
                """ % (PROBLEMS, self.tmp, self.scratch, n)))
            bounding = ",".join(["-all"] + ["+" + c[len("CAP_"):].lower() for c in keep])
            cmd = ["setpriv", "--no-new-privs", "--bounding-set", bounding, "--inh-caps=-all",
                   "--", self.binary, "-c", config, "--no-ansi", "submit", "aplusb", "C",
                   source, "-t", "0.5", "--json"]
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
            except subprocess.TimeoutExpired as e:
                return "hung", e.stderr or ""
            try:
                return json.loads(p.stdout)["result"], p.stderr
            except ValueError:
                return "exit %d" % p.returncode, p.stderr

        result, err = grade(caps, ac)
        self.assertEqual(result, "AC", err)
        self.assertNotIn("sandbox: without", err)
        self.assertIn("user nobody", err)
        self.assertIn("network namespace, ipc namespace", err)
        result, err = grade(caps, sleeper)
        self.assertEqual(result, "TLE", err)

        for cap in caps:
            keep = [c for c in caps if c != cap]
            result, err = grade(keep, ac)
            if result != "AC" or "sandbox: without" in err:
                continue
            # grading works: then stopping a program at its limit must not
            result, err = grade(keep, sleeper, timeout=20)
            self.assertNotEqual(result, "TLE", "%s looks unneeded:\n%s" % (cap, err))


if __name__ == "__main__":
    main()
