"""English: what people say at the kiosk, as vosk's English models spell it.

The kiosk's second language. Contractions are folded into separate words
("don't" -> "don t"), so the lone "t" of "n't" counts as a negation.
"""

from __future__ import annotations

from types import MappingProxyType

from voice.lexicon import DayWords, Lexicon, digit_table, letter_table, positions

# The tables are written a few words a line, not one word a line: fmt: off.
# fmt: off

_LETTERS = {
    "A": ("a",), "B": ("b", "bee"), "C": ("c", "see", "cee"), "D": ("d", "dee"), "E": ("e",),
    "F": ("f", "ef", "eff"), "G": ("g", "gee"), "H": ("h", "aitch"), "I": ("i",),
    "J": ("j", "jay"), "K": ("k", "kay"), "L": ("l", "el", "ell"), "M": ("m", "em"),
    "N": ("n", "en"), "O": ("o", "oh"), "P": ("p", "pee"), "Q": ("q", "cue", "queue"),
    "R": ("r", "ar"), "S": ("s", "ess"), "T": ("t", "tee"), "U": ("u", "you"),
    "V": ("v", "vee"), "W": ("w", "double u"), "X": ("x", "ex"), "Y": ("y", "why"),
    "Z": ("z", "zed", "zee"),
}

YES = (
    "yes", "yeah", "yep", "yup", "okay", "ok", "correct", "sure", "that's right", "yes please",
    "yes it's me", "that's me", "it's me", "absolutely", "exactly", "of course", "certainly",
    "right", "that's correct", "fine", "that's fine", "alright", "all right", "please do",
    "go ahead", "no problem", "i agree", "i think so", "i do", "indeed", "definitely",
    "perfect", "that's it", "it is", "sounds good",
)
NO = (
    "no", "nope", "no thanks", "no thank you", "not really", "no it's not me", "it's not me",
    "that's not me", "not me", "not at all", "no way", "of course not", "certainly not",
    "absolutely not", "that's wrong", "wrong", "that's not right", "not right",
    "i don't think so", "i don't agree", "i disagree", "not now", "i'd rather not",
    "rather not", "i don't want to", "i don't", "none", "nothing", "keep it",
    "i changed my mind", "changed my mind", "i made a mistake", "not yet", "never",
    "i don't have any", "i don't take any", "it's not", "that's not",
)

COMMANDS = MappingProxyType({
    "help": (
        "help", "help me", "i need help", "i can't do it", "i can't", "i don't understand",
        "i'm lost", "i am lost", "i'm confused", "i don't know what to do", "call someone",
        "call the pharmacist", "the pharmacist", "is anyone there", "someone help",
    ),
    "repeat": (
        "repeat", "again", "say again", "say that again", "could you repeat",
        "could you repeat that", "can you repeat", "repeat that", "what did you say",
        "i didn't catch that", "i didn't hear", "come again",
    ),
    "back": ("back", "go back", "previous", "i made a mistake"),
    "cancel": (
        "cancel", "stop", "forget it", "never mind", "i want to stop", "i give up", "quit",
        "i'm done", "goodbye", "bye", "leave it",
    ),
    "louder": (
        "louder", "speak up", "i can't hear", "i can't hear you", "i cannot hear", "turn it up",
    ),
    "quieter": ("quieter", "softer", "too loud", "it's too loud", "turn it down"),
    "slower": ("slower", "more slowly", "slow down", "too fast", "you're too fast", "speak slowly"),
    "faster": ("faster", "speed up", "too slow", "quicker"),
})

ENGLISH = Lexicon(
    lang="en",
    yes=YES,
    no=NO,
    commands=COMMANDS,
    alone=MappingProxyType({
        "repeat": ("pardon", "sorry", "what", "excuse me", "huh", "pardon me", "sorry what"),
    }),
    fillers=(
        "uh", "um", "er", "erm", "hmm", "mm", "well", "so", "please", "i want", "i'd like",
        "i would like", "i choose", "i'll take", "let's say", "thank you", "thanks", "hello",
        "hi", "sorry", "excuse me", "ah", "actually", "madam", "sir", "i was born on",
        "i was born in",
    ),
    stopwords=(
        "the", "of", "at", "on", "for", "is", "it", "number", "option", "choice", "an", "with",
    ),
    positions=positions("en", 12),
    letters=letter_table(_LETTERS),
    digits=digit_table("en"),
    months=(
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ),
    weekdays=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    negations=("not", "no", "nope", "never", "nothing", "none", "t", "cannot", "nah"),
    contrasts=("but",),
    certainty=("sure", "certain", "certainly", "positive"),
    questions=("what", "what is", "what's", "why", "how much", "where", "what time"),
    common=("doctor", "appointment"),
    negated_yes_glue=("i", "it", "is", "do", "don", "that", "s", "m", "am", "want", "to", "you"),
    soonest=(
        "as soon as possible", "asap", "a s a p", "whenever", "any time", "anytime",
        "the earliest", "earliest", "as early as possible", "the soonest", "soonest",
        "right away", "now", "right now", "i don't mind", "it doesn't matter",
        "doesn't matter", "whatever", "first available", "the first available", "any day",
    ),
    last=("the last one", "the last", "last one", "last"),
    next_page=("next", "next page", "the next page", "more", "show more", "others", "the others",
               "other times", "later times"),
    previous_page=("previous", "previous page", "the previous page", "page before"),
    position_nouns=("one", "person", "button", "line", "month", "day", "time"),
    days=DayWords(
        offsets=MappingProxyType({
            "today": 0, "tonight": 0, "tomorrow": 1,
            "the day after tomorrow": 2, "day after tomorrow": 2, "in a week": 7,
            "in two weeks": 14,
        }),
        next=("next",),
        within=("in",),
        day_units=("day", "days"),
        week_units=("week", "weeks"),
        weeks=("next week", "this week", "the week after"),
    ),
)
# fmt: on
