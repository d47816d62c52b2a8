"""Points by the fraction of expected lines the output matches at the same
position (both stripped, empty lines dropped). Runs even when the program
failed."""
from dmoj.checkers._split import lines
from dmoj.result import CheckerResult


def check(process_output, judge_output, point_value=1, feedback=True, **kwargs):
    process_lines = lines(process_output)
    judge_lines = lines(judge_output)
    if len(process_lines) > len(judge_lines):
        return False
    if not judge_lines:
        return True
    marks = ['\u2717'] * len(judge_lines)
    for i, (a, b) in enumerate(zip(process_lines, judge_lines)):
        if a.strip() == b.strip():
            marks[i] = '\u2713'
    correct = marks.count('\u2713')
    return CheckerResult(correct == len(judge_lines),
                         point_value * correct / len(judge_lines),
                         extended_feedback='Case Feedback:\n' + ''.join(marks) if feedback else '')


check.run_on_error = True
