"""Checker module of `pycheck`, written for DMOJ's Python judge: an answer
within `slack` of the sum gets half the points. It uses what such checkers
import from DMOJ (here from the judge's compatibility layer)."""
from dmoj.checkers import standard
from dmoj.result import CheckerResult
from dmoj.utils.unicode import utf8text


def check(process_output, judge_output, judge_input, point_value, submission_language,
          case_position, slack=0, **kwargs):
    if standard.check(process_output, judge_output):
        return True
    try:
        got = int(utf8text(process_output).split()[0])
    except (ValueError, IndexError):
        return CheckerResult(False, 0, feedback='not a number')
    want = int(utf8text(judge_output))
    count = int(utf8text(judge_input).split()[0])
    if abs(got - want) <= slack:
        return CheckerResult(True, point_value / 2, feedback='close (%d numbers)' % count,
                             extended_feedback='%s, case %d' % (submission_language,
                                                                case_position + 1))
    return CheckerResult(False, 0, feedback='off by %d' % abs(got - want))
