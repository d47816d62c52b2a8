"""Numbers within 10^-precision (absolute or relative, by error_mode), other
tokens equal; same lines and tokens per line."""
from dmoj.checkers._split import lines
from dmoj.error import InternalError


def _close(p, j, epsilon, mode):
    if mode == 'absolute':
        return abs(p - j) <= epsilon
    if mode == 'relative':
        lo, hi = sorted((j * (1 - epsilon), j * (1 + epsilon)))
        return lo <= p <= hi
    if mode == 'default':
        return abs(p - j) <= epsilon or (abs(j) >= epsilon and abs(1 - p / j) <= epsilon)
    raise InternalError('invalid `error_mode` value')


def check(process_output, judge_output, precision=6, error_mode='default', **kwargs):
    epsilon = 10 ** -int(precision)
    process_lines = lines(process_output)
    judge_lines = lines(judge_output)
    if len(process_lines) != len(judge_lines):
        return False
    try:
        for process_line, judge_line in zip(process_lines, judge_lines):
            process_tokens = process_line.split()
            judge_tokens = judge_line.split()
            if len(process_tokens) != len(judge_tokens):
                return False
            for p, j in zip(process_tokens, judge_tokens):
                try:
                    j_value = float(j)
                except ValueError:
                    if p != j:
                        return False
                    continue
                if not _close(float(p), j_value, epsilon, error_mode):
                    return False
    except InternalError:
        raise
    except Exception:
        return False
    return True
