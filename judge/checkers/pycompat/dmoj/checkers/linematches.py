"""Lines compared exactly, each worth its weight of point_distribution."""
from dmoj.checkers._split import lines
from dmoj.error import InternalError
from dmoj.result import CheckerResult


def check(process_output, judge_output, point_value=1, point_distribution=(1,),
          filler_lines_required=True, **kwargs):
    judge_lines = lines(judge_output)
    if len(judge_lines) != len(point_distribution):
        raise InternalError('point distribution length must equal to judge output length')
    if sum(point_distribution) == 0:
        raise InternalError('sum of point distribution must be positive')
    process_lines = lines(process_output)
    if filler_lines_required and len(process_lines) != len(judge_lines):
        return False
    points = sum(w for a, b, w in zip(process_lines, judge_lines, point_distribution) if a == b)
    return CheckerResult(points > 0, point_value * points / sum(point_distribution))
