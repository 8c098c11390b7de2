from gen_catalogue_docs import PAGE, render

from aibcheck.catalogue import catalogue, hints


def test_reference_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(catalogue(), hints()), "run python scripts/gen_catalogue_docs.py"
