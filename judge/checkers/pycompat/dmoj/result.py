"""Results as DMOJ's checkers see them: CheckerResult, which a check()
function may return instead of a bool, and Result, the case's outcome so
far (passed to checkers as the `result` keyword argument)."""
from dmoj.utils.unicode import utf8text


class Result:
    AC = 0
    WA = 1 << 0
    RTE = 1 << 1
    TLE = 1 << 2
    MLE = 1 << 3
    IR = 1 << 4
    SC = 1 << 5
    OLE = 1 << 6
    IE = 1 << 30

    # the order a site shows the codes of a case in
    CODE_DISPLAY_ORDER = ('IE', 'TLE', 'MLE', 'OLE', 'RTE', 'IR', 'WA', 'SC')

    def __init__(self, case=None, result_flag=0, execution_time=0.0, wall_clock_time=0.0,
                 max_memory=0, context_switches=(0, 0), proc_output=b'', feedback='',
                 extended_feedback='', points=0.0, total_points=0.0, runtime_version=''):
        self.case = case
        self.result_flag = result_flag
        self.execution_time = execution_time
        self.wall_clock_time = wall_clock_time
        self.max_memory = max_memory
        self.context_switches = context_switches
        self.proc_output = proc_output
        self.feedback = feedback
        self.extended_feedback = extended_feedback
        self.points = points
        self.total_points = total_points
        self.runtime_version = runtime_version

    def get_main_code(self):
        for code in self.CODE_DISPLAY_ORDER:
            if self.result_flag & getattr(self, code):
                return getattr(self, code)
        return self.AC

    def readable_codes(self):
        codes = [c for c in self.CODE_DISPLAY_ORDER if self.result_flag & getattr(self, c)]
        return codes or ['AC']


class CheckerResult:
    def __init__(self, passed, points, feedback=None, extended_feedback=None):
        self.passed = passed
        self.points = points
        self.feedback = utf8text(feedback, 'replace') if feedback is not None else None
        self.extended_feedback = (utf8text(extended_feedback, 'replace')
                                  if extended_feedback is not None else None)

    def __repr__(self):
        return 'CheckerResult(passed=%r, points=%r, feedback=%r)' % (
            self.passed, self.points, self.feedback)
