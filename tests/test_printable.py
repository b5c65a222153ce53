"""printable(): upstream text in one safe log line."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from daily_papers.printable import printable

UNSAFE = ("Cc", "Zl", "Zp")
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}


def unsafe(char: str) -> bool:
    return unicodedata.category(char) in UNSAFE or char in BIDI


def test_a_workflow_command_after_a_bare_cr_stays_on_its_line():
    assert printable("Busy\r::warning::x") == "Busy\\x0d::warning::x"
    assert printable("a\nb\r\nc\x0bd\x0ce\x1cf\x85g\u2028h\u2029i") == (
        "a\\x0ab\\x0d\\x0ac\\x0bd\\x0ce\\x1cf\\x85g\\u2028h\\u2029i")


def test_escape_sequences_and_every_control_are_written_out():
    assert printable("\x1b[31mred\x1b]0;title\x07\x9b2J\x7f\x00\t") == (
        "\\x1b[31mred\\x1b]0;title\\x07\\x9b2J\\x7f\\x00\\x09")
    controls = [chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029]]
    assert [printable(c) for c in controls] == [f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
                                                 for c in controls]


def test_everything_else_is_left_alone():
    text = "Δ-Alignment für Modelle — 強化学習 🚀 $\\textbf{SEA}$ <b>&amp; | Ã© \u00a0\u200b\u200f עברית"
    assert printable(text) == text


def test_a_bidirectional_override_cannot_reverse_the_rest_of_the_line():
    assert printable("Title\u202egnp.exe \u2066x\u2069") == "Title\\u202egnp.exe \\u2066x\\u2069"


@given(st.text())
def test_no_control_or_line_separator_survives(text):
    out = printable(text)
    assert not any(unsafe(c) for c in out)
    assert len(out.splitlines()) <= 1
    assert (out == text) == (not any(unsafe(c) for c in text))
