"""End to end: the whole DMOJ problem format through the built judge, and
above all broken problem data: every broken form ends the submission with an
internal error naming the problem, the key or file, and what is wrong, and
the judge goes on grading. Also `judge testsuite` itself, and the
compiled-binary cache."""
import io
import json
import os
import shutil
import zipfile

from judgetest import JudgeCase, main, write

SUM_C = r"""#include <stdio.h>
int main(void)
{
	long long n, x, s = 0;
	if (scanf("%lld", &n) != 1)
		return 1;
	while (n-- > 0 && scanf("%lld", &x) == 1)
		s += x;
	printf("%lld\n", s);
	return 0;
}
"""
CASE = {"1.in": "3\n1 2 3\n", "1.out": "6\n"}
ONE_CASE = "test_cases:\n- {in: 1.in, out: 1.out, points: 1}\n"


def zipped(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in members.items():
            z.writestr(name, text)
    return buf.getvalue()


def bridged(files, extra=""):
    return ("checker:\n  name: bridged\n  args: {files: %s, lang: C11%s}\n" % (files, extra)
            + ONE_CASE)


class Broken(JudgeCase):
    """Each problem is broken in one way; the message must say how."""

    def ie(self, code, init, files=None, src=SUM_C, lang="C"):
        self.problem(code, init, files)
        doc = self.submit(code, lang, self.source("sum." + ("py" if lang == "PY3" else "c"), src),
                          expect_rc=1)
        self.assertEqual(doc["result"], "IE", doc)
        self.assertEqual(doc["cases"], [])
        self.assertIn(code, doc["error"])
        self.assert_temp_clean()
        return doc["error"]

    def test_archive_missing(self):
        msg = self.ie("noarchive", "archive: data.zip\n" + ONE_CASE)
        self.assertIn("archive", msg)
        self.assertIn("data.zip", msg)
        self.assertIn("does not exist", msg)

    def test_archive_corrupt(self):
        msg = self.ie("badzip", "archive: data.zip\n", {"data.zip": b"PK\x03\x04 not really"})
        self.assertIn("bad archive", msg)
        self.assertIn("data.zip", msg)

    def test_case_file_missing_from_folder_and_archive(self):
        msg = self.ie("nofile", "archive: data.zip\n" + ONE_CASE,
                      {"data.zip": zipped({"1.in": "3\n1 2 3\n"})})
        self.assertIn("1.out", msg)
        self.assertIn("data.zip", msg)

    def test_regex_that_matches_nothing(self):
        msg = self.ie("nomatch", "archive: data.zip\ntest_cases:\n"
                      "  input_format: '^input/(?P<case>\\d+)$'\n"
                      "  output_format: '^output/(?P<case>\\d+)$'\n",
                      {"data.zip": zipped({"1.in": "1\n", "1.out": "1\n"})})
        self.assertIn("input_format", msg)
        self.assertIn("matches", msg)

    def test_regex_that_does_not_compile(self):
        msg = self.ie("badregex", "archive: data.zip\ntest_cases:\n"
                      "  input_format: '(?P<case>\\d+'\n",
                      {"data.zip": zipped({"1.in": "1\n", "1.out": "1\n"})})
        self.assertIn("input_format", msg)
        self.assertIn("does not compile", msg)

    def test_regex_without_case_group(self):
        msg = self.ie("nocase", "archive: data.zip\ntest_cases:\n"
                      "  input_format: '^(?P<batch>\\d+)\\.in$'\n",
                      {"data.zip": zipped({"1.in": "1\n", "1.out": "1\n"})})
        self.assertIn("case number", msg)

    def test_derived_cases_without_archive(self):
        msg = self.ie("noarch2", "test_cases: {input_format: '(?P<case>\\d+)'}\n")
        self.assertIn("archive", msg)

    def test_case_points_too_short(self):
        msg = self.ie("shortpoints", "archive: data.zip\ntest_cases: {case_points: [5]}\n",
                      {"data.zip": zipped({"1.in": "", "1.out": "", "2.in": "", "2.out": ""})})
        self.assertIn("case_points", msg)

    def test_symlink_outside_the_folder(self):
        msg = self.ie("badlink", "symlinks: {../escape: /etc/passwd}\n" + ONE_CASE, CASE)
        self.assertIn("symlinks", msg)
        self.assertIn("outside", msg)

    def test_checker_that_does_not_compile(self):
        msg = self.ie("badchecker", bridged("checker.c"),
                      dict(CASE, **{"checker.c": "int main(void) { return oops; }\n"}))
        self.assertIn("checker.c", msg)
        self.assertIn("failed compiling", msg)
        self.assertIn("oops", msg)

    def test_checker_source_missing(self):
        msg = self.ie("nochecker", bridged("checker.c"), CASE)
        self.assertIn("checker.c", msg)
        self.assertIn("does not exist", msg)

    def test_checker_that_crashes(self):
        msg = self.ie("crashchecker", bridged("checker.c"),
                      dict(CASE, **{"checker.c": "#include <stdlib.h>\n"
                                    "int main(void) { abort(); }\n"}))
        self.assertIn("checker", msg)
        self.assertIn("exited with", msg)

    def test_checker_with_an_unknown_exit_code(self):
        msg = self.ie("code5checker", bridged("checker.c"),
                      dict(CASE, **{"checker.c": "int main(void) { return 5; }\n"}))
        self.assertIn("checker exited with nonzero code 5", msg)

    def test_checker_that_times_out(self):
        msg = self.ie("slowchecker", bridged("checker.c", ", time_limit: 0.5"),
                      dict(CASE, **{"checker.c": "int main(void) { for (;;); }\n"}))
        self.assertIn("checker timed out (> 0.5 seconds)", msg)

    def test_testlib_checker_failing_its_own_assertion(self):
        msg = self.ie("failchecker", bridged("checker.c", ", type: testlib"),
                      dict(CASE, **{"checker.c": "#include <stdio.h>\nint main(void) "
                                    "{ printf(\"answer file broken\"); return 3; }\n"}))
        self.assertIn("failed assertion", msg)
        self.assertIn("answer file broken", msg)

    def test_testlib_partial_without_points(self):
        msg = self.ie("nopoints", bridged("checker.c", ", type: testlib"),
                      dict(CASE, **{"checker.c": "int main(void) { return 7; }\n"}))
        self.assertIn("partial points", msg)

    def test_bad_args_format_string(self):
        msg = self.ie("badformat", bridged("checker.c", ", args_format_string: '{input} x'"),
                      dict(CASE, **{"checker.c": "int main(void) { return 0; }\n"}))
        self.assertIn("args_format_string", msg)
        self.assertIn("placeholder", msg)

    def test_unknown_bridged_type(self):
        msg = self.ie("badtype", bridged("checker.c", ", type: hackerrank"), CASE)
        self.assertIn("hackerrank", msg)
        self.assertIn("type", msg)

    def test_generator_that_fails(self):
        msg = self.ie("badgen", "generator: gen.c\ntest_cases:\n- {generator_args: [1]}\n",
                      {"gen.c": "int main(void) { return 4; }\n"})
        self.assertIn("generator", msg)
        self.assertIn("gen.c", msg)
        self.assertIn("nonzero code 4", msg)

    def test_generator_that_times_out(self):
        msg = self.ie("slowgen", "generator: {source: gen.c, time_limit: 0.5}\n"
                      "test_cases:\n- {generator_args: [1]}\n",
                      {"gen.c": "int main(void) { for (;;); }\n"})
        self.assertIn("generator timed out", msg)

    def test_generator_that_does_not_compile(self):
        msg = self.ie("cegen", "generator: gen.c\ntest_cases:\n- {generator_args: [1]}\n",
                      {"gen.c": "this is not C\n"})
        self.assertIn("gen.c", msg)
        self.assertIn("failed compiling", msg)

    def test_interactor_that_crashes_under_a_correct_submission(self):
        src = "#include <stdio.h>\nint main(void) { puts(\"hi\"); return 0; }\n"
        msg = self.ie("badinteractor", "interactive: {files: inter.c, lang: C}\n" + ONE_CASE,
                      dict(CASE, **{"inter.c": "#include <stdlib.h>\n"
                                    "int main(void) { abort(); }\n"}), src=src)
        self.assertIn("interactor", msg)
        self.assertIn("exited with", msg)

    def test_signature_grader_header_missing(self):
        msg = self.ie("nosig", "signature_grader: {entry: e.c, header: h.h}\n" + ONE_CASE,
                      dict(CASE, **{"e.c": "int main(void) { return 0; }\n"}))
        self.assertIn("signature_grader", msg)
        self.assertIn("h.h", msg)

    def test_python_checker_importing_what_the_layer_lacks(self):
        msg = self.ie("pyimport", "checker: check.py\n" + ONE_CASE,
                      dict(CASE, **{"check.py": "from dmoj.executors import executors\n"
                                    "def check(a, b, **kw):\n    return True\n"}))
        self.assertIn("dmoj.executors", msg)
        self.assertIn("compatibility layer", msg)

    def test_python_checker_importing_a_missing_package(self):
        msg = self.ie("pynumpy", "checker: check.py\n" + ONE_CASE,
                      dict(CASE, **{"check.py": "import surely_not_installed_anywhere\n"
                                    "def check(a, b, **kw):\n    return True\n"}))
        self.assertIn("surely_not_installed_anywhere", msg)

    def test_python_checker_module_missing(self):
        msg = self.ie("pymissing", "checker: check.py\n" + ONE_CASE, CASE)
        self.assertIn("check.py", msg)
        self.assertIn("does not exist", msg)

    def test_python_checker_with_a_syntax_error(self):
        msg = self.ie("pysyntax", "checker: check.py\n" + ONE_CASE,
                      dict(CASE, **{"check.py": "def check(:\n"}))
        self.assertIn("check.py", msg)
        self.assertIn("compile", msg)

    def test_python_checker_without_check(self):
        msg = self.ie("pynocheck", "checker: check.py\n" + ONE_CASE,
                      dict(CASE, **{"check.py": "x = 1\n"}))
        self.assertIn("no check method", msg)

    def test_python_checker_raising(self):
        msg = self.ie("pyraise", "checker: check.py\n" + ONE_CASE,
                      dict(CASE, **{"check.py": "from dmoj.error import InternalError\n"
                                    "def check(a, b, **kw):\n"
                                    "    raise InternalError('answer is corrupt')\n"}))
        self.assertIn("answer is corrupt", msg)

    def test_python_checker_returning_nonsense(self):
        msg = self.ie("pyreturn", "checker: check.py\n" + ONE_CASE,
                      dict(CASE, **{"check.py": "def check(a, b, **kw):\n    return 1\n"}))
        self.assertIn("check() returned 1", msg)

    def test_python_checker_that_loops(self):
        # Python checkers run under the generator limits: shortened here
        config = os.path.join(self.scratch, "short-limits.yml")
        with open(self.config) as f:
            write(config, f.read() + "generator_time_limit: 1\n")
        self.problem("pyloop", "checker: check.py\n" + ONE_CASE,
                     dict(CASE, **{"check.py": "def check(a, b, **kw):\n    while True:\n"
                                   "        pass\n"}))
        rc, out, err = self.judge("submit", "pyloop", "C", self.source("sum.c", SUM_C), "--json",
                                  config=config)
        self.assertEqual(rc, 1, err)
        self.assertIn("checker check.py: checker timed out (> 1 seconds)", json.loads(out)["error"])

    def test_judge_goes_on_after_broken_problems(self):
        # a broken problem between two good gradings: the judge grades on
        self.problem("goodsum", ONE_CASE, CASE)
        self.problem("brokensum", "checker: nope.py\n" + ONE_CASE, CASE)
        src = self.source("sum.c", SUM_C)
        self.assertEqual(self.submit("goodsum", "C", src)["result"], "AC")
        self.assertEqual(self.submit("brokensum", "C", src, expect_rc=1)["result"], "IE")
        self.assertEqual(self.submit("goodsum", "C", src)["result"], "AC")
        self.assert_temp_clean()


class Features(JudgeCase):
    def test_archive_cases_are_streamed_and_normalised(self):
        big = 1 << 22
        data = {"a.1.in": "2\r\n3 4", "a.1.out": "7",
                "a.2.in": "%d\n%s\n" % (big, " ".join(["1"] * big)), "a.2.out": "%d\n" % big}
        self.problem("zipsum", "archive: data.zip\n", {"data.zip": zipped(data)})
        doc = self.submit("zipsum", "C", self.source("sum.c", SUM_C), time=5)
        self.assertEqual(doc["result"], "AC", doc)
        self.assertEqual(len(doc["cases"]), 2)
        # the output prefix of case 1 is what the program printed
        self.assertEqual(doc["cases"][0]["output"], "7\n")

    def test_interactive_needs_unbuffered_for_a_program_that_never_flushes(self):
        inter = ("#include <stdio.h>\nint main(void) { char b[16]; "
                 "if (scanf(\"%15s\", b) != 1) return 1; puts(\"pong\"); fflush(stdout); "
                 "return 0; }\n")
        sub = ("#include <stdio.h>\n#include <unistd.h>\nint main(void) { char b[16]; "
               "printf(\"ping\\n\"); if (scanf(\"%15s\", b) != 1) return 1; return 0; }\n")
        files = {"1.in": "", "1.out": "", "inter.c": inter}
        base = "interactive: {files: inter.c, lang: C}\n" + ONE_CASE
        self.problem("pingbuf", base, files)
        self.problem("pingunbuf", "unbuffered: true\n" + base, files)
        src = self.source("ping.c", sub)
        # buffered: the ping waits in the program's buffer while it waits
        # for the pong, until the wall clock ends it
        self.assertEqual(self.submit("pingbuf", "C", src, time=0.3)["result"], "TLE")
        self.assertEqual(self.submit("pingunbuf", "C", src, time=0.3)["result"], "AC")

    def test_compiled_checker_is_cached_across_gradings(self):
        checker = "int main(void) { return 0; }\n"
        self.problem("cachedchecker", bridged("checker.c"), dict(CASE, **{"checker.c": checker}))
        src = self.source("sum.c", SUM_C)
        rc, out, err = self.judge("-d", "submit", "cachedchecker", "C", src)
        self.assertEqual(rc, 0, err)
        self.assertIn("compiled", err)
        rc, out, err = self.judge("-d", "submit", "cachedchecker", "C", src)
        self.assertEqual(rc, 0, err)
        self.assertIn("from the binary cache", err)
        binaries = os.listdir(os.path.join(self.cache, "binaries"))
        self.assertEqual(len(binaries), 1, binaries)

    def test_cache_keeps_only_the_configured_number_of_binaries(self):
        config = os.path.join(self.scratch, "small-cache.yml")
        cache = os.path.join(self.scratch, "small-cache")
        with open(self.config) as f:
            text = f.read().replace(self.cache, cache)
        write(config, text + "compiled_binary_cache_size: 2\n")
        src = self.source("sum.c", SUM_C)
        for i in range(4):
            code = "cachesize%d" % i
            self.problem(code, bridged("checker.c"),
                         dict(CASE, **{"checker.c": "int main(void) { return %d * 0; }\n" % i}))
            rc, out, err = self.judge("submit", code, "C", src, config=config)
            self.assertEqual(rc, 0, err)
        self.assertEqual(len(os.listdir(os.path.join(cache, "binaries"))), 2)

    def test_python_checker_gets_dmoj_keyword_arguments(self):
        check = ("import json\nfrom dmoj.result import CheckerResult\n"
                 "def check(process_output, judge_output, **kw):\n"
                 "    r = kw['result']\n"
                 "    seen = dict(position=kw['case_position'], batch=kw['batch'],\n"
                 "                lang=kw['submission_language'], points=kw['point_value'],\n"
                 "                problem=kw['problem_id'], binary=kw['binary_data'],\n"
                 "                source=kw['submission_source'][:8].decode(),\n"
                 "                input=kw['judge_input'].decode(), flag=r.result_flag,\n"
                 "                mine=kw['mine'], time=kw['execution_time'] >= 0)\n"
                 "    return CheckerResult(True, 2.5, feedback=json.dumps(seen, sort_keys=True))\n")
        self.problem("pykwargs", "checker: {name: check.py, args: {mine: 7}}\n"
                     "test_cases:\n- {in: 1.in, out: 1.out, points: 1}\n"
                     "- {batched: [{in: 1.in, out: 1.out}], points: 5}\n",
                     dict(CASE, **{"check.py": check}))
        doc = self.submit("pykwargs", "C", self.source("sum.c", SUM_C))
        self.assertEqual(doc["result"], "AC", doc)
        first = json.loads(doc["cases"][0]["feedback"])
        self.assertEqual(first, {"position": 0, "batch": 0, "lang": "C", "points": 1,
                                 "problem": "pykwargs", "binary": False, "source": "#include",
                                 "input": "3\n1 2 3\n", "flag": 0, "mine": 7, "time": True})
        second = json.loads(doc["cases"][1]["feedback"])
        self.assertEqual((second["position"], second["batch"], second["points"]), (1, 1, 5))
        self.assertEqual(doc["cases"][0]["points"], 2.5)

    def test_python_checker_is_not_asked_about_failed_cases(self):
        check = "def check(a, b, **kw):\n    raise Exception('must not run')\n"
        self.problem("pyfailed", "checker: check.py\n" + ONE_CASE,
                     dict(CASE, **{"check.py": check}))
        doc = self.submit("pyfailed", "C", self.source("crash.c", "int main(void) { return 3; }\n"))
        self.assertEqual(doc["result"], "IR", doc)


class Testsuite(JudgeCase):
    def suite(self, *args):
        return self.judge("testsuite", self.extra, *args, timeout=300)

    def make(self, code, tests):
        self.problem(code, ONE_CASE, CASE)
        for name, (yml, files) in tests.items():
            d = os.path.join(self.extra, code, "tests", name)
            write(os.path.join(d, "test.yml"), yml)
            for fname, text in files.items():
                write(os.path.join(d, fname), text)

    def setUp(self):
        for name in os.listdir(self.extra):
            shutil.rmtree(os.path.join(self.extra, name))

    def test_pass_fail_skip_and_summary(self):
        head = "language: C\nsource: s.c\ntime: 1\nmemory: 65536\n"
        self.make("suiteprob", {
            "ac": (head + "expect: AC\n", {"s.c": SUM_C}),
            "wrongly_expected": (head + "expect: WA\nfeedback: nope\n", {"s.c": SUM_C}),
            "ce": (head + "expect: CE\n", {"s.c": "nonsense\n"}),
            "unexpected_ce": (head, {"s.c": "nonsense\n"}),
            "skipped": (head + "skip: true\n", {"s.c": SUM_C}),
            "no_language": ("language: COBOL\nsource: s.c\ntime: 1\nmemory: 1024\n",
                            {"s.c": ""}),
            "two_sources": ("language: C\nsource: [a.c, b.c]\ntime: 1\nmemory: 65536\n",
                            {"a.c": SUM_C, "b.c": "int main(void) { return 1; }\n"}),
            "typo": (head + "expcet: AC\n", {"s.c": SUM_C}),
        })
        rc, out, err = self.suite()
        self.assertEqual(rc, 1, out + err)
        lines = out.splitlines()
        status = {l.split()[1]: l.split()[0] for l in lines if l[:4] in ("PASS", "FAIL", "SKIP")}
        self.assertEqual(status, {
            "suiteprob/ac": "PASS", "suiteprob/ce": "PASS",
            "suiteprob/wrongly_expected": "FAIL", "suiteprob/unexpected_ce": "FAIL",
            "suiteprob/skipped": "SKIP", "suiteprob/no_language": "SKIP",
            "suiteprob/two_sources": "FAIL", "suiteprob/typo": "FAIL"})
        self.assertIn("Unexpected code for case 1: AC, expecting WA", out)
        self.assertIn('Unexpected feedback for case 1: "", expecting "nope"', out)
        self.assertIn("Unexpected compile error", out)
        self.assertIn("b.c:", out)
        self.assertIn("Unexpected code for case 1: IR, expecting AC", out)
        self.assertIn("expcet", out)
        self.assertEqual(lines[-1], "2 passed, 4 failed")

    def test_regex_filters_and_exit_status(self):
        head = "language: C\nsource: s.c\ntime: 1\nmemory: 65536\n"
        self.make("alpha", {"ok": (head, {"s.c": SUM_C}), "bad": (head + "expect: WA\n",
                                                                 {"s.c": SUM_C})})
        self.make("beta", {"ok": (head, {"s.c": SUM_C})})
        rc, out, err = self.suite("al", "o")
        self.assertEqual(rc, 0, out + err)
        self.assertEqual(out.splitlines(), ["PASS alpha/ok", "1 passed, 0 failed"])
        rc, out, err = self.suite("beta")
        self.assertEqual((rc, out.splitlines()[-1]), (0, "1 passed, 0 failed"))
        rc, out, err = self.suite(".*", "bad")
        self.assertEqual((rc, out.splitlines()[-1]), (1, "0 passed, 1 failed"))

    def test_score_and_its_older_name_points(self):
        head = "language: C\nsource: s.c\ntime: 1\nmemory: 65536\n"
        self.make("scored", {"score": (head + "score: 1\n", {"s.c": SUM_C}),
                             "points": (head + "points: [1, 2]\n", {"s.c": SUM_C}),
                             "wrong": (head + "points: 3\n", {"s.c": SUM_C})})
        rc, out, err = self.suite()
        self.assertEqual(rc, 1, out + err)
        self.assertIn("PASS scored/score", out)
        self.assertIn("PASS scored/points", out)
        self.assertIn("Unexpected score for case 1: 1, expecting 3", out)

    def test_internal_error_expectation(self):
        self.problem("iexp", "checker: missing.py\n" + ONE_CASE, CASE)
        d = os.path.join(self.extra, "iexp", "tests", "ie")
        write(os.path.join(d, "test.yml"), "language: C\nsource: s.c\ntime: 1\nmemory: 65536\n"
              "expect: IE\nfeedback: 'checker module path does not exist'\n")
        write(os.path.join(d, "s.c"), SUM_C)
        rc, out, err = self.suite()
        self.assertEqual(rc, 0, out + err)

    def test_usage_errors(self):
        rc, out, err = self.judge("testsuite")
        self.assertEqual(rc, 2)
        rc, out, err = self.judge("testsuite", "/nonexistent/folder")
        self.assertEqual(rc, 2)
        self.assertIn("/nonexistent/folder", err)
        rc, out, err = self.judge("testsuite", self.extra, "(unclosed")
        self.assertEqual(rc, 2)
        self.assertIn("PROBLEM_REGEX", err)


if __name__ == "__main__":
    main()
