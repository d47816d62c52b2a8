"""Exceptions a checker may raise. InternalError ends the submission with an
internal error carrying its message, as in DMOJ."""


class InternalError(Exception):
    pass


class CompileError(Exception):
    pass


class OutputLimitExceeded(Exception):
    pass
