from gen_catalogue_docs import PAGE, render

from aibcheck.catalogue import catalogue


def test_reference_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == render(catalogue()), "run python scripts/gen_catalogue_docs.py"
