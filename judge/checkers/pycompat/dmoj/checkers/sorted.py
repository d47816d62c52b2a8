"""Same multiset of lines (each compared as its list of tokens), or of
tokens with split_on='whitespace'."""
import builtins
import re

from dmoj.checkers._split import as_bytes, lines
from dmoj.error import InternalError

_SPACE = re.compile(rb'[ \t\n\r\f\v]')


def check(process_output, judge_output, split_on='lines', **kwargs):
    if split_on == 'lines':
        process_lines = lines(process_output)
        judge_lines = lines(judge_output)
        if len(process_lines) != len(judge_lines):
            return False
        return (builtins.sorted(line.split() for line in process_lines) ==
                builtins.sorted(line.split() for line in judge_lines))
    if split_on == 'whitespace':
        process_tokens = [t for t in _SPACE.split(as_bytes(process_output)) if t]
        judge_tokens = [t for t in _SPACE.split(as_bytes(judge_output)) if t]
        if len(process_tokens) != len(judge_tokens):
            return False
        return builtins.sorted(process_tokens) == builtins.sorted(judge_tokens)
    raise InternalError('invalid `split_on` mode')
