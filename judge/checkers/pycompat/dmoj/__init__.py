"""The part of DMOJ's judge that checker modules import, re-implemented for
the C judge: dmoj.result, dmoj.error, dmoj.utils.unicode and the built-in
checkers in dmoj.checkers. Anything else a checker imports from dmoj is
reported by the judge as an internal error naming the import.
"""
