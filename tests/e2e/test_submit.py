"""End to end: `judge submit` on the bundled example problems and on broken
input, through the built binary, with real compilers and processes."""
import os
import subprocess

from judgetest import JUDGE, PROBLEMS, JudgeCase, main

SAMPLES = [
    # problem, folder, language, source, result, points, case codes (None: all the result)
    ("aplusb", "ac_c", "C", "ac.c", "AC", 100, None),
    ("aplusb", "ac_cpp", "CPP17", "ac.cpp", "AC", 100, None),
    ("aplusb", "ac_py", "PY3", "ac.py", "AC", 100, None),
    ("aplusb", "wa_overflow", "C11", "wa.c", "WA", 50,
     ["AC"] * 6 + ["WA", "SC", "SC", "SC"]),
    ("aplusb", "tle", "C", "tle.c", "TLE", 0, ["TLE"] * 3 + ["SC"] * 7),
    ("aplusb", "rte", "CPP14", "rte.cpp", "RTE", 0, ["RTE"] * 3 + ["SC"] * 7),
    ("aplusb", "ir", "PY3", "ir.py", "IR", 0, ["IR"] * 3 + ["SC"] * 7),
    ("aplusb", "mle", "CPP20", "mle.cpp", "MLE", 0, ["MLE"] * 3 + ["SC"] * 7),
    ("aplusb", "ole", "C", "ole.c", "OLE", 0, ["OLE"] * 3 + ["SC"] * 7),
    ("aplusb", "ce", "CPP11", "ce.cpp", "CE", 0, []),
    ("circle", "ac", "PY3", "ac.py", "AC", 100, None),
    ("circle", "wa_rounded", "C", "rounded.c", "WA", 60, ["WA", "WA", "AC", "AC", "AC"]),
    ("sumlist", "ac", "CPP17", "ac.cpp", "AC", 100, None),
    ("sumlist", "wa_sample", "PY3", "wrong.py", "WA", 0, ["WA", "SC", "SC", "SC"]),
    ("sumlist", "ac_later_wa", "C", "partial.c", "WA", 40, ["AC", "AC", "AC", "WA"]),
]


