"""Bytes/text conversions DMOJ checkers use. None passes through."""


def utf8bytes(maybe_text):
    if maybe_text is None or isinstance(maybe_text, bytes):
        return maybe_text
    return str(maybe_text).encode('utf-8')


def utf8text(maybe_bytes, errors='strict'):
    if maybe_bytes is None or isinstance(maybe_bytes, str):
        return maybe_bytes
    return bytes(maybe_bytes).decode('utf-8', errors)
