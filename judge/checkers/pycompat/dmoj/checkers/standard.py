"""Token sequences equal, where a run of white space inside a line and a
line break are different separators; leading and trailing white space of
the whole output does not matter."""
import re

from dmoj.checkers._split import as_bytes

_RUNS = re.compile(rb'([ \t\v\f\r\n]+)')
_WHITE = b' \t\v\f\r\n'


def _shape(data):
    parts = _RUNS.split(as_bytes(data).strip(_WHITE))
    tokens = parts[0::2]
    # a separator counts only as "has a line break" or "does not"
    breaks = [b'\n' in sep or b'\r' in sep for sep in parts[1::2]]
    return tokens, breaks


def check(process_output, judge_output, **kwargs):
    return _shape(process_output) == _shape(judge_output)
