"""The lab's regex sampler: a string each runbook regex fully matches, varied by a seed, with no
private module of the standard library. The expected strings are what the lab produced with
sre_parse before (the sample runbooks' patterns first), so the lab's worlds did not change."""

from __future__ import annotations

import re

import pytest

from golive.lab.regex_sample import sample

SAMPLES = {  # pattern -> seeds 0..3, then seed 0 with fill "A"
    r"(?i)ngc-core-01(\..*)?": (["ngc-core-01"] * 4, "ngc-core-01"),
    "RAD-DIST-01.*": (["RAD-DIST-01"] * 4, "RAD-DIST-01A"),
    "(Twe|TwentyFiveGigE)1/0/12": (["Twe1/0/12", "TwentyFiveGigE1/0/12"] * 2, "Twe1/0/12"),
    "(?s).*6300.*": (["6300"] * 4, "A6300A"),
    "AP-NGC-[0-9]{2}": (["AP-NGC-00", "AP-NGC-01", "AP-NGC-02", "AP-NGC-03"], "AP-NGC-00"),
    "RM2(0[1-9]|1[0-8])-.*": (["RM201-", "RM202-", "RM203-", "RM204-"], "RM201-A"),
    "^(EXAM|FD|NS)-.*": (["EXAM-", "FD-", "NS-", "EXAM-"], "EXAM-A"),
    "AP-RVP-2E-0[1-6]": (["AP-RVP-2E-01", "AP-RVP-2E-02", "AP-RVP-2E-03", "AP-RVP-2E-04"], "AP-RVP-2E-01"),
    "CT3-AWS.*": (["CT3-AWS"] * 4, "CT3-AWSA"),
    "Eth(ernet)?1/47": (["Eth1/47"] * 4, "Eth1/47"),
    r"\d+": (["0"] * 4, "0"),
    r"\w{3}-\d{2}": (["aaa-00"] * 4, "aaa-00"),
    "[^a]": (["A"] * 4, "A"),
    "[^A]": (["B"] * 4, "B"),
    "a|b|c": (["a", "b", "c", "a"], "a"),
    "(ab|ac)d": (["abd", "acd"] * 2, "abd"),
    "x{2,4}y": (["xxy"] * 4, "xxy"),
    "x{,3}z": (["z"] * 4, "z"),
    "a{x}": (["a{x}"] * 4, "a{x}"),
    r"[a-z0-9_.-]+@ex\.com": (["a@ex.com", "b@ex.com", "c@ex.com", "d@ex.com"], "a@ex.com"),
    r"\s*up\s*": (["up"] * 4, "up"),
    "(?:foo|bar)baz": (["foobaz", "barbaz"] * 2, "foobaz"),
    "(?P<n>ab)c": (["abc"] * 4, "abc"),
    "te(?=st)st": (["test"] * 4, "test"),
    "colou?r": (["color"] * 4, "color"),
    r"[\d\s]": (["0", " "] * 2, "0"),
    r"[A-Z]{2}\d": (["AA0", "AB0", "AC0", "AD0"], "AA0"),
    r"\x41\n": (["A\n"] * 4, "A\n"),
    "a.b": (["aAb"] * 4, "aAb"),
    "(?i:ab)c": (["abc"] * 4, "abc"),
    "[]a]": (["]", "a"] * 2, "]"),
    r"a\.b\\c": (["a.b\\c"] * 4, "a.b\\c"),
    "[+*?]": (["+", "*", "?", "+"], "+"),
}


@pytest.mark.parametrize("pattern", list(SAMPLES))
def test_samples_match_and_vary_as_before(pattern: str) -> None:
    seeds, filled = SAMPLES[pattern]
    assert [sample(pattern, seed) for seed in range(4)] == seeds
    assert sample(pattern, 0, fill="A") == filled
    for text in [*seeds, filled]:
        assert re.fullmatch(pattern, text), text


def test_more_than_before_still_matches() -> None:
    """Shapes sre_parse's walk did not cover (possessive and atomic, a negated range) now sample."""
    for pattern in ("a++b", "(?>ab)c", "[^A-Z]9"):
        assert re.fullmatch(pattern, sample(pattern, 0)), pattern


def test_what_it_cannot_read_is_no_sample() -> None:
    assert sample("(unclosed", 0) == ""  # not a regex at all
    assert sample(r"\N{DIGIT ONE}", 0) == ""  # valid, but beyond the reader
    assert sample("(?x) AP - [0-9]{2}  # an access point", 0) == ""
    assert sample(r"(a)\1", 0) == "a"  # a backreference adds nothing: the caller's fullmatch refuses it
    assert not re.fullmatch(r"(a)\1", sample(r"(a)\1", 0))
