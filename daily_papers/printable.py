"""Upstream text made safe for one log line.

A log line that carries a server's words (a reason phrase, an error summary, a title)
must stay one line: GitHub's runner ends a line at a bare CR, so ``\\r::warning::x``
from a server would become an annotation, and a terminal obeys escape sequences.
"""

from __future__ import annotations

_BIDI_CONTROLS = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
"""The embeddings, overrides and isolates: a title holding U+202E shows the rest of its log
line reversed, so a reader sees other words than the line holds."""

_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029, *_BIDI_CONTROLS]
"""C0 controls, DEL, C1 controls (Unicode's category Cc), the line and paragraph
separators (Zl, Zp) and the bidirectional controls: the characters a terminal or a log
reader takes as line ends or commands, or that reorder what follows them."""

_ESCAPES = {code: f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}" for code in _CONTROLS}


def printable(text: str) -> str:
    """``text`` with every control character, line separator and bidirectional control written as ``\\xNN`` or
    ``\\uNNNN`` (tab and newline too), everything else unchanged.

    A backslash is kept as it is, so ``\\x0d`` in the output may also be the text's own
    four characters; a log line is read by people, and LaTeX in titles stays readable.
    """
    return text.translate(_ESCAPES)
