"""Every parser of what a person enters: it returns a clean value or a plain sentence, never
anything else (SECURITY.md item 9). Property tests throw arbitrary text at each."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.booking.codes import ALPHABET, new_code, normalise_code
from kiosk.booking.entries import (
    EntryError,
    clean_birth_date,
    clean_name,
    clean_nir,
    clean_phone,
    clean_year,
    sex_from_nir,
)

TODAY = date(2026, 11, 30)
PARSERS = [clean_name, clean_nir, clean_phone, lambda text: clean_year(text, TODAY)]


@pytest.mark.parametrize("parse", PARSERS, ids=["name", "nir", "phone", "year"])
@given(text=st.text(max_size=60))
def test_item_09_any_text_gives_a_value_or_a_plain_sentence(parse, text: str) -> None:
    try:
        parse(text)
    except EntryError as problem:
        sentence = str(problem.message)
        assert sentence.endswith(".") and 10 < len(sentence) < 90


@given(day=st.integers(-5, 40), month=st.integers(-2, 14), year=st.integers(1800, 2100))
def test_item_09_any_date_parts_give_a_real_past_date_or_a_sentence(day: int, month: int,
                                                            year: int) -> None:
    try:
        born = clean_birth_date(day, month, year, TODAY)
    except EntryError:
        return
    assert born <= TODAY and TODAY.year - born.year <= 120


@given(text=st.text(max_size=20))
def test_item_09_codes_are_normalised_only_into_the_alphabet(text: str) -> None:
    code = normalise_code(text)
    assert code is None or (len(code) == 6 and set(code) <= set(ALPHABET))


def test_item_09_new_codes_have_no_lookalikes() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) == 500
    assert not set("".join(codes)) & set("O0I1L")


@pytest.mark.parametrize(("typed", "clean"), [
    ("dupont", "DUPONT"), ("  le  gall ", "LE GALL"), ("d'Artagnan", "D'ARTAGNAN"),
    ("Lefèvre", "LEFÈVRE"), ("Saint-Exupéry", "SAINT-EXUPÉRY"),
])
def test_item_09_names_are_kept_with_their_accents(typed: str, clean: str) -> None:
    assert clean_name(typed) == clean


@pytest.mark.parametrize(("typed", "sentence"), [
    ("", "Le nom est vide."), ("R2D2", "signe qui n'est pas une lettre"), ("---", "signe"),
    ("A" * 41, "trop long"),
])
def test_item_09_bad_names_are_explained(typed: str, sentence: str) -> None:
    with pytest.raises(EntryError, match=sentence):
        clean_name(typed)


@pytest.mark.parametrize("nir", ["253072B07300470", "253072A07300443", "295109912611193",
                                 "2 53 07 2B 073 004 70"])
def test_item_09_valid_nirs_including_corsica_and_overseas(nir: str) -> None:
    assert len(clean_nir(nir)) == 15


@pytest.mark.parametrize(("nir", "sentence"), [
    ("253072B07300471", "2 derniers chiffres"), ("12345", "15 chiffres"),
])
def test_item_09_bad_nirs_are_explained(nir: str, sentence: str) -> None:
    with pytest.raises(EntryError, match=sentence):
        clean_nir(nir)


def test_item_09_sex_comes_from_the_nir_only() -> None:
    assert sex_from_nir("253072B07300470") == "F"
    assert sex_from_nir("180037510804204") == "M"
    assert sex_from_nir("353072B07300470") is None


@pytest.mark.parametrize(("typed", "ok"), [
    ("0612345678", True), ("06 12 34 56 78", True), ("0012345678", False), ("612345678", False),
    ("٠٦١٢٣٤٥٦٧٨", False),  # Arabic-Indic digits are not phone digits here
])
def test_item_09_phone_numbers(typed: str, ok: bool) -> None:
    if ok:
        assert clean_phone(typed) == typed.replace(" ", "")
    else:
        with pytest.raises(EntryError):
            clean_phone(typed)