class Samples(JudgeCase):
    def test_every_sample_gets_its_verdict(self):
        for problem, folder, lang, src, result, points, codes in SAMPLES:
            with self.subTest(sample="%s/%s" % (problem, folder)):
                doc = self.submit(problem, lang, os.path.join(PROBLEMS, problem, "tests", folder, src))
                self.assertEqual(doc["result"], result, doc)
                self.assertAlmostEqual(doc["points"], points)
                got = [c["status"] for c in doc["cases"]]
                if codes is None:
                    self.assertTrue(got and all(c == result for c in got), got)
                else:
                    self.assertEqual(got, codes)
                if result == "CE":
                    self.assertIn("error", doc["compile_log"])
                    self.assertNotIn("\x1b[", doc["compile_log"], "ANSI codes in --json output")
                self.assert_temp_clean()

    def test_json_document_shape(self):
        doc = self.submit("aplusb", "C", os.path.join(PROBLEMS, "aplusb/tests/wa_overflow/wa.c"))
        for key in ("problem", "language", "result", "points", "total", "time", "memory",
                    "compile_log", "error", "cases"):
            self.assertIn(key, doc)
        self.assertEqual(doc["problem"], "aplusb")
        self.assertEqual(doc["total"], 100)
        self.assertIsNone(doc["error"])
        c = doc["cases"][0]
        for key in ("position", "batch", "status", "flags", "time", "memory", "points",
                    "total", "feedback", "extended_feedback", "output"):
            self.assertIn(key, c)
        self.assertEqual([c["batch"] for c in doc["cases"]], [None, None] + [1] * 4 + [2] * 4)
        self.assertEqual([c["position"] for c in doc["cases"]], list(range(1, 11)))
        # a WA case carries the WA bit; a skipped one only SC
        self.assertEqual(doc["cases"][6]["flags"], 1)
        self.assertEqual(doc["cases"][7]["flags"], 32)
        # output prefix: the first 64 bytes of what the program printed
        with open(os.path.join(PROBLEMS, "aplusb/aplusb.1.out")) as f:
            first = f.read()
        self.assertEqual(doc["cases"][0]["output"], first[:64])
        self.assertAlmostEqual(doc["time"], sum(c["time"] for c in doc["cases"]), places=6)
        self.assertEqual(doc["memory"], max(c["memory"] for c in doc["cases"]))

    def test_feedback_names_the_failure(self):
        doc = self.submit("aplusb", "CPP14", os.path.join(PROBLEMS, "aplusb/tests/rte/rte.cpp"))
        self.assertEqual(doc["cases"][0]["feedback"], "segmentation fault")
        doc = self.submit("aplusb", "PY3", os.path.join(PROBLEMS, "aplusb/tests/ir/ir.py"))
        self.assertEqual(doc["cases"][0]["feedback"], "ZeroDivisionError")
        src = self.source("exit3.c", "int main(void) { return 3; }\n")
        doc = self.submit("aplusb", "C", src)
        self.assertEqual(doc["cases"][0]["status"], "IR")
        self.assertEqual(doc["cases"][0]["feedback"], "exit code 3")
        src = self.source("throw.cpp", '#include <stdexcept>\nint main() { throw std::runtime_error("x"); }\n')
        doc = self.submit("aplusb", "CPP17", src)
        self.assertEqual(doc["cases"][0]["status"], "RTE")
        self.assertEqual(doc["cases"][0]["feedback"], "std::runtime_error")

    def test_reader_going_away_still_cleans_up(self):
        """`judge submit ... | head -1`: the judge must not die of SIGPIPE
        with its working folder left behind."""
        cmd = [JUDGE, "-c", self.config, "--no-ansi", "submit", "aplusb", "C",
               os.path.join(PROBLEMS, "aplusb/tests/ac_c/ac.c")]
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        p.stdout.readline()
        p.stdout.close()
        self.assertEqual(p.wait(timeout=120), 0)
        self.assert_temp_clean()

    def test_text_output_is_per_case(self):
        rc, out, err = self.judge("submit", "aplusb", "C11",
                                  os.path.join(PROBLEMS, "aplusb/tests/wa_overflow/wa.c"))
        self.assertEqual(rc, 0, err)
        self.assertIn("Case #1: AC", out)
        self.assertIn("Batch #2", out)
        self.assertIn("Case #7: WA", out)
        self.assertIn("Result: WA (50/100 points)", out)
        self.assertNotIn("\x1b[", out)


