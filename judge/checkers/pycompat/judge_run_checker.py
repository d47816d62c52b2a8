"""Runs a checker module written for DMOJ's Python judge on one test case.

The C judge starts this in its sandbox as
    python3 -B judge_run_checker.py CHECKER.py REQUEST.json
REQUEST.json names the case's files and holds the keyword arguments DMOJ
passes to check(). One JSON object is written to stdout: {"passed",
"points", "feedback", "extended_feedback"}, or {"error": why} for an
internal error. Whatever the checker prints goes to stderr.
"""
import importlib.util
import json
import os
import sys
import traceback


class Failure(Exception):
    pass


def load(path):
    name = os.path.splitext(os.path.basename(path))[0] or 'checker'
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except ImportError as e:
        missing = e.name or str(e)
        if missing.split('.')[0] == 'dmoj':
            raise Failure('the checker imports %s, which the judge\'s DMOJ compatibility layer '
                          'does not offer (%s)' % (missing, e))
        raise Failure('the checker imports %s, which is not installed (%s)' % (missing, e))
    except Exception:
        raise Failure('the checker cannot be loaded:\n' + traceback.format_exc(limit=-3))
    check = getattr(module, 'check', None)
    if not callable(check):
        raise Failure('malformed checker: no check method found')
    return check


def read(path):
    with open(path, 'rb') as f:
        return f.read()


def run(module_path, request):
    from dmoj.error import InternalError
    from dmoj.result import CheckerResult, Result

    check = load(module_path)
    if request['flags'] and not getattr(check, 'run_on_error', False):
        # DMOJ does not ask a checker about a case that already failed
        return {'passed': False, 'points': 0, 'feedback': None, 'extended_feedback': None}
    process_output = read(request['output_file'])
    judge_output = read(request['answer_file'])
    result = Result(result_flag=request['flags'], execution_time=request['execution_time'],
                    wall_clock_time=request['wall_time'], max_memory=request['memory'],
                    proc_output=process_output, feedback=request['feedback'],
                    total_points=request['point_value'])
    kwargs = dict(request['args'])
    # the grader's keyword arguments win over init.yml's, as with DMOJ
    kwargs.update(
        judge_input=read(request['input_file']),
        point_value=request['point_value'],
        submission_source=read(request['source_file']),
        case_position=request['case_position'],
        batch=request['batch'],
        submission_language=request['submission_language'],
        binary_data=request['binary_data'],
        execution_time=request['execution_time'],
        problem_id=request['problem_id'],
        result=result,
    )
    try:
        value = check(process_output, judge_output, **kwargs)
    except UnicodeDecodeError:
        value = CheckerResult(False, 0, feedback='invalid unicode')
    except InternalError as e:
        raise Failure('the checker raised an internal error: %s' % e)
    except Exception:
        raise Failure('the checker raised an exception:\n' + traceback.format_exc(limit=-3))
    if isinstance(value, bool):
        value = CheckerResult(value, request['point_value'] if value else 0.0)
    if not isinstance(value, CheckerResult):
        raise Failure('check() returned %r; DMOJ accepts True, False or a CheckerResult'
                      % (value,))
    if not isinstance(value.passed, bool) or isinstance(value.points, bool) or \
            not isinstance(value.points, (int, float)):
        raise Failure('check() returned %r: passed must be a bool and points a number'
                      % (value,))
    return {'passed': value.passed, 'points': float(value.points),
            'feedback': value.feedback, 'extended_feedback': value.extended_feedback}


def main():
    out = os.fdopen(os.dup(1), 'w', encoding='utf-8')
    # the checker's own prints must not mix with the answer
    sys.stdout = sys.stderr
    os.dup2(2, 1)
    try:
        with open(sys.argv[2], encoding='utf-8') as f:
            request = json.load(f)
        answer = run(sys.argv[1], request)
    except Failure as e:
        answer = {'error': str(e)}
    json.dump(answer, out)
    out.close()


if __name__ == '__main__':
    main()
