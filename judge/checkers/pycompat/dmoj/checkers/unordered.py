"""`sorted` with split_on='whitespace' (DMOJ's deprecated name)."""
from dmoj.checkers import sorted as sorted_checker


def check(process_output, judge_output, **kwargs):
    return sorted_checker.check(process_output, judge_output, split_on='whitespace')
