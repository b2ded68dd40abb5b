"""What a step listens for (:class:`Step`) and the vosk grammar built from it (:class:`Grammar`).

A grammar is a list of phrases; vosk accepts any sequence of them, so a time is
one phrase ("quatorze heures trente") and a code is a sequence of letter and
digit phrases. Every grammar holds the commands and ``[unk]`` (DESIGN.md).
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from functools import cache

from num2words import num2words

from voice.lexicon import Lexicon, lexicon, numbers
from voice.phrases import key_of
from voice.spoken import normalise
from voice.text import fold, spelled_out

UNK = "[unk]"
_NON_WORD = re.compile(r"[^\w' ]+")


@dataclass(frozen=True)
class Step:
    """What the current screen accepts as an answer, besides the commands.

    ``choices`` are the visible labels in screen order; they can be said by their
    words or by their position ("deux", "le deuxième"). ``keywords`` are other words
    each choice answers to (the screen declares them: "la tension" for "Mesurer ma
    tension"). ``choice_dates`` are the days the choices stand for, when the screen
    knows them (a list of days); with ``today`` the person can say "après-demain" or
    "lundi prochain". A choice whose words name a day ("Demain à 9 h 00") gets that
    day without being told. ``years`` asks for a whole date with its year (a date of
    birth: "le trois mars cinquante"). ``sexes`` are the sexes of the people the choices
    name, when the kiosk knows them ("F", "M" or "" per choice: a card holder's comes from
    the NIR), so that "monsieur Dupont" or "une femme" can pick one.
    """

    lang: str
    choices: tuple[str, ...] = ()
    yes_no: bool = False
    code: bool = False
    dates: bool = False
    times: bool = False
    keywords: tuple[tuple[str, ...], ...] = ()
    choice_dates: tuple[dt.date | None, ...] = ()
    today: dt.date | None = None
    years: bool = False
    sexes: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        lex = lexicon(self.lang)  # raises for an unknown language
        if (self.dates or self.times or self.years) and not lex.has_dates:
            raise ValueError(f"dates and times are not understood in {self.lang!r}")
        if self.code and not lex.letters:
            raise ValueError(f"codes are not understood in {self.lang!r}")
        if any(not label.strip() for label in self.choices):
            raise ValueError("a choice label is empty")
        for name in ("keywords", "choice_dates", "sexes"):
            if getattr(self, name) and len(getattr(self, name)) != len(self.choices):
                raise ValueError(f"{name} must have one entry per choice")


@dataclass(frozen=True)
class Grammar:
    """The phrases vosk may recognise for one step."""

    lang: str
    phrases: tuple[str, ...]

    def words(self) -> frozenset[str]:
        """Every word of every phrase (what the model's vocabulary must hold)."""
        return frozenset(word for phrase in self.phrases for word in phrase.split())

    def to_json(self) -> str:
        """The JSON list vosk's ``KaldiRecognizer`` takes, accents kept."""
        return json.dumps(list(self.phrases), ensure_ascii=False)

    def without(self, missing: Collection[str]) -> Grammar:
        """This grammar minus the phrases that use a word of ``missing``."""
        missing = frozenset(missing)
        kept = tuple(p for p in self.phrases if missing.isdisjoint(p.split()))
        return Grammar(self.lang, kept)


def spoken_label(label: str, lang: str) -> str:
    """A choice label as it is said ("14 h 30" -> "quatorze heures trente"), lower case."""
    text = normalise(label, lang).lower().replace("-", " ")
    return " ".join(_NON_WORD.sub(" ", text).split())


def _hour_phrases_fr() -> Iterator[tuple[int, str]]:
    for hour in range(24):
        if hour in (0, 12):
            yield hour, "minuit" if hour == 0 else "midi"
        for form in numbers("fr")[hour]:
            if hour > 1 or form in ("une", "zéro"):
                yield hour, f"{form} heure" + ("s" if hour > 1 else "")


@cache
def _time_phrases(lang: str) -> tuple[str, ...]:
    nums = numbers(lang)
    out: list[str] = []
    if lang == "fr":
        for _, head in _hour_phrases_fr():
            out.append(head)
            out += [f"{head} {nums[m][0]}" for m in range(1, 60)]
            out += [f"{head} et quart", f"{head} et demie", f"{head} et demi"]
            out += [f"{head} moins le quart"] + [f"{head} moins {nums[m][0]}" for m in (5, 10, 20)]
        out += ["du matin", "de l'après midi", "du soir"]
    else:
        for hour in range(24):
            head = nums[hour][0]
            out += [f"{head} o'clock", head]
            out += [f"{head} {nums[m][0] if m >= 10 else 'oh ' + nums[m][0]}" for m in range(1, 60)]
        for hour in range(1, 13):
            head = nums[hour][0]
            out += [f"half past {head}", f"quarter past {head}", f"quarter to {head}",
                    f"half {head}"]
        out += [
            "noon",
            "midnight",
            "a m",
            "p m",
            "in the morning",
            "in the afternoon",
            "in the evening",
        ]
    return tuple(out)


@cache
def _date_phrases(lang: str) -> tuple[str, ...]:
    lex = lexicon(lang)
    out: list[str] = list(lex.weekdays)
    if lang == "en":
        # The day and the month in any order and form: "twelfth june", "july the fourth",
        # "two august" (the recogniser joins phrases).
        ordinals = [str(num2words(d, lang="en", to="ordinal")).replace("-", " ")
                    for d in range(1, 32)]
        out += [*lex.months, *ordinals, *(f"the {o}" for o in ordinals)]
    for day in range(1, 32):
        for number, month in enumerate(lex.months, start=1):
            # 2024 is a leap year: the 29th of February is offered.
            if day > calendar.monthrange(2024, number)[1]:
                continue
            if lang == "fr":
                said = "premier" if day == 1 else numbers("fr")[day][0]
                out += [f"le {said} {month}", f"{said} {month}"]
            else:
                ordinal = str(num2words(day, lang="en", to="ordinal")).replace("-", " ")
                out += [
                    f"{month} {ordinal}",
                    f"the {ordinal} of {month}",
                    f"{ordinal} of {month}",
                    f"{month} {numbers('en')[day][0]}",
                ]
    return tuple(out)


def _code_phrases(lex: Lexicon) -> list[str]:
    """Letters, and numbers up to 99 and years: "ka vingt et un", "mille neuf cent cinquante"."""
    heads = (
        ("mille neuf cent", "mil neuf cent", "dix neuf cent", "deux mille") if lex.lang == "fr"
        else ("nineteen hundred", "one thousand nine hundred", "two thousand"))
    spoken = [f for n in range(100) for f in numbers(lex.lang, 99)[n]] if lex.has_dates else []
    # Letters spelled with a word: "b comme Bernard" (the name itself may be any: [unk]),
    # "kilo", "double three".
    spelling = [*lex.spelling_links, *(w for words in lex.spelling_alphabet.values()
                                       for w in words), *lex.repeats]
    return [*lex.letters, *lex.digits, *spoken, *heads, *spelling]


@cache
def _year_phrases(lang: str) -> tuple[str, ...]:
    """Years of birth as people say them: "mille neuf cent cinquante", "dix-neuf cent",
    "cinquante" (the two last numbers), "nineteen fifty", "two thousand and three"."""
    nums = [numbers(lang, 99)[n][0] for n in range(100)]
    heads: tuple[str, ...]
    if lang == "fr":
        heads = ("mille neuf cent", "mil neuf cent", "dix neuf cent", "dix neuf", "deux mille")
    else:
        heads = ("nineteen", "nineteen hundred", "one thousand nine hundred", "two thousand",
                 "two thousand and", "nineteen oh")
    return (*heads, *nums)


def _day_phrases(step: Step, days: list[dt.date]) -> list[str]:
    """How the days shown can be said: relative words, weekdays, "le trois", "lundi sept"."""
    lex = lexicon(step.lang)
    words = lex.days
    if words is None:
        return []
    out = [*words.offsets, *words.weeks, *lex.weekdays, *words.next, *lex.soonest,
           *words.later_by, *words.ahead_by]
    # "dans deux jours", "in two weeks"
    out += [f"{within} {numbers(step.lang)[n][0]} {unit}" for within in words.within
            for n in range(2, 8) for unit in words.day_units]
    out += [f"{within} {numbers(step.lang)[n][0]} {unit}" for within in words.within
            for n in range(2, 4) for unit in words.week_units]
    for day in sorted(set(days)):
        weekday, month = lex.weekdays[day.weekday()], lex.months[day.month - 1]
        if step.lang == "fr":
            number = "premier" if day.day == 1 else numbers("fr")[day.day][0]
            out += [f"le {number}", number, f"le {number} {month}", f"{weekday} {number}",
                    f"{weekday} {number} {month}"]
        else:
            ordinal = str(num2words(day.day, lang="en", to="ordinal")).replace("-", " ")
            out += [f"the {ordinal}", ordinal, f"{month} {ordinal}", f"the {ordinal} of {month}",
                    f"{weekday} the {ordinal}"]
    return out


def _choice_phrases(step: Step, lex: Lexicon) -> list[str]:
    """The choices by their words, by a word only they have, by position, by other words."""
    # voice.screen reads labels with spoken_label, above
    from voice.screen import screen, without_articles

    shown = screen(step)
    phrases: list[str] = []
    for index, label in enumerate(step.choices):
        said = spoken_label(label, step.lang)
        phrases.append(said)
        # Part of a label ("Martin" for "Docteur Martin") is enough.
        phrases += [w for w in said.split() if len(w) > 2 and w not in lex.stopwords]
        if index < len(lex.positions):
            phrases += lex.positions[index]
        number = shown.choices[index].number
        if number and step.lang == "en":
            ordinal = str(num2words(number, lang="en", to="ordinal")).replace("-", " ")
            phrases += [ordinal, f"the {ordinal}"]
    for keywords in step.keywords:
        phrases += keywords
        phrases += [form for phrase in keywords
                    for form in (spelled_out(phrase), without_articles(phrase, step.lang)) if form]
        phrases += [form for phrase in keywords for form in _inflections(phrase, step.lang)]
    if step.choices:
        phrases += [*lex.last, *lex.position_nouns]
    # A day of birth and its month are often said together ("le quatorze juillet"): a list of
    # days hears the months, a list of months the days (and "le trente février" is none).
    months = {fold(m) for m in lex.months}
    if any(c.number for c in shown.choices):
        phrases += lex.months
    if any(c.core and c.core[0] in months for c in shown.choices):
        phrases += [numbers(step.lang)[n][0] for n in range(1, 32)]
    if any(c.paging for c in shown.choices):
        phrases += [*lex.next_page, *lex.previous_page]
    if shown.timed or shown.dated:
        phrases += lex.soonest
        if lex.days is not None:
            phrases += lex.days.parts  # "demain après-midi"
    if shown.dated:
        phrases += _day_phrases(step, [c.date for c in shown.choices if c.date])
    if any(c.sex for c in shown.people):
        # "une femme de préférence", "monsieur Dupont"
        phrases += [p for forms in lex.sexes.values() for p in forms]
    return phrases


# French verbs of the first group, by how they end: the other forms a person says of them
# ("recommencer": "je recommence", "recommencez", "c'est recommencé").
_VERB_FORMS = {"fr": {"er": ("e", "ez", "é"), "ez": ("er", "e")}}


def _inflections(phrase: str, lang: str) -> list[str]:
    """Other forms of the verbs in ``phrase``, each said alone: the matcher reads words by
    their stem (voice/stems.py), and the recogniser can then say them."""
    forms = _VERB_FORMS.get(lang, {})
    out = []
    for word in phrase.replace("-", " ").split():
        for ending, others in forms.items():
            if word.endswith(ending) and len(word) > len(ending) + 3 and word.isalpha():
                out += [word[: -len(ending)] + other for other in others]
    return out


def build_grammar(step: Step) -> Grammar:
    """The vosk grammar for ``step``: its answers, the commands, decoys and ``[unk]``.

    Everything the matcher understands on this step can come out of the recogniser: the
    choices' other words and days, yes and no in everyday words, and the words that turn
    an answer around ("pas", "ne"), so that "pas demain" is never heard as "demain".
    """
    lex = lexicon(step.lang)
    phrases: list[str] = []
    if step.yes_no:
        phrases += [*lex.yes, *lex.no, *lex.alone_yes]
        phrases += _of_someone_else([*lex.yes, *lex.no], lex)
    phrases += _choice_phrases(step, lex)
    if step.code:
        phrases += _code_phrases(lex)
    if step.times:
        phrases += _time_phrases(step.lang)
    if step.dates or step.years:
        phrases += _date_phrases(step.lang)
    if step.years:
        phrases += _year_phrases(step.lang)
    for forms in (*lex.commands.values(), *lex.alone.values()):
        phrases += forms
    phrases += [*lex.negations, *lex.paired_negations, *lex.contrasts, *lex.questions]
    # What bears on an answer: who speaks ("je peux pas venir", "elle a pas sa carte"), the
    # small words that hold a sentence together ("i haven't got a card"), what is lost ("perdue"),
    # doubt ("je ne sais pas", "peut-être"), a second answer ("ou"), a title before a name.
    phrases += [*lex.subjects, *lex.objects, *lex.pronouns, *_glue(lex),
                *lex.privatives, *lex.unsure,
                *lex.doubts, *lex.hedges, *lex.alternatives, *lex.corrections, *lex.vague,
                *lex.third_persons, *lex.possessives, *lex.asking, *lex.saying, *lex.again,
                *lex.someone_else,
                *lex.titles,
                *lex.doctor_titles, *lex.surface, *lex.body_parts]
    # Hesitations, politeness and linking words are heard as such, not as [unk] (which
    # stands for a word that may change the answer).
    phrases += [bare for p in phrases if (bare := _bare(p, lex)) != p
                and not key_of(p, step.lang).literal]
    phrases += [*lex.fillers, *lex.stopwords]
    phrases += lex.decoys
    phrases.append(UNK)
    cleaned = (" ".join(p.replace("-", " ").lower().split()) for p in phrases)
    return Grammar(step.lang, tuple(dict.fromkeys(p for p in cleaned if p)))


def _of_someone_else(phrases: list[str], lex: Lexicon) -> list[str]:
    """The phrases a carer says of the person ("she doesn't mind" for "i don't mind"):
    voice.speakers reads them back in the first person, so the recogniser must hear them."""
    forms = sorted(((own.split(), third) for third, own in lex.third_persons.items()),
                   key=lambda pair: len(pair[0]), reverse=True)
    out = []
    for phrase in phrases:
        words = phrase.split()
        for own, third in forms:
            if len(words) > len(own) and words[: len(own)] == own:
                out.append(" ".join([third, *words[len(own) :]]))
    return out


@cache
def _glue_of(lang: str) -> tuple[str, ...]:
    lex = lexicon(lang)
    answers = {*lex.yes, *lex.no, *lex.weekdays, "heure", "heures", "minutes", "hour", "hours",
               "midi", "minuit", "noon", "midnight"}
    if lex.days is not None:
        answers |= {p for p in (*lex.days.offsets, *lex.days.parts) if " " not in p}
    numbers_ = {w for forms in numbers(lang, 99).values() for f in forms for w in f.split()}
    return tuple(w for w in lex.function_words if w not in answers and w not in numbers_)


def _glue(lex: Lexicon) -> tuple[str, ...]:
    """The small words that hold a sentence together ("ma", "a", "haven", "got"), without
    those that are answers of their own ("oui", "demain", "une")."""
    return _glue_of(lex.lang)


def _bare(phrase: str, lex: Lexicon) -> str:
    """``phrase`` without the articles and fillers it starts with ("le pharmacien" ->
    "pharmacien", "c'est parfait" -> "parfait"), so "au pharmacien" is heard as "[unk]
    pharmacien" rather than not at all. (Only for phrases the matcher finds by their core:
    "c'est ça" must be said whole.)"""
    words = phrase.split()
    fillers = sorted((f.split() for f in lex.fillers), key=len, reverse=True)
    # What the matcher reads whole ("c'est ça") stays whole: "ça" alone is no answer.
    while len(words) > 1 and any(len(w) > 4 for w in words[1:]):
        lead = next((f for f in fillers if words[: len(f)] == f and len(f) < len(words)), None)
        if lead is not None:
            words = words[len(lead) :]
        elif words[0].lower() in lex.stopwords:
            words = words[1:]
        else:
            break
    return " ".join(words)
