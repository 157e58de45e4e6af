"""How text leaves Python for the library: always as valid UTF-8.

A str may hold lone surrogates ("\\ud800"; os.fsdecode and the
surrogateescape error handler make them from undecodable bytes). Encoded
with "surrogatepass" they became invalid UTF-8 in files, streams and
socket frames. Every str that reaches the library (messages, logger and
thread names, formatter callables' return values, configuration values)
goes through here instead and is encoded with "backslashreplace": a lone
surrogate is written as its escape, "\\ud800", as Python itself writes
sys.stderr. See docs/decisions.md.
"""

#: The error handler applied to every str handed to the library.
ERRORS = "backslashreplace"


def encode(text: str) -> bytes:
    """text as UTF-8, lone surrogates written as their escapes."""
    return text.encode("utf-8", ERRORS)


def clean(text: str) -> str:
    """text itself when it encodes as UTF-8; otherwise with escapes."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", ERRORS).decode("utf-8")
    return text


def clean_document(value):
    """A JSON-able value with every str (keys too) passed through clean().

    json.dumps would write a lone surrogate as a "\\ud800" escape, which
    Go's decoder turns into U+FFFD: config values would then follow
    another rule than messages.
    """
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(k) if isinstance(k, str) else k: clean_document(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_document(v) for v in value]
    return value
