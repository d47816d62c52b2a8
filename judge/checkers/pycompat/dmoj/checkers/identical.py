"""Bytes identical; with pe_allowed, output that differs only in white space
gets the feedback `Presentation Error, check your whitespace`."""
from dmoj.checkers import standard
from dmoj.checkers._split import as_bytes
from dmoj.result import CheckerResult


def check(process_output, judge_output, pe_allowed=True, **kwargs):
    if as_bytes(process_output) == as_bytes(judge_output):
        return True
    feedback = None
    if pe_allowed and standard.check(process_output, judge_output):
        feedback = 'Presentation Error, check your whitespace'
    return CheckerResult(False, 0, feedback=feedback)
