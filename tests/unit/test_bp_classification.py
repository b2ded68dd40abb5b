"""ESH 2023 categories at every boundary, on either value (the higher category wins)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.vitals.classify import Category, assess, average, categorise


@pytest.mark.parametrize(("systolic", "diastolic", "category"), [
    (119, 79, Category.OPTIMAL),
    (120, 79, Category.NORMAL), (119, 80, Category.NORMAL),
    (129, 84, Category.NORMAL),
    (130, 84, Category.HIGH_NORMAL), (129, 85, Category.HIGH_NORMAL),
    (139, 89, Category.HIGH_NORMAL),
    (140, 89, Category.GRADE_1), (139, 90, Category.GRADE_1),
    (159, 99, Category.GRADE_1),
    (160, 99, Category.GRADE_2), (159, 100, Category.GRADE_2),
    (179, 109, Category.GRADE_2),
    (180, 109, Category.GRADE_3), (179, 110, Category.GRADE_3), (180, 110, Category.GRADE_3),
    (142, 78, Category.GRADE_1),  # isolated systolic: the higher one wins
    (115, 74, Category.OPTIMAL),  # the golden reading of the SunTech module
])
def test_every_boundary(systolic: int, diastolic: int, category: Category) -> None:
    assert categorise(systolic, diastolic) is category


def test_only_grade_3_alerts_and_it_says_to_see_the_pharmacist_now() -> None:
    result = assess(181, 95)
    assert result.alert and result.advice == "Parlez-en tout de suite au pharmacien."
    assert not assess(179, 109).alert


@given(st.integers(1, 300), st.integers(1, 200))
def test_a_higher_value_never_gives_a_lower_category(systolic: int, diastolic: int) -> None:
    assert categorise(systolic + 1, diastolic) >= categorise(systolic, diastolic)
    assert categorise(systolic, diastolic + 1) >= categorise(systolic, diastolic)


def test_the_average_of_two_readings() -> None:
    assert average([(120, 80, 70), (131, 85, 73)]) == (126, 82, 72)
    with pytest.raises(ValueError):
        average([])
