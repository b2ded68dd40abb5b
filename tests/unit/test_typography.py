"""French typography on screen: unbreakable spaces inside times and before "?" (issue 13 item 7)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.typography import NBSP, NNBSP, tidy, tidy_html


@pytest.mark.parametrize(("plain", "typeset"), [
    ("Avez-vous des allergies ?", f"Avez-vous des allergies{NNBSP}?"),
    ("Aujourd'hui à 9 h 00 avec le docteur Claire Martin",
     f"Aujourd'hui à 9{NBSP}h{NBSP}00 avec le docteur Claire Martin"),
    ("14 h 30", f"14{NBSP}h{NBSP}30"),
    ("Today at 2:30 PM", f"Today at 2:30{NBSP}PM"),
    ("Votre code de rendez-vous :", f"Votre code de rendez-vous{NBSP}:"),
    ("163 mmHg", f"163{NBSP}mmHg"),
    ("Touchez « Plus de temps ».", f"Touchez «{NNBSP}Plus de temps{NNBSP}»."),
    ("Au revoir !", f"Au revoir{NNBSP}!"),
    ("Is it you?", "Is it you?"),  # English puts no space there: nothing to do
    ("Pulse: 85", "Pulse: 85"),
])
def test_the_spaces_french_typography_keeps_together(plain: str, typeset: str) -> None:
    assert tidy(plain) == typeset


def test_only_text_changes_never_tags_or_attribute_values() -> None:
    html = ('<svg><path d="M 10 h 20 v 10"/></svg><button data-reply="Oui ?" value="slot:12">'
            "Demain à 9 h 00</button><!-- 9 h 00 ? --><p>Quel jour ?</p>")
    assert tidy_html(html) == (
        '<svg><path d="M 10 h 20 v 10"/></svg><button data-reply="Oui ?" value="slot:12">'
        f"Demain à 9{NBSP}h{NBSP}00</button><!-- 9 h 00 ? --><p>Quel jour{NNBSP}?</p>"
    )


@given(st.text(alphabet=st.sampled_from(list("ab 9h:?!;«»<>/=\"'0\t\n")), max_size=60))
def test_tidying_changes_only_spaces(html: str) -> None:
    """Whatever the page holds, the words stay the same: what is read and spoken is unchanged
    (Python, espeak-ng and the browser all take these spaces as spaces)."""
    assert tidy_html(html).split() == html.split()
