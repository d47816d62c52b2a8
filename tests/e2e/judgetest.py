"""Shared helpers for the end-to-end tests: a scratch configuration and
temporary folder per test class, and running the built judge binary.

Standard library only. The judge binary comes from $JUDGE (set by
tests/run.sh), else build/judge.
"""
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
JUDGE = os.environ.get("JUDGE") or os.path.join(ROOT, "build", "judge")
PROBLEMS = os.path.join(ROOT, "tests", "problems")


def write(path, text, mode="w"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, mode) as f:
        f.write(text)


class JudgeCase(unittest.TestCase):
    """A test class with its own temp folder, problem folder and config."""

    extra_globs = ()

    @classmethod
    def setUpClass(cls):
        cls.scratch = tempfile.mkdtemp(prefix="judge-e2e-")
        # world-searchable: sandboxed programs run as another user
        os.chmod(cls.scratch, 0o755)
        cls.tmp = os.path.join(cls.scratch, "tmp")
        cls.extra = os.path.join(cls.scratch, "problems")
        os.makedirs(cls.tmp)
        os.makedirs(cls.extra)
        os.chmod(cls.tmp, 0o755)
        cls.cache = os.path.join(cls.scratch, "cache")
        cls.config = os.path.join(cls.scratch, "config.yml")
        write(cls.config, textwrap.dedent("""\
            id: e2e
            key: e2e-secret-key
            problem_storage_globs:
              - %s
              - %s
            tempdir: %s
            compiled_binary_cache_dir: %s
            """ % (PROBLEMS, cls.extra, cls.tmp, cls.cache)))

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.scratch, ignore_errors=True)

    def judge(self, *args, timeout=120, config=None):
        """Runs the judge; returns (exit code, stdout, stderr)."""
        cmd = [JUDGE, "-c", config or self.config, "--no-ansi"] + list(args)
        p = subprocess.run(cmd, capture_output=True, timeout=timeout)
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")

    def submit(self, problem, lang, source, time=1, memory=65536, expect_rc=0):
        """judge submit --json; returns the parsed document."""
        rc, out, err = self.judge("submit", problem, lang, source, "-t", str(time),
                                  "-m", str(memory), "--json")
        self.assertEqual(rc, expect_rc, "exit code; stderr:\n" + err)
        try:
            return json.loads(out)
        except ValueError:
            self.fail("stdout is not one JSON document:\n%s\nstderr:\n%s" % (out, err))

    def problem(self, code, init, files=None):
        """Creates a problem folder in the scratch problem folder."""
        d = os.path.join(self.extra, code)
        shutil.rmtree(d, ignore_errors=True)
        write(os.path.join(d, "init.yml"), textwrap.dedent(init))
        for name, data in (files or {}).items():
            write(os.path.join(d, name), data, "wb" if isinstance(data, bytes) else "w")
        return d

    def source(self, name, text):
        path = os.path.join(self.scratch, "src", name)
        write(path, text, "wb" if isinstance(text, bytes) else "w")
        return path

    def assert_temp_clean(self):
        """Nothing but the self-test cache may be left in the temp folder."""
        left = [n for n in os.listdir(self.tmp) if not n.startswith("judge-cache-")]
        self.assertEqual(left, [], "left behind in the temp folder")


def main():
    unittest.main(verbosity=2)
