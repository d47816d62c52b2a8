"""Same number of lines, each equal after stripping trailing white space;
filter_new_line drops empty lines first."""
from dmoj.checkers._split import segments


def check(process_output, judge_output, filter_new_line=False, **kwargs):
    process_lines = segments(process_output)
    judge_lines = segments(judge_output)
    if filter_new_line:
        process_lines = [s for s in process_lines if s]
        judge_lines = [s for s in judge_lines if s]
    if len(process_lines) != len(judge_lines):
        return False
    return all(a.rstrip() == b.rstrip() for a, b in zip(process_lines, judge_lines))
