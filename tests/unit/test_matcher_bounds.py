"""The pattern set holds wide counted repeats open-ended, to compile fast; each pattern itself still decides."""

from aibcheck.catalogue import Signature
from aibcheck.diagnose.matcher import LineMatcher, _loosened
from aibcheck.taxonomy import Category, Phase


def _signature(pattern: str) -> Signature:
    return Signature(
        id="near",
        category=Category.DISTRIBUTION_FAILED,
        phase=Phase.DISTRIBUTE,
        title="t",
        cause="c",
        fix="f",
        keywords=("publishing",),
        patterns=(pattern,),
    )


def test_wide_repeats_are_opened_and_narrow_ones_kept() -> None:
    assert _loosened(r"a.{0,1000}b\S{1,400}c.{0,40}d\{0,100\}") == r"a.{0,}b\S{1,}c.{0,40}d\{0,100\}"


def test_a_match_beyond_the_bound_is_not_a_finding() -> None:
    matcher = LineMatcher([_signature("publishing.{0,100}deadline")], extra_keywords=())
    assert [m.signature.id for m in matcher.match("publishing " + "x" * 50 + " deadline")] == ["near"]
    assert matcher.match("publishing " + "x" * 500 + " deadline") == []