class Measurement(JudgeCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.echo = None

    def setUp(self):
        self.problem("answer42", """\
            test_cases:
            - {in: in.txt, out: out.txt, points: 1}
            """, {"in.txt": "", "out.txt": "42\n"})
        # CPU time is what these measure: a busy machine may give the
        # program a small share of a CPU, so the wall clock gets room
        self.problem("cpu42", """\
            wall_time_factor: 100
            test_cases:
            - {in: in.txt, out: out.txt, points: 1}
            """, {"in.txt": "", "out.txt": "42\n"})

    def test_64_mib_allocation_is_measured(self):
        src = self.source("alloc.c", """\
            #include <stdio.h>
            #include <stdlib.h>
            #include <string.h>
            int main(void)
            {
                size_t n = 64u << 20;
                volatile char *p = malloc(n);
                if (!p)
                    return 1;
                for (size_t i = 0; i < n; i += 4096)
                    p[i] = 1;
                printf("%d\\n", 41 + p[4096]);
                return 0;
            }
            """)
        doc = self.submit("answer42", "C", src, memory=262144)
        self.assertEqual(doc["result"], "AC", doc)
        self.assertGreaterEqual(doc["memory"], 65536)
        self.assertLess(doc["memory"], 65536 + 16384)

    def test_trivial_program_reports_its_own_memory(self):
        src = self.source("trivial.c", '#include <stdio.h>\nint main(void) { puts("42"); return 0; }\n')
        doc = self.submit("answer42", "C", src)
        self.assertEqual(doc["result"], "AC", doc)
        self.assertGreater(doc["memory"], 0)
        # a dynamically linked hello world is about 1.3 MiB; the judge
        # process is several times that
        self.assertLess(doc["memory"], 3072)

    def test_one_second_busy_loop_reports_one_second(self):
        src = self.source("busy.c", """\
            #include <stdio.h>
            #include <time.h>
            int main(void)
            {
                volatile unsigned long n = 0;
                while (clock() < CLOCKS_PER_SEC)
                    n++;
                puts("42");
                return 0;
            }
            """)
        doc = self.submit("cpu42", "C", src, time=3)
        self.assertEqual(doc["result"], "AC", doc)
        self.assertGreaterEqual(doc["time"], 0.98)
        self.assertLess(doc["time"], 1.3)

    def test_time_limit_is_cpu_time(self):
        src = self.source("spin.c", "int main(void) { for (volatile int i = 0;; i++); }\n")
        doc = self.submit("cpu42", "C", src, time=0.5)
        self.assertEqual(doc["result"], "TLE")
        self.assertGreaterEqual(doc["cases"][0]["time"], 0.5)
        self.assertLess(doc["cases"][0]["time"], 0.8)

    def test_sleeping_program_hits_the_wall_clock(self):
        src = self.source("sleep.c", "#include <unistd.h>\nint main(void) { sleep(30); return 0; }\n")
        doc = self.submit("answer42", "C", src, time=0.3)
        self.assertEqual(doc["result"], "TLE")
        # killed by the wall clock (3 x 0.3 s) with almost no CPU used
        self.assertLess(doc["cases"][0]["time"], 0.1)


class BadInput(JudgeCase):
    AC = "#include <stdio.h>\nint main(void) { puts(\"42\"); return 0; }\n"

    def ie(self, code, src=None):
        doc = self.submit(code, "C", src or self.source("ok.c", self.AC), expect_rc=1)
        self.assertEqual(doc["result"], "IE", doc)
        self.assertEqual(doc["cases"], [])
        self.assert_temp_clean()
        return doc["error"]

    def test_broken_init_yml(self):
        self.problem("broken", "test_cases: [ {in: a\n  - oops\n")
        msg = self.ie("broken")
        self.assertIn("init.yml", msg)
        self.assertIn("YAML", msg)

    def test_init_yml_with_wrong_type(self):
        self.problem("badtype", """\
            test_cases:
            - {in: a.in, out: a.out, points: lots}
            """, {"a.in": "", "a.out": "42\n"})
        msg = self.ie("badtype")
        self.assertIn("init.yml:2", msg)
        self.assertIn("points", msg)

    def test_unsupported_key_is_named(self):
        self.problem("badkey", """\
            test_cases:
            - {in: a.in, out: a.out, points: 1}
            frobnicate: true
            """, {"a.in": "", "a.out": "42\n"})
        self.assertIn("frobnicate", self.ie("badkey"))

    def test_missing_data_file(self):
        self.problem("nodata", """\
            test_cases:
            - {in: a.in, out: missing.out, points: 1}
            """, {"a.in": ""})
        msg = self.ie("nodata")
        self.assertIn("missing.out", msg)

    def test_unknown_checker(self):
        self.problem("nochecker", """\
            checker: telepathy
            test_cases:
            - {in: a.in, out: a.out, points: 1}
            """, {"a.in": "", "a.out": "42\n"})
        self.assertIn("telepathy", self.ie("nochecker"))

    def test_dependency_on_later_batch(self):
        self.problem("baddeps", """\
            test_cases:
            - {batched: [{in: a.in, out: a.out}], points: 1, dependencies: [2]}
            - {batched: [{in: a.in, out: a.out}], points: 1}
            """, {"a.in": "", "a.out": "42\n"})
        self.assertIn("dependencies", self.ie("baddeps"))

    def test_nested_batches(self):
        self.problem("nested", """\
            test_cases:
            - batched:
              - batched: [{in: a.in, out: a.out}]
              points: 1
            """, {"a.in": "", "a.out": "42\n"})
        self.assertIn("nested", self.ie("nested"))

    def test_custom_judge_is_refused_clearly(self):
        self.problem("grader", """\
            custom_judge: grader.py
            test_cases:
            - {in: a.in, out: a.out, points: 1}
            """, {"a.in": "", "a.out": "42\n"})
        self.assertIn("custom_judge (Python grader) is not supported", self.ie("grader"))

    def test_unknown_language(self):
        rc, out, err = self.judge("submit", "aplusb", "COBOL95", self.source("x.cob", "x"))
        self.assertEqual(rc, 2)
        self.assertIn("COBOL95", err)
        self.assertEqual(out, "")

    def test_unknown_problem(self):
        rc, out, err = self.judge("submit", "nosuchproblem", "C", self.source("ok.c", self.AC))
        self.assertEqual(rc, 1)
        self.assertIn("nosuchproblem", err)

    def ce(self, data, lang="C"):
        doc = self.submit("aplusb", lang, self.source("bad.src", data))
        self.assertEqual(doc["result"], "CE", doc)
        self.assert_temp_clean()
        return doc["compile_log"]

    def test_source_not_utf8(self):
        self.assertIn("not valid UTF-8", self.ce(b"int main(void) { return 0; } /* \xff\xfe */\n"))

    def test_zero_byte_source(self):
        self.assertIn("empty", self.ce(b""))

    def test_ten_megabyte_source(self):
        log = self.ce(b"//" + b"x" * (10 << 20) + b"\nint main(void) { return 0; }\n")
        self.assertIn("limit", log)

    def test_usage_errors(self):
        rc, out, err = self.judge("submit", "aplusb")
        self.assertEqual(rc, 2)
        rc, out, err = self.judge("submit", "aplusb", "C", "/nonexistent/file.c")
        self.assertEqual(rc, 2)
        self.assertIn("/nonexistent/file.c", err)

    def test_broken_config_names_file_line_and_key(self):
        bad = os.path.join(self.scratch, "bad-config.yml")
        with open(bad, "w") as f:
            f.write("problem_storage_globs: [/tmp]\ncompiler_time_limit: soon\n")
        rc, out, err = self.judge("problems", config=bad)
        self.assertEqual(rc, 2)
        self.assertIn("bad-config.yml:2", err)
        self.assertIn("compiler_time_limit", err)


class Commands(JudgeCase):
    def test_problems_lists_examples(self):
        rc, out, err = self.judge("problems")
        self.assertEqual(rc, 0, err)
        codes = [line.split()[0] for line in out.splitlines()]
        for code in ("aplusb", "circle", "sumlist"):
            self.assertIn(code, codes)

    def test_executors_lists_versions(self):
        rc, out, err = self.judge("executors")
        self.assertEqual(rc, 0, err)
        lines = {l.split()[0]: l for l in out.splitlines()}
        for key in ("C", "C11", "CPP03", "CPP11", "CPP14", "CPP17", "CPP20", "PY3"):
            self.assertIn(key, lines)
            self.assertIn(" ok ", lines[key])
        gcc = subprocess.run(["gcc", "-dumpfullversion"], capture_output=True, text=True).stdout.strip()
        self.assertIn(gcc, lines["C"])

    def test_autoconf_prints_runtime_block(self):
        rc, out, err = self.judge("autoconf")
        self.assertEqual(rc, 0, err)
        self.assertTrue(out.startswith("runtime:\n"))
        self.assertIn("  gcc: ", out)
        self.assertIn("  python3: ", out)
        # a runtime the sandbox user can run, never a pyenv shim
        self.assertNotIn("shims", out)

    def test_version_and_help(self):
        p = subprocess.run([JUDGE, "--version"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertRegex(p.stdout, r"^judge \d+\.\d+")
        p = subprocess.run([JUDGE, "--help"], capture_output=True, text=True)
        self.assertEqual(p.returncode, 0)
        self.assertIn("submit", p.stdout)


if __name__ == "__main__":
    main()
