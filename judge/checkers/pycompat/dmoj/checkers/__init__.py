"""DMOJ's built-in checkers, for checker modules that call them
(`from dmoj.checkers import standard`, `dmoj.checkers.floats.check(...)`).
They take and compare bytes exactly as the judge's own C checkers do."""
from typing import Union

from dmoj.checkers import (easy, floats, floatsabs, floatsrel, identical, linecount, linematches,
                           rstripped, sorted, standard, unordered)
from dmoj.result import CheckerResult

CheckerOutput = Union[bool, CheckerResult]

__all__ = ['easy', 'floats', 'floatsabs', 'floatsrel', 'identical', 'linecount', 'linematches',
           'rstripped', 'sorted', 'standard', 'unordered', 'CheckerOutput']
