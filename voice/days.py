"""Days said in words, and the days a screen shows.

"demain", "après-demain", "lundi prochain", "dans deux jours", "le trois", "jeudi
3 décembre" (French); "tomorrow", "next monday", "the fourth" (English). A said day is
read as the set of days it can mean, without looking at the screen; the matcher keeps
the shown days among them. Some words name two weeks at once and stay *ambiguous*: a
weekday that is also today ("mardi", said on a Tuesday), or "mercredi prochain" said on
a Tuesday (tomorrow, or the week after?). Those are never guessed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from voice.lexicon import DayWords, lexicon
from voice.parsing import read_day, read_number, read_ordinal
from voice.phrases import Key, Said, Span, find, hear, key_of
from voice.text import fold, tokens

# How far ahead a day of the month or a weekday may be when no month is said.
_HORIZON = dt.timedelta(days=62)


@dataclass(frozen=True)
class SaidDay:
    """A day named in an utterance: the words, and every day they can mean."""

    span: Span
    dates: frozenset[dt.date]
    # Named with a day word ("demain", "jeudi", "mars"), not only with a number.
    named: bool = True
    ambiguous: bool = False


@dataclass(frozen=True)
class _Words:
    offsets: tuple[tuple[Key, int], ...]
    weeks: tuple[tuple[Key, int], ...]
    weekdays: dict[str, int]
    months: dict[str, int]
    next: tuple[Key, ...]
    within: frozenset[str]
    day_units: frozenset[str]
    week_units: frozenset[str]
    later_by: tuple[tuple[tuple[str, ...], int], ...]
    ahead_by: tuple[tuple[tuple[str, ...], int], ...]
    articles: frozenset[str]
    this: frozenset[str]


@cache
def _words(lang: str) -> _Words | None:
    lex = lexicon(lang)
    days: DayWords | None = lex.days
    if days is None:
        return None
    offsets = sorted(((key_of(p, lang), n) for p, n in days.offsets.items()),
                     key=lambda pair: len(pair[0].words), reverse=True)
    # "cette semaine" is this week; the others name the next one.
    weeks = [(key_of(p, lang), 0 if {"cette", "this"} & set(fold(p).split()) else 1)
             for p in days.weeks]
    return _Words(
        offsets=tuple(offsets),
        weeks=tuple(sorted(weeks, key=lambda pair: len(pair[0].words), reverse=True)),
        weekdays={fold(w): i for i, w in enumerate(lex.weekdays)},
        months={fold(m): i for i, m in enumerate(lex.months, start=1)},
        next=tuple(key_of(p, lang) for p in days.next),
        within=frozenset(fold(w) for w in days.within),
        day_units=frozenset(fold(w) for w in days.day_units),
        week_units=frozenset(fold(w) for w in days.week_units),
        # Said word for word: "mardi en huit" is not "mardi huit" (the 8th).
        later_by=tuple(sorted(((tokens(p), n) for p, n in days.later_by.items()),
                              key=lambda pair: len(pair[0]), reverse=True)),
        ahead_by=tuple(sorted(((tokens(p), n) for p, n in days.ahead_by.items()),
                              key=lambda pair: len(pair[0]), reverse=True)),
        articles=frozenset(fold(w) for w in days.articles),
        this=frozenset(fold(w) for w in days.this),
    )


def _starts_at(said: Said, key: Key, at: int) -> Span | None:
    """``key`` found at core word ``at`` (core keys only)."""
    if not 0 <= at < len(said.core):
        return None
    return next((span for span in find(said, key) if min(span) == said.core[at]), None)


def _ahead(today: dt.date, days: int = _HORIZON.days) -> Iterator[dt.date]:
    return (today + dt.timedelta(days=n) for n in range(days + 1))


def _day_of_month(day: int, month: int | None, weekday: int | None,
                  today: dt.date) -> frozenset[dt.date]:
    """The days around today with this day of the month (and month, and weekday, if said)."""
    ahead = 366 if month else _HORIZON.days
    return frozenset(
        d for d in _ahead(today - dt.timedelta(days=7), ahead + 7)
        if d.day == day and month in (None, d.month) and weekday in (None, d.weekday())
    )


class _Reader:
    """Reads said days from left to right over the core words."""

    def __init__(self, said: Said, today: dt.date, skip: Span, words: _Words) -> None:
        self.said, self.today, self.skip, self.w = said, today, skip, words
        self.core = said.core_words
        self.lang = said.lang

    def span(self, start: int, end: int) -> Span:
        return self.said.core_span(start, end)

    def read(self) -> list[SaidDay]:
        """Every said day, left to right."""
        found: list[SaidDay] = []
        i = 0
        while i < len(self.core):
            if self.said.core[i] in self.skip:
                i += 1
                continue
            hit = self.fixed(i) or self.within(i) or self.weekday(i) or self.date(i)
            if hit is None:
                i += 1
                continue
            day, i = hit
            found.append(self.shifted(day))
        return found

    def shifted(self, day: SaidDay) -> SaidDay:
        """``day`` moved on by what is said around it: "mardi en huit", "a week today"."""
        words = self.said.words
        first, last = min(day.span), max(day.span)
        for phrase, days in self.w.later_by:
            if words[last + 1 : last + 1 + len(phrase)] == phrase:
                span = day.span | frozenset(range(last + 1, last + 1 + len(phrase)))
                return self._moved(day, span, days)
        for phrase, days in self.w.ahead_by:
            if first >= len(phrase) and words[first - len(phrase) : first] == phrase:
                span = day.span | frozenset(range(first - len(phrase), first))
                return self._moved(day, span, days)
        return day

    @staticmethod
    def _moved(day: SaidDay, span: Span, days: int) -> SaidDay:
        # From the first day the words can mean: "mardi en huit" said on a Tuesday is a
        # week today, no longer today or next week.
        later = min(day.dates) + dt.timedelta(days=days)
        return SaidDay(span, frozenset({later}), day.named)

    def _as_day(self, i: int, end: int, weekday: int | None) -> bool:
        """Whether the number at core words ``i:end`` names a day: an ordinal ("premier",
        "fourth"), digits, the whole answer, after "le"/"the", or after a weekday in French
        ("jeudi trois"). Elsewhere it is something else: the "un" of "un peu"."""
        if read_ordinal(self.core, i, self.lang) or self.core[i].isdigit():
            return True
        if weekday is None and i == 0 and end == len(self.core):
            return True
        if weekday is not None and self.lang == "fr":
            return True
        before = self.said.core[i] - 1
        return before >= 0 and self.said.words[before] in self.w.articles

    def fixed(self, i: int) -> tuple[SaidDay, int] | None:
        """ "demain", "après-demain", "la semaine prochaine"."""
        for key, offset in self.w.offsets:
            span = _starts_at(self.said, key, i)
            if span is not None:
                day = self.today + dt.timedelta(days=offset)
                return SaidDay(span, frozenset({day})), i + len(key.words)
        for key, weeks in self.w.weeks:
            span = _starts_at(self.said, key, i)
            if span is not None:
                monday = self.today - dt.timedelta(days=self.today.weekday())
                start = monday + dt.timedelta(weeks=weeks)
                dates = frozenset(start + dt.timedelta(days=n) for n in range(7))
                return SaidDay(span, frozenset(d for d in dates if d >= self.today)), i + len(
                    key.words)
        return None

    def within(self, i: int) -> tuple[SaidDay, int] | None:
        """ "dans deux jours", "in three days"."""
        if self.core[i] not in self.w.within:
            return None
        found = read_number(self.core, i + 1, self.lang, 31)
        if found is None or found[1] >= len(self.core):
            return None
        count, end = found
        unit = self.core[end]
        if unit in self.w.day_units:
            days = count
        elif unit in self.w.week_units:
            days = 7 * count
        else:
            return None
        day = self.today + dt.timedelta(days=days)
        return SaidDay(self.span(i, end + 1), frozenset({day})), end + 1

    def weekday(self, i: int) -> tuple[SaidDay, int] | None:
        """ "jeudi", "lundi prochain", "next monday", "jeudi trois (décembre)"."""
        weekday = self.w.weekdays.get(self.core[i])
        if weekday is None:
            return None
        start, end = i, i + 1
        # "jeudi 3 (décembre)": a weekday with its date is that date ("mardi en huit" is not).
        counted_on = any(self.said.words[self.said.core[i] + 1 :][: len(p)] == p
                         for p, _days in self.w.later_by)
        dated = None if counted_on else self.date(end, weekday)
        if dated is not None:
            said_day, end = dated
            return SaidDay(self.span(start, end), said_day.dates), end
        week = self._week_of(i, end)
        if week is not None:
            # "jeudi de la semaine prochaine", "this week's thursday", "next week thursday".
            (start, end), monday = week
            day = monday + dt.timedelta(days=weekday)
            return SaidDay(self.span(start, end), frozenset({day} if day >= self.today
                                                             else set())), end
        if self._this(i):
            # "ce jeudi", "this thursday": the coming one ("ce mardi" said on a Tuesday: today,
            # or next week?).
            first = self.today + dt.timedelta(days=(weekday - self.today.weekday()) % 7)
            return SaidDay(self.span(i, end), frozenset({first}),
                           ambiguous=first == self.today), end
        said_next = False
        for key in self.w.next:
            if _starts_at(self.said, key, end) is not None:
                said_next, end = True, end + len(key.words)
                break
            if i >= len(key.words) and _starts_at(self.said, key, i - len(key.words)):
                said_next, start = True, i - len(key.words)
                break
        first = self.today + dt.timedelta(days=(weekday - self.today.weekday()) % 7 or 7)
        if said_next:
            # "mercredi prochain" said on Tuesday: tomorrow, or the week after?
            this_week = first.isocalendar()[:2] == self.today.isocalendar()[:2]
            return SaidDay(self.span(start, end), frozenset({first}), ambiguous=this_week), end
        if weekday == self.today.weekday():
            # "mardi" said on a Tuesday: today, or next week?
            return SaidDay(self.span(start, end), frozenset({self.today, first}),
                           ambiguous=True), end
        # A weekday alone is the coming one, or the one after if only that one is shown.
        later = first + dt.timedelta(days=7)
        return SaidDay(self.span(start, end), frozenset({first, later})), end

    def _this(self, i: int) -> bool:
        """Whether the weekday at core word ``i`` is said with "ce" / "this"."""
        before = self.said.core[i] - 1
        return before >= 0 and self.said.words[before] in self.w.this

    def _week_of(self, i: int, end: int) -> tuple[tuple[int, int], dt.date] | None:
        """The week said with the weekday at core words ``i:end``, just after it or just
        before it ("la semaine prochaine"), as (core words covered, its Monday)."""
        monday = self.today - dt.timedelta(days=self.today.weekday())
        for key, weeks in self.w.weeks:
            if _starts_at(self.said, key, end) is not None:
                return (i, end + len(key.words)), monday + dt.timedelta(weeks=weeks)
            start = i - len(key.words)
            if start >= 0 and _starts_at(self.said, key, start) is not None:
                return (start, end), monday + dt.timedelta(weeks=weeks)
        return None

    def date(self, i: int, weekday: int | None = None) -> tuple[SaidDay, int] | None:
        """ "le trois", "le 3 décembre", "december seventh", "the fourth"."""
        if i >= len(self.core):
            return None
        month = self.w.months.get(self.core[i])
        if month is not None and self.lang == "en":
            found = read_day(self.core, i + 1, self.lang)
            if found is None:
                return None
            dates = _day_of_month(found[0], month, weekday, self.today)
            return SaidDay(self.span(i, found[1]), dates), found[1]
        found = read_day(self.core, i, self.lang)
        if found is None:
            return None
        day, end = found
        month = self.w.months.get(self.core[end]) if end < len(self.core) else None
        if month is not None:
            end += 1
        elif not self._as_day(i, end, weekday):
            return None
        named = month is not None or weekday is not None
        dates = _day_of_month(day, month, weekday, self.today)
        return SaidDay(self.span(i, end), dates, named=named), end


def said_days(said: Said, today: dt.date, skip: Span = frozenset()) -> list[SaidDay]:
    """Every day named in ``said`` (words in ``skip``, such as a clock time, are not read)."""
    words = _words(said.lang)
    if words is None:
        return []
    return _Reader(said, today, skip, words).read()


def label_day(label: str, lang: str, today: dt.date) -> dt.date | None:
    """The day a choice's words name ("Demain à 9 h 00", "Jeudi 3 décembre à …"), if one."""
    for day in said_days(hear(label, lang), today):
        if day.named and not day.ambiguous and len(day.dates) == 1:
            return next(iter(day.dates))
    return None
