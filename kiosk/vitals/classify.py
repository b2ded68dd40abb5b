"""Blood-pressure categories of the ESH 2023 guidelines, and what to do: never a diagnosis.

The category is the higher of the two the systolic and the diastolic values fall in
(ESH 2023, office blood pressure): a reading of 142/78 is "grade 1".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from flask_babel import lazy_gettext as _l


class Category(IntEnum):
    """ESH 2023 categories, in increasing order."""

    OPTIMAL = 0
    NORMAL = 1
    HIGH_NORMAL = 2
    GRADE_1 = 3
    GRADE_2 = 4
    GRADE_3 = 5


# (category, systolic from, diastolic from): the lowest value each category starts at.
THRESHOLDS = (
    (Category.GRADE_3, 180, 110),
    (Category.GRADE_2, 160, 100),
    (Category.GRADE_1, 140, 90),
    (Category.HIGH_NORMAL, 130, 85),
    (Category.NORMAL, 120, 80),
)

WORDS = {
    Category.OPTIMAL: _l("Votre tension est bonne."),
    Category.NORMAL: _l("Votre tension est normale."),
    Category.HIGH_NORMAL: _l("Votre tension est un peu haute."),
    Category.GRADE_1: _l("Votre tension est haute."),
    Category.GRADE_2: _l("Votre tension est très haute."),
    Category.GRADE_3: _l("Votre tension est beaucoup trop haute."),
}

ADVICE = {
    Category.OPTIMAL: _l("Vous pouvez la mesurer de nouveau dans un an."),
    Category.NORMAL: _l("Vous pouvez la mesurer de nouveau dans un an."),
    Category.HIGH_NORMAL: _l("Parlez-en à votre médecin lors de votre prochaine visite."),
    Category.GRADE_1: _l("Parlez-en à votre médecin dans le mois."),
    Category.GRADE_2: _l("Parlez-en à un médecin cette semaine."),
    Category.GRADE_3: _l("Parlez-en tout de suite au pharmacien."),
}


@dataclass(frozen=True)
class Assessment:
    """A category with the words to show and say, and whether staff must be alerted."""

    category: Category
    words: str
    advice: str
    alert: bool


def categorise(systolic: int, diastolic: int) -> Category:
    """The ESH 2023 category of a reading in mmHg."""
    if systolic <= 0 or diastolic <= 0:
        raise ValueError("blood pressure values must be positive")
    for category, systolic_from, diastolic_from in THRESHOLDS:
        if systolic >= systolic_from or diastolic >= diastolic_from:
            return category
    return Category.OPTIMAL


def assess(systolic: int, diastolic: int) -> Assessment:
    """Category, plain words and advice; grade 3 (180/110 or more) alerts the staff."""
    category = categorise(systolic, diastolic)
    return Assessment(category, str(WORDS[category]), str(ADVICE[category]),
                      alert=category is Category.GRADE_3)


def average(readings: list[tuple[int, int, int]]) -> tuple[int, int, int]:
    """The rounded mean (systolic, diastolic, pulse) of several readings."""
    if not readings:
        raise ValueError("no reading to average")
    count = len(readings)
    return tuple(round(sum(r[i] for r in readings) / count) for i in range(3))  # type: ignore[return-value]
