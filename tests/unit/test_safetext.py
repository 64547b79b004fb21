"""Hostile text made harmless: the terminal-safe form (golive.safetext) and the spreadsheet formula
guard (golive.formula), each checked on the sequences an attacker would use."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from golive.formula import formula_safe, formula_unmarked
from golive.safetext import UNSAFE, visible

ESC_SEQUENCES = [
    ("\x1b]0;PWNED\x07", "\\u001b]0;PWNED\\u0007"),  # OSC 0: sets the terminal's title
    ("\x1b[2J\x1b[H", "\\u001b[2J\\u001b[H"),  # clear the screen, cursor home
    ("\x9b2J", "\\u009b2J"),  # C1 CSI: the same in one byte
    ("ok\rFAILED", "ok\\rFAILED"),  # a carriage return overwrites the line's start
    ("a\x08\x08b", "a\\u0008\\u0008b"),  # backspaces
    ("bell\x07\x7f", "bell\\u0007\\u007f"),
    ("\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\", "\\u001b]8;;http://evil/\\u001b\\link\\u001b]8;;\\u001b\\"),
    ("exe.\u202etxt", "exe.\\u202etxt"),  # right-to-left override: shows "exe.txt"
    ("\u2066a\u2069 \u200e\u200f\u061c", "\\u2066a\\u2069 \\u200e\\u200f\\u061c"),  # isolates and marks
    ("one\u2028two\u2029", "one\\u2028two\\u2029"),  # line and paragraph separators
]


@pytest.mark.parametrize(("raw", "shown"), ESC_SEQUENCES)
def test_every_control_and_direction_character_is_shown_not_obeyed(raw: str, shown: str) -> None:
    assert visible(raw) == shown
    assert visible(raw, multiline=True) == shown


def test_line_breaks_and_tabs_per_use() -> None:
    assert visible("a\nb\tc") == "a\\nb\\tc"  # one line: a row cannot be split or pushed sideways
    assert visible("a\nb\tc\r\n", multiline=True) == "a\nb\tc\\r\n"  # prose keeps its lines, never a CR


def test_ordinary_text_is_left_alone() -> None:
    text = "Café 日本 🙂 C:\\temp\\x1b [red]not markup[/] ¿qué? – — «»"
    assert visible(text) == text
    assert visible(42) == "42"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_the_result_never_holds_an_unsafe_character_and_is_stable(text: str) -> None:
    shown = visible(text)
    assert not set(shown) & set(UNSAFE)
    assert visible(shown) == shown
    assert set(visible(text, multiline=True)) & set(UNSAFE) <= {"\n", "\t"}
    # JSON made visible is still JSON for the same value (the csv export's payload column)
    encoded = json.dumps({"t": text}, ensure_ascii=False)
    assert json.loads(visible(encoded)) == {"t": text}


FORMULAS = [
    "=2+3", "+2+3", "-2+3", "@SUM(A1:A2)", "=HYPERLINK(\"http://evil/\",\"x\")", "-2+3|cmd",
    " =2+3", "  @SUM(A1)", "\u00a0=2+3", "\n=2+3", "\r\n=2+3", "\t=2+3", "\u3000=2+3", "\u200b=1",
    "\ufeff=1", "\u202e=1", "\uff1d2+3", "\uff0b2+3", "\uff0d2+3", "\uff20SUM(A1)", " \uff1d1", "\ufe661",
    "\tanything", "\ranything", "-", "-x", "+ 1",
]  # fmt: skip


@pytest.mark.parametrize("text", FORMULAS)
def test_a_formula_in_any_disguise_becomes_text(text: str) -> None:
    assert formula_safe(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["", "plain note", "2+3", "a=b", "-3.5", "+10.0", "-05:00", "+01:00", "-1.0 min", "10.0 min", "'plain"]
)
def test_text_and_plain_numbers_are_left_alone(text: str) -> None:
    assert formula_safe(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])))
def test_reading_back_takes_off_exactly_the_mark_golive_put_on(text: str) -> None:
    assert formula_unmarked(formula_safe(text)) == text


@pytest.mark.parametrize("text", ["'plain", "'2+3", "'-3.5", "'"])
def test_an_apostrophe_golive_did_not_put_stays(text: str) -> None:
    assert formula_unmarked(text) == text


def test_a_label_that_looks_marked_is_marked_again() -> None:
    assert formula_safe("'=1") == "''=1"  # a spreadsheet shows '=1, and reading it back gives '=1
    assert formula_unmarked("''=1") == "'=1"
