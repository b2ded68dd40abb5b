"""The reasons for a visit, and the yes/no questions a GP triages each one with.

Each question has a key of its own, and a stored answer is kept under that key (in the
appointment's encrypted clinical data), so the doctor's page always shows the question that was
really asked. Keys are never reused for another question: appointments booked before the
questions depended on the reason hold answers under "fever", "pain", "treatment" and
"allergies", and those keys keep their words.

Three questions per reason, so that booking with a card stays within 8 taps (issue 13).
Easy-to-read French: one idea, 12 words at most, common words (ACCESSIBILITY.md item 18).
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import gettext as _

REASONS: tuple[tuple[str, str, Callable[[], str]], ...] = (
    ("fever", "thermometer", lambda: _("Fièvre")),
    ("cough", "cough", lambda: _("Toux ou rhume")),
    ("pain", "pain", lambda: _("Douleur")),
    ("stomach", "stomach", lambda: _("Ventre")),
    ("skin", "skin", lambda: _("Peau")),
    ("renewal", "prescription", lambda: _("Renouveler une ordonnance")),
    ("results", "results", lambda: _("Résultats d'examen")),
    ("other", "other", lambda: _("Autre")),
)

QUESTION_TEXT: dict[str, Callable[[], str]] = {
    # Kept from the first version (every reason asked these four): stored answers use them.
    "fever": lambda: _("Avez-vous de la fièvre ?"),
    "pain": lambda: _("Avez-vous mal quelque part ?"),
    "treatment": lambda: _("Prenez-vous des médicaments en ce moment ?"),
    "allergies": lambda: _("Avez-vous des allergies ?"),
    # Asked for one reason or a few.
    "fever_days": lambda: _("Avez-vous de la fièvre depuis plus de 3 jours ?"),
    "breathing": lambda: _("Avez-vous du mal à respirer ?"),
    "neck": lambda: _("Avez-vous très mal à la tête ou à la nuque ?"),
    "cough_weeks": lambda: _("Toussez-vous depuis plus de 3 semaines ?"),
    "chest": lambda: _("Avez-vous mal à la poitrine ?"),
    "fall": lambda: _("Avez-vous mal après une chute ou un coup ?"),
    "pain_week": lambda: _("Avez-vous mal depuis plus d'une semaine ?"),
    "belly_strong": lambda: _("Avez-vous très mal au ventre ?"),
    "vomiting": lambda: _("Avez-vous vomi, ou avez-vous la diarrhée ?"),
    "blood_stool": lambda: _("Avez-vous vu du sang aux toilettes ?"),
    "skin_spreading": lambda: _("Est-ce que la rougeur ou le bouton grandit vite ?"),
    "itching": lambda: _("Est-ce que ça gratte beaucoup ?"),
    "old_prescription": lambda: _("Avez-vous votre ancienne ordonnance avec vous ?"),
    "medicine_left": lambda: _("Avez-vous encore des médicaments pour 3 jours ?"),
    "side_effects": lambda: _("Est-ce que ce traitement vous gêne ?"),
    "results_here": lambda: _("Avez-vous les résultats avec vous ?"),
    "doctor_asked": lambda: _("Est-ce un médecin qui a demandé cet examen ?"),
    "feel_worse": lambda: _("Vous sentez-vous plus mal depuis l'examen ?"),
}

# The questions each reason asks, in order: the most urgent sign first.
QUESTIONS_FOR: dict[str, tuple[str, ...]] = {
    "fever": ("breathing", "neck", "fever_days"),
    "cough": ("breathing", "fever", "cough_weeks"),
    "pain": ("chest", "fall", "pain_week"),
    "stomach": ("belly_strong", "vomiting", "blood_stool"),
    "skin": ("skin_spreading", "fever", "itching"),
    "renewal": ("side_effects", "medicine_left", "old_prescription"),
    "results": ("feel_worse", "doctor_asked", "results_here"),
    "other": ("pain", "treatment", "allergies"),
}


def reason_word(key: str) -> str:
    """The reason as the person chose it ("Douleur"), or its key if unknown."""
    return next((str(word()) for k, _i, word in REASONS if k == key), key)


def questions_for(reason: str) -> tuple[str, ...]:
    """The keys of the questions asked for ``reason`` (none for an unknown reason)."""
    return QUESTIONS_FOR.get(reason, ())


def question_words(key: str) -> str:
    """The words of the question stored under ``key``; the key itself if it is unknown."""
    text = QUESTION_TEXT.get(key)
    return str(text()) if text else key
