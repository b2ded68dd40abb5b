"""English: what people say at the kiosk, as vosk's English models spell it.

The kiosk's second language. Contractions are folded into separate words
("don't" -> "don t"), so the lone "t" of "n't" counts as a negation.
"""

from __future__ import annotations

from types import MappingProxyType

from voice.lexicon import NATO, DayWords, Lexicon, alphabet, digit_table, letter_table, positions

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
    "that suits me", "suits me", "fine by me", "works for me", "that works", "i accept",
    "accepted", "go on", "go for it", "by all means", "please do", "yes it is", "that's good",
    "good", "very good", "lovely", "of course i do", "yes i do", "aye", "righto", "right you are",
    "it's fine", "that's fine by me", "sure thing", "that's right", "that'll do",
    # Consent said by what does not bother the person.
    "i don't mind", "i do not mind", "don't mind", "i wouldn't mind", "it doesn't bother me",
    "doesn't bother me",
)
NO = (
    "no", "nope", "no thanks", "no thank you", "not really", "no it's not me", "it's not me",
    "that's not me", "not me", "not at all", "no way", "of course not", "certainly not",
    "absolutely not", "that's wrong", "wrong", "that's not right", "not right",
    "i don't think so", "i don't agree", "i disagree", "not now", "i'd rather not",
    "rather not", "i don't want to", "i don't", "none", "nothing", "keep it",
    "i changed my mind", "changed my mind", "i made a mistake", "not yet", "never",
    "i don't have any", "i don't take any", "it's not", "that's not",
    "nah", "no need", "not needed", "i refuse", "no chance", "definitely not", "not what i said",
    "i didn't say that", "that's a mistake", "you've got it wrong", "you got it wrong",
    "not for me", "please don't", "i don't want it",
    # "No, I'm fine" (no thank you).
    "no i'm fine", "no it's fine", "no that's fine", "no i'm good", "no thanks i'm fine",
    "no i'm alright", "me no",
)

COMMANDS = MappingProxyType({
    "help": (
        "help", "help me", "i need help", "i can't do it", "i don't understand",
        "i'm lost", "i am lost", "i'm confused", "i don't know what to do", "call someone",
        "call the pharmacist", "the pharmacist", "is anyone there", "someone help",
        "pharmacist", "chemist", "the chemist", "someone", "somebody", "a person", "a human",
        "i can't manage", "i can't find", "i can't find it", "i can't work it out",
        "i don't know how to do it", "how does it work", "it doesn't work", "it's not working",
        "i can't figure it out", "too complicated", "it's too complicated", "can you help",
        "can you help me", "could you help me", "i need someone", "get someone",
        "i don't know how", "don't know how", "i can't get it in", "it won't go in",
        "it won't go", "won't go in", "i can't type", "i can't use this", "i can't do this",
        "i can't work this", "i can't work it",
    ),
    "repeat": (
        "repeat", "say again", "say that again", "could you repeat",
        "could you repeat that", "can you repeat", "repeat that", "what did you say",
        "i didn't catch that", "i didn't hear", "come again",
        "say it again", "read it again", "read that again", "ask me again", "ask me that again",
        "once more", "one more time", "i didn't understand that", "i didn't get that",
        "i missed that", "what was that", "repeat please", "read the list again",
        "read it out again", "read it back", "read it all back", "read it back to me",
        "read it all back to me", "read that back",
    ),
    "back": ("back", "go back", "previous", "i made a mistake", "go back a step",
             "the screen before", "back please", "take me back"),
    "cancel": (
        "cancel", "stop", "forget it", "never mind", "i want to stop", "i give up", "quit",
        "i'm done", "goodbye", "bye", "leave it", "i'm going home", "i'll come back later",
        "i'll come back", "forget about it", "that's enough", "i've had enough", "stop it",
    ),
    "louder": (
        "louder", "speak up", "i can't hear", "i can't hear you", "i cannot hear", "turn it up",
        "i'm deaf", "i'm a bit deaf", "too quiet", "it's too quiet", "not loud enough",
        "speak louder", "a bit louder", "turn the volume up", "volume up",
    ),
    "quieter": ("quieter", "softer", "too loud", "it's too loud", "turn it down", "not so loud",
                "less loud", "you're shouting", "don't shout", "volume down",
                "turn the volume down", "a bit quieter"),
    "slower": ("slower", "more slowly", "slow down", "too fast", "you're too fast", "speak slowly",
               "not so fast", "too quick", "too quickly", "you're going too fast", "less fast",
               "a bit slower", "speak more slowly"),
    "faster": ("faster", "speed up", "too slow", "quicker", "a bit quicker", "more quickly",
               "not so slow", "you're too slow", "hurry up", "a bit faster"),
})

