"""The DMOJ compatibility layer for Python checkers (judge/checkers/pycompat): the
built-in checkers it offers give DMOJ's verdicts on DMOJ's own examples,
and judge_run_checker.py turns a check() call into the JSON the judge
reads. Standard library only; the layer is imported from the source tree."""
import json
import os
import subprocess
import sys
import tempfile
import unittest

from judgetest import ROOT

LAYER = os.path.join(ROOT, "judge", "checkers", "pycompat")
# no __pycache__ folders in the source tree
sys.dont_write_bytecode = True
sys.path.insert(0, LAYER)

from dmoj.checkers import (easy, floats, floatsabs, floatsrel, identical, linecount,  # noqa: E402
                           linematches, rstripped, sorted as sorted_checker, standard,
                           unordered)
from dmoj.error import InternalError  # noqa: E402
from dmoj.result import CheckerResult, Result  # noqa: E402
from dmoj.utils.unicode import utf8bytes, utf8text  # noqa: E402


class BuiltinCheckers(unittest.TestCase):
    def test_standard_examples(self):
        equal = [(b"1 2\n", b"1 2"), (b"1 2\n", b"  1    2  \n\n\n"), (b"1\n2\n", b"1\n\n\n2"),
                 (b"1\n2", b"1 \n 2"), (b"1 2", b"1\t2"), (b"a\r\nb", b"a\nb"), (b"", b"\n \n"),
                 (b"\n\nx", b"x")]
        different = [(b"1 2", b"1\n2"), (b"1\n2", b"1 2"), (b"ab", b"abc"), (b"abc", b"ab"),
                     (b"a", b"A"), (b"", b"x"), (b"1 2", b"12")]
        for judge, process in equal:
            self.assertTrue(standard.check(process, judge), (judge, process))
        for judge, process in different:
            self.assertFalse(standard.check(process, judge), (judge, process))

    def test_identical(self):
        self.assertTrue(identical.check(b"1 2\n", b"1 2\n"))
        r = identical.check(b"1  2\n", b"1 2\n")
        self.assertIsInstance(r, CheckerResult)
        self.assertFalse(r.passed)
        self.assertEqual(r.feedback, "Presentation Error, check your whitespace")
        self.assertIsNone(identical.check(b"1  2\n", b"1 2\n", pe_allowed=False).feedback)
        self.assertIsNone(identical.check(b"3\n", b"1 2\n").feedback)

    def test_rstripped(self):
        self.assertFalse(rstripped.check(b"a\nb", b"a\nb\n"))
        self.assertFalse(rstripped.check(b"a\nb\n\n", b"a\nb\n"))
        self.assertTrue(rstripped.check(b"a  \nb \n", b"a\nb\n"))
        self.assertTrue(rstripped.check(b"a\n\nb", b"a\nb\n", filter_new_line=True))

    def test_linecount(self):
        r = linecount.check(b"1\n5\n3\n", b"1\n2\n3\n4\n", point_value=8)
        self.assertFalse(r.passed)
        self.assertEqual(r.points, 4)
        self.assertEqual(r.extended_feedback, "Case Feedback:\n\u2713\u2717\u2713\u2717")
        self.assertFalse(linecount.check(b"1\n2\n3\n", b"1\n2\n", point_value=8))
        self.assertTrue(linecount.check.run_on_error)

    def test_linematches(self):
        r = linematches.check(b"a\nx\nc\n", b"a\nb\nc\n", point_value=10,
                              point_distribution=[1, 2, 2])
        self.assertTrue(r.passed)
        self.assertEqual(r.points, 6)
        with self.assertRaises(InternalError):
            linematches.check(b"a\n", b"a\nb\n", point_value=1, point_distribution=[1])
        self.assertFalse(linematches.check(b"a\n", b"a\nb\n", point_value=1,
                                           point_distribution=[1, 1]))

    def test_sorted_unordered_easy(self):
        self.assertTrue(sorted_checker.check(b"2 1\n1  2\n", b"1 2\n2 1\n"))
        self.assertFalse(sorted_checker.check(b"1 2\n1 2\n", b"1 2\n2 1\n"))
        self.assertTrue(sorted_checker.check(b"3\n2 1", b"1 2 3", split_on="whitespace"))
        with self.assertRaises(InternalError):
            sorted_checker.check(b"", b"", split_on="commas")
        self.assertTrue(unordered.check(b"c b a", b"a\nb\nc"))
        self.assertTrue(easy.check(b"ABC", b"c b\na"))
        self.assertFalse(easy.check(b"ABC", b"c b"))

    def test_floats(self):
        self.assertTrue(floats.check(b"1.0000001 x\n", b"1 x\n"))
        self.assertFalse(floats.check(b"1.01\n", b"1\n"))
        self.assertTrue(floats.check(b"1.01\n", b"1\n", precision=1))
        self.assertFalse(floats.check(b"nan\n", b"nan\n"))
        self.assertFalse(floats.check(b"inf\n", b"inf\n"))
        self.assertTrue(floatsrel.check(b"inf\n", b"inf\n"))
        self.assertTrue(floatsrel.check(b"1000000.5\n", b"1000000\n"))
        self.assertFalse(floatsabs.check(b"1000000.5\n", b"1000000\n"))
        self.assertFalse(floats.check(b"1 2\n", b"1\n"))
        self.assertFalse(floats.check(b"abc\n", b"1\n"))
        with self.assertRaises(InternalError):
            floats.check(b"1\n", b"1\n", error_mode="fuzzy")

    def test_results_and_unicode(self):
        self.assertEqual(utf8text(b"\xe2\x9c\x93"), "\u2713")
        self.assertEqual(utf8bytes("\u2713"), b"\xe2\x9c\x93")
        self.assertIsNone(utf8text(None))
        self.assertEqual(CheckerResult(True, 3, feedback=b"ok").feedback, "ok")
        r = Result(result_flag=Result.TLE | Result.WA)
        self.assertEqual(r.get_main_code(), Result.TLE)
        self.assertEqual(r.readable_codes(), ["TLE", "WA"])


