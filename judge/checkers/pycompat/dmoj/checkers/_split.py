"""How the checkers cut outputs: lines on every \r or \n, tokens on ASCII
white space (Python's bytes.split())."""
import re

from dmoj.utils.unicode import utf8bytes

_EOL = re.compile(rb'[\r\n]')


def as_bytes(data):
    return utf8bytes(data) if data is not None else b''


def segments(data):
    """Every piece between \r or \n characters, empty ones included."""
    return _EOL.split(as_bytes(data))


def lines(data):
    """The non-empty lines."""
    return [s for s in segments(data) if s]
