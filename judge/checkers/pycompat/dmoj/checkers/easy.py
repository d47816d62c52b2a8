"""Same characters the same number of times, ignoring white space, case and
order."""
import re
from collections import Counter

from dmoj.checkers._split import as_bytes

_SPACE = re.compile(rb'[ \t\n\r\f\v]+')


def check(process_output, judge_output, **kwargs):
    def letters(data):
        return Counter(_SPACE.sub(b'', as_bytes(data)).lower())
    return letters(process_output) == letters(judge_output)
