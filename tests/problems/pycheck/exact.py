"""A checker module returning a bool: the plain form `checker: exact.py`."""


def check(process_output, judge_output, **kwargs):
    return process_output.split() == judge_output.split()
