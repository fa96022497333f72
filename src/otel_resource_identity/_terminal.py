"""What the command line shows a person: nothing a terminal would act on.

Attribute keys and values come from the environment, metadata servers, files
and the user's own input; any of them may carry an escape sequence (colours,
an OSC window title or clipboard write, a C1 ``CSI``), a bidirectional
override that reorders what is read, or a newline that forges a line of the
report. Every character that is not printable is shown escaped, the way Python
writes it in a string literal (``\\x1b``, ``\\u202e``, ``\\n``).

Two layers make the class impossible rather than patched: the formatting
helpers pass every key and value through :func:`visible` (newlines included),
and :class:`TerminalStream` wraps standard output and standard error for the
whole command, escaping whatever else is not printable (everything but the
report's own line breaks). ``--json`` output passes unchanged: the JSON
encoder already writes every such character as an escape.
"""

from __future__ import annotations

from typing import TextIO


def _escaped(char: str) -> str:
    code = ord(char)
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    if char == "\r":
        return "\\r"
    if code < 0x100:
        return f"\\x{code:02x}"
    if code < 0x10000:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def visible(text: str, *, newlines: bool = False) -> str:
    """``text`` with every character that is not printable escaped (``newlines=True`` keeps ``\\n``)."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() or (newlines and char == "\n") else _escaped(char) for char in text)


class TerminalStream:
    """A text stream that escapes what is not printable, except line breaks, before writing it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(visible(text, newlines=True))

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()

    @property
    def encoding(self) -> str:
        return self._stream.encoding

    @property
    def wrapped(self) -> TextIO:
        return self._stream