def _third_persons() -> dict[str, str]:
    """ "she has" -> "i have", "he doesn't" -> "i don't": a carer speaking of the person."""
    verbs = {
        "has": "i have", "has got": "i have got", "'s got": "i've got", "hasn't": "i haven't",
        "hasn't got": "i haven't got", "doesn't": "i don't", "does not": "i do not",
        "was born": "i was born", "wants": "i want", "'d like": "i'd like",
        "would like": "i would like", "needs": "i need", "can't": "i can't",
        "cannot": "i cannot", "'s been": "i've been", "takes": "i take", "agrees": "i agree",
        "'s ready": "i'm ready", "feels": "i feel", "coughs": "i cough",
        "'s coughing": "i'm coughing", "'s lost": "i've lost", "lost": "i lost",
        "forgot": "i forgot", "'s forgotten": "i've forgotten", "left": "i left",
        "'s left": "i've left", "is ready": "i am ready", "doesn't know": "i don't know",
    }
    return {f"{who}{'' if verb.startswith(chr(39)) else ' '}{verb}": own
            for who in ("she", "he") for verb, own in verbs.items()}


ENGLISH = Lexicon(
    lang="en",
    yes=YES,
    no=NO,
    commands=COMMANDS,
    alone=MappingProxyType({
        # "again" inside a sentence is no request ("what's your number again").
        "repeat": ("pardon", "sorry", "what", "excuse me", "huh", "pardon me", "sorry what",
                   "again", "again please", "eh", "eh what", "what what"),
    }),
    fillers=(
        "uh", "um", "er", "erm", "hmm", "mm", "well", "please", "i want", "i'd like",
        "i would like", "i choose", "i'll take", "let's say", "thank you", "thanks", "hello",
        "hi", "sorry", "excuse me", "ah", "actually", "madam", "sir", "i was born on",
        "i was born in", "if possible", "if you don't mind", "if that's ok", "love", "dear",
        "my dear", "darling", "pet", "then", "cheers", "good morning", "good afternoon",
        "i'd prefer", "i prefer", "preferably", "i'd rather", "i'd like to",
        "you know", "i mean", "right then", "now then", "okay then", "my number is",
        "my number", "my phone number is", "my phone number", "the number is", "after all",
        "me want", "me need",
    ),
    stopwords=(
        "the", "of", "at", "on", "for", "is", "it", "number", "option", "choice", "an", "with",
    ),
    positions=positions("en", 12),
    letters=letter_table(_LETTERS),
    digits=digit_table("en"),
    spelling_links=("for", "as in", "like", "as"),
    spelling_alphabet=alphabet(NATO),
    repeats=MappingProxyType({"double": 2, "triple": 3}),
    months=(
        "january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december",
    ),
    weekdays=("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    negations=("not", "no", "nope", "never", "nothing", "none", "t", "cannot", "nah", "without",
               "neither", "nor"),
    contrasts=("but",),
    certainty=("sure", "certain", "certainly", "positive"),
    questions=("what", "what is", "what's", "why", "how much", "where", "what time"),
    common=("doctor", "appointment"),
    function_words=(
        "i", "you", "he", "she", "it", "we", "they", "my", "your", "his", "her", "our", "their",
        "me", "have", "has", "had", "am", "are", "was", "were", "be", "do", "does", "did", "a",
        "and", "or", "not", "no", "yes", "to", "in", "by", "from", "without", "this",
        "that", "these", "those", "what", "which", "who", "more", "less", "very", "all",
        "possible", "soon", "as", "am", "pm", "o", "clock", "today", "tomorrow", "morning",
        "afternoon", "evening", "s", "t", "m", "ll", "ve", "d", "re", "get", "got", "there",
        "here", "so", "too", "can", "will", "would", "could", "should", "one",
        # What is left of "don't", "isn't" once folded ("don t").
        "don", "doesn", "didn", "isn", "wasn", "aren", "weren", "haven", "hasn", "hadn", "won",
        "wouldn", "couldn", "shouldn", "cannot", "ain",
    ),
    speaker=("i",),
    subjects=("i", "you", "he", "she", "we", "they", "it's", "it is", "that's", "that is",
              "it was", "that was", "there's", "there is"),
    pronouns=("me", "him", "her", "them", "us", "you", "that", "this"),
    privatives=("lost", "forgot", "forgotten", "left", "mislaid", "misplaced"),
    unsure=(
        "i don't know", "don't know", "i do not know", "dunno", "no idea", "i've no idea",
        "i have no idea", "i'm not sure", "not sure", "i am not sure", "i can't remember",
        "can't remember", "i don't remember", "i cannot remember", "i forget", "not certain",
        "i couldn't say", "hard to say", "who knows", "i'm not certain", "i don't recall",
        "i can't recall", "i've forgotten",
    ),
    doubts=("maybe", "perhaps", "possibly", "might be", "could be"),
    hedges=("i think", "i guess", "i suppose", "i believe", "probably", "i reckon",
            "i'd say", "sort of", "kind of"),
    alternatives=("or", "either"),
    asking=("what", "when", "which", "eh", "pardon", "sorry"),
    saying=("say", "said", "says", "saying", "tell", "told", "read", "repeat", "ask", "asked",
            "asking", "go over"),
    again=("again", "once more"),
    someone_else=("your",),
    indefinites=("a", "an"),
    third_persons=MappingProxyType(_third_persons()),
    possessives=MappingProxyType({"her": "my", "his": "my"}),
    others_have=("it", "one", "them", "the"),
    corrections=(
        "no", "nope", "no no", "oh no", "no sorry", "sorry", "i mean", "i meant", "no wait",
        "wait", "hang on", "rather", "or rather", "actually", "make that", "no make that",
        "scratch that", "my mistake", "i'm wrong", "no i mean", "let's say", "oops",
    ),
    vague=(
        "pain", "problem", "trouble", "pharmacist", "chemist", "the pharmacist", "the chemist",
        "someone", "somebody", "a person", "a human",
    ),
    surface=("on",),
    body_parts=(
        "head", "face", "back", "knee", "knees", "leg", "legs", "arm", "arms", "shoulder",
        "shoulders", "hip", "hips", "foot", "feet", "hand", "hands", "neck", "body", "chest",
        "tummy", "belly",
    ),
    doctor_titles=("doctor", "dr"),
    titles=MappingProxyType({
        "mister": "M", "mr": "M", "mrs": "F", "missus": "F", "ms": "F", "miss": "F",
        "madam": "F",
    }),
    sexes=MappingProxyType({
        "F": ("a woman", "the woman", "a lady", "the lady", "lady doctor", "woman doctor",
              "female doctor", "a female", "female", "a lady doctor", "a woman doctor"),
        "M": ("a man", "the man", "a gentleman", "the gentleman", "male doctor", "a male",
              "male", "a male doctor", "man doctor", "a man doctor"),
    }),
    zero=("oh",),
    negated_yes_glue=("i", "it", "is", "do", "don", "that", "s", "m", "am", "want", "to", "you",
                      "have", "ve", "got", "has", "had", "haven", "hasn"),
    soonest=(
        "as soon as possible", "asap", "a s a p", "whenever", "any time", "anytime",
        "the earliest", "earliest", "as early as possible", "the soonest", "soonest",
        "right away", "now", "right now", "i don't mind", "it doesn't matter",
        "doesn't matter", "whatever", "first available", "the first available", "any day",
        "the sooner the better", "first thing", "the first one you have", "earliest possible",
        "as early as you can", "as soon as you can", "the first free one",
    ),
    last=("the last one", "the last", "last one", "last", "the latest", "latest",
          "as late as possible", "the latest one"),
    next_page=("next", "next page", "the next page", "more", "show more", "others", "the others",
               "other times", "later times", "later ones", "the next ones", "show me more",
               "any more", "the rest", "show me the rest", "the rest of them",
               "what else is there"),
    previous_page=("previous", "previous page", "the previous page", "page before", "earlier",
                   "earlier times", "the earlier ones", "go back a page", "the ones before"),
    position_nouns=("one", "person", "button", "line", "month", "day", "time"),
    days=DayWords(
        offsets=MappingProxyType({
            "today": 0, "tonight": 0, "tomorrow": 1,
            "the day after tomorrow": 2, "day after tomorrow": 2, "in a week": 7,
            "in two weeks": 14, "this morning": 0, "this afternoon": 0, "this evening": 0,
            "in a fortnight": 14, "in a week's time": 7,
        }),
        next=("next",),
        within=("in",),
        day_units=("day", "days"),
        week_units=("week", "weeks"),
        weeks=("next week", "this week", "the week after"),
        later_by=MappingProxyType({"week": 7}),
        articles=("the",),
        this=("this",),
        ahead_by=MappingProxyType({"a week": 7, "a week on": 7, "a week from": 7,
                                   "a fortnight": 14, "two weeks": 14}),
        parts=MappingProxyType({
            "morning": (0, 12), "afternoon": (12, 18), "evening": (17, 24), "tonight": (17, 24),
            "lunchtime": (12, 14), "early morning": (0, 10), "late afternoon": (15, 19),
        }),
    ),
)
# fmt: on