class Runner(unittest.TestCase):
    """judge_run_checker.py run as the judge runs it, outside the sandbox."""

    def run_checker(self, source, process=b"6\n", answer=b"6\n", flags=0, args=None):
        with tempfile.TemporaryDirectory() as d:
            files = {"checker.py": source.encode(), "out": process, "ans": answer,
                     "in": b"3\n1 2 3\n", "src": b"int main(void) {}\n"}
            for name, data in files.items():
                with open(os.path.join(d, name), "wb") as f:
                    f.write(data)
            request = {"input_file": os.path.join(d, "in"), "output_file": os.path.join(d, "out"),
                       "answer_file": os.path.join(d, "ans"),
                       "source_file": os.path.join(d, "src"), "args": args or {},
                       "point_value": 4.0, "case_position": 2, "batch": 1, "flags": flags,
                       "submission_language": "C", "binary_data": False,
                       "execution_time": 0.5, "wall_time": 0.6, "memory": 1000,
                       "feedback": "", "problem_id": "p"}
            with open(os.path.join(d, "req.json"), "w") as f:
                json.dump(request, f)
            p = subprocess.run([sys.executable, "-B", os.path.join(LAYER, "judge_run_checker.py"),
                                os.path.join(d, "checker.py"), os.path.join(d, "req.json")],
                               capture_output=True, timeout=60)
            self.assertEqual(p.returncode, 0, p.stderr)
            return json.loads(p.stdout), p.stderr.decode()

    def test_bool_and_printing(self):
        out, err = self.run_checker("def check(p, j, **kw):\n    print('debug')\n"
                                    "    return p == j\n")
        self.assertEqual(out, {"passed": True, "points": 4.0, "feedback": None,
                               "extended_feedback": None})
        self.assertIn("debug", err)

    def test_checker_result_and_args(self):
        out, _ = self.run_checker(
            "from dmoj.result import CheckerResult\n"
            "def check(p, j, point_value, batch, case_position, bonus, **kw):\n"
            "    return CheckerResult(False, point_value / 4 + bonus, feedback='b%d c%d' %\n"
            "                         (batch, case_position))\n", args={"bonus": 1})
        self.assertEqual(out, {"passed": False, "points": 2.0, "feedback": "b1 c2",
                               "extended_feedback": None})

    def test_grader_arguments_win_over_init_yml(self):
        out, _ = self.run_checker("def check(p, j, point_value, **kw):\n"
                                  "    return point_value == 4.0\n", args={"point_value": 99})
        self.assertTrue(out["passed"])

    def test_failed_case_and_run_on_error(self):
        out, _ = self.run_checker("def check(p, j, **kw):\n    raise Exception\n", flags=4)
        self.assertFalse(out["passed"])
        out, _ = self.run_checker("def check(p, j, **kw):\n    return True\n"
                                  "check.run_on_error = True\n", flags=4)
        self.assertTrue(out["passed"])

    def test_errors(self):
        out, _ = self.run_checker("import dmoj.graders\n")
        self.assertIn("dmoj.graders", out["error"])
        out, _ = self.run_checker("def check(p, j, **kw):\n    return 'yes'\n")
        self.assertIn("check() returned 'yes'", out["error"])
        out, _ = self.run_checker("def check(p, j, **kw):\n    return p.decode('ascii') == ''\n",
                                  process=b"\xff")
        self.assertEqual((out["passed"], out["feedback"]), (False, "invalid unicode"))
        out, _ = self.run_checker("def check(p, j, **kw):\n    return {}['x']\n")
        self.assertIn("KeyError", out["error"])


if __name__ == "__main__":
    unittest.main(verbosity=2)
