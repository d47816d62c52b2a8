"""`floats` with relative error."""
from dmoj.checkers import floats


def check(process_output, judge_output, **kwargs):
    kwargs['error_mode'] = 'relative'
    return floats.check(process_output, judge_output, **kwargs)
