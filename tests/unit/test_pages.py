"""Cutting long content into pages (kiosk/visit/pages.py): the pure parts."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiosk.visit.pages import PAGER, split, wrap


def test_words_wrap_as_the_browser_wraps_them() -> None:
    # 10 rem at 1 rem per character of 0.68 em: 14 characters a line.
    assert wrap("Renouveler une ordonnance", 10) == ["Renouveler une", "ordonnance"]
    # A word longer than a line breaks inside it (overflow-wrap: break-word).
    assert wrap("Anticonstitutionnellement", 10) == ["Anticonstituti", "onnellement"]
    assert wrap("", 10) == [""]


@given(st.text(alphabet="ab cd", max_size=80), st.floats(min_value=1, max_value=40))
def test_wrapping_keeps_every_word(text: str, width: float) -> None:
    lines = wrap(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def heights(items: list[int]) -> float:
    return float(sum(items))


def test_what_fits_stays_on_one_page_without_a_pager() -> None:
    assert split([3, 3, 3], heights, 9) == [[3, 3, 3]]


def test_what_does_not_fit_keeps_room_for_the_pager_on_each_page() -> None:
    pages = split([3, 3, 3, 3], heights, 6 + PAGER)
    assert pages == [[3, 3], [3, 3]]


def test_an_item_taller_than_a_page_gets_a_page_of_its_own() -> None:
    assert split([2, 20, 2], heights, 5 + PAGER) == [[2], [20], [2]]


@given(st.lists(st.integers(min_value=1, max_value=10), max_size=40),
       st.floats(min_value=4, max_value=60))
def test_pages_keep_every_item_in_order(items: list[int], budget: float) -> None:
    pages = split(items, heights, budget)
    assert [item for page in pages for item in page] == items
    if len(pages) > 1:
        assert all(heights(page) <= budget - PAGER or len(page) == 1 for page in pages)
