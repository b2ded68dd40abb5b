"""What makes understanding hold on phrases nobody tuned on (issue 20, second round): clauses
and the reach of a negation, what takes an answer back (not knowing, doubt, a hedge), words
that fit two choices, people by title and sex, parts of the day, two answers joined by "ou",
days moved on by a week. Each step here is built from its labels and a few declared words
only, so the rules, not the catalogue, are what is tested."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from voice.grammar import Step
from voice.intents import NO, UNKNOWN, YES, choice, code, command, match
from voice.lexicon import ENGLISH, FRENCH

TODAY = dt.date(2026, 12, 1)  # a Tuesday
DAYS = tuple(TODAY + dt.timedelta(days=n) for n in (0, 1, 2, 3, 6, 7))
READ_BACK = {"fr": Step("fr", yes_no=True), "en": Step("en", yes_no=True)}


def days_step(lang: str) -> Step:
    labels = {"fr": ("Aujourd'hui", "Demain", "Jeudi 3 décembre", "Vendredi 4 décembre",
                     "Lundi 7 décembre", "Mardi 8 décembre"),
              "en": ("Today", "Tomorrow", "Thursday 3 December", "Friday 4 December",
                     "Monday 7 December", "Tuesday 8 December")}[lang]
    return Step(lang, choices=labels, dates=True, choice_dates=DAYS, today=TODAY)


def test_a_negation_does_not_reach_into_another_clause() -> None:
    cancel = Step("fr", choices=("Oui, annuler", "Non, le garder"), yes_no=True)
    assert match("oui oui annulez je peux pas venir de toute façon", cancel) == choice(0)
    assert match("ben oui j'ai eu trente-neuf cette nuit j'ai pas dormi",
                 READ_BACK["fr"]) == YES
    english = Step("en", choices=("Yes, cancel", "No, keep it"), yes_no=True)
    assert match("yes cancel it i can't come anyway", english) == choice(0)
    # In one clause, it does: the answer is not taken.
    assert match("je ne veux pas l'annuler", cancel) == choice(1)
    view = Step("fr", choices=("Commencer la consultation", "Changer l'heure",
                               "Annuler le rendez-vous"), keywords=((), (), ("supprimer",)))
    assert match("je viendrai pas supprimez le rendez-vous", view) == choice(2)


def test_what_is_lost_is_not_had() -> None:
    card = Step("fr", choices=("J'ai ma carte Vitale", "Je n'ai pas de carte"))
    for said in ("ma carte vitale je l'ai perdue", "j'ai la carte de mutuelle mais pas la vitale",
                 "la vitale je l'ai oubliée", "je n'ai pas ma carte vitale"):
        assert match(said, card) == choice(1), said
    assert match("j'ai ma carte vitale", card) == choice(0)
    # "carte" fits both labels: no guess.
    assert match("carte", card) == UNKNOWN
    english = Step("en", choices=("I have my Carte Vitale", "I have no card"),
                   keywords=(("my card", "the card"), ()))
    assert match("i've lost my carte vitale", english) == choice(1)
    assert match("card", english) == UNKNOWN


def test_not_that_after_an_answer_leaves_the_answer() -> None:
    who = Step("fr", choices=("Jeanne Dupont", "André Dupont", "Lucie Dupont"))
    assert match("euh c'est pour andré pas pour moi", who) == choice(1)
    days = days_step("fr")
    assert match("demain pas aujourd'hui", days) == choice(1)
    assert match("pas demain après-demain", days) == choice(2)
    # Not that, and nothing else said: no answer.
    assert match("pas demain", days) == UNKNOWN


def test_an_opening_no_that_the_next_words_repeat_negates_nothing() -> None:
    keypad = Step("fr", choices=("Effacer", "Valider"), code=True,
                  keywords=(("effacez", "c'est faux"), ()))
    assert match("non c'est faux effacez", keypad) == choice(0)


UNSURE = {"fr": ("je sais pas", "je ne sais pas", "j'en sais rien", "je sais plus"),
          "en": ("i don't know", "i do not know", "dunno", "no idea")}
AROUND = {"fr": ("", "euh", "ben", "oui", "non", "madame", "pardon", "alors"),
          "en": ("", "erm", "well", "yes", "no", "sorry", "love")}


def _steps(lang: str) -> list[Step]:
    yes, no = ("Oui, c'est moi", "Non") if lang == "fr" else ("Yes, it is me", "No")
    card = (("J'ai ma carte Vitale", "Je n'ai pas de carte") if lang == "fr"
            else ("I have my Carte Vitale", "I have no card"))
    return [READ_BACK[lang], Step(lang, choices=(yes, no), yes_no=True), Step(lang, choices=card),
            days_step(lang)]


@settings(max_examples=300, deadline=None)
@given(lang=st.sampled_from(["fr", "en"]), data=st.data())
def test_not_knowing_is_never_an_answer(lang: str, data: st.DataObject) -> None:
    unsure = data.draw(st.sampled_from(UNSURE[lang]))
    before = data.draw(st.sampled_from(AROUND[lang]))
    after = data.draw(st.sampled_from(AROUND[lang]))
    said = " ".join(w for w in (before, unsure, after) if w)
    for step in _steps(lang):
        assert match(said, step).kind not in ("yes", "no", "choice"), (said, step.choices)


def test_not_knowing_takes_the_answer_said_beside_it_back() -> None:
    # The property above is not true by accident: without it, these are answers.
    assert match("ben j'en sais rien j'ai pas de thermomètre", READ_BACK["fr"]) == UNKNOWN
    assert match("j'ai pas de thermomètre", READ_BACK["fr"]) == NO
    assert match("i don't know", READ_BACK["en"]) == UNKNOWN
    assert match("i don't", READ_BACK["en"]) == NO
    # After "mais", doubt is about something else.
    assert match("oui mais je me souviens plus des noms", READ_BACK["fr"]) == YES


def test_doubt_and_hedges() -> None:
    for said in ("oui enfin je crois", "oui peut-être", "peut-être"):
        assert match(said, READ_BACK["fr"]) == UNKNOWN, said
    for said in ("yes i think so maybe", "yes i think", "maybe"):
        assert match(said, READ_BACK["en"]) == UNKNOWN, said
    # A hedge is no doubt on a question that is not a read-back.
    is_it_you = Step("fr", choices=("Oui, c'est moi", "Non"), yes_no=True)
    assert match("euh oui je crois", is_it_you) == choice(0)


def test_a_one_word_synonym_that_fits_two_choices_picks_neither() -> None:
    welcome = Step("en", choices=("Book an appointment", "I have an appointment",
                                  "Check my blood pressure"),
                   keywords=(("an appointment", "need an appointment"), ("my appointment",), ()))
    assert match("appointment", welcome) == UNKNOWN
    assert match("i need an appointment", welcome) == choice(0)
    assert match("my appointment", welcome) == choice(1)


def test_people_by_title_and_sex() -> None:
    # The sexes come from the screen (a card holder's from the NIR), never from first names.
    who = Step("fr", choices=("Jeanne Dupont", "André Dupont", "Lucie Dupont"),
               sexes=("F", "M", "F"))
    assert match("monsieur dupont", who) == choice(1)
    assert match("madame dupont", who) == UNKNOWN  # two women
    assert match("mister dupont", Step("en", choices=who.choices, sexes=who.sexes)) == choice(1)
    unknown = Step("fr", choices=who.choices)
    assert match("monsieur dupont", unknown) == UNKNOWN  # the kiosk does not know: no guess
    doctor = Step("fr", choices=("N'importe quel médecin", "Le docteur Claire Martin",
                                 "Le docteur Paul Bernard"), sexes=("", "F", "M"))
    assert match("une femme de préférence", doctor) == choice(1)
    assert match("plutôt un homme", doctor) == choice(2)
    assert match("madame martin", doctor) == choice(1)
    assert match("monsieur martin", doctor) == UNKNOWN  # Claire Martin is a woman
    assert match("c'est pour ma femme", doctor) == UNKNOWN  # a wife is no preference
    # The doctors' screen as the kiosk shows it today: no sex known, so none is picked by it.
    plain = Step("fr", choices=doctor.choices)
    assert match("une femme de préférence", plain) == UNKNOWN
    assert match("le docteur martin", plain) == choice(1)
    # A title in the label says the sex ("Madame", "la docteure").
    titled = Step("fr", choices=("N'importe quel médecin", "La docteure Claire Martin",
                                 "Monsieur Paul Bernard"))
    assert match("une femme", titled) == choice(1)
    english = Step("en", choices=("Any doctor", "Doctor Claire Martin", "Doctor Paul Bernard"),
                   sexes=("", "F", "M"))
    assert match("the man", english) == choice(2)
    assert match("a lady doctor please", english) == choice(1)
    # One choice happens to name a doctor: "avec le docteur Martin" is not that slot.
    when = Step("fr", choices=("Le plus tôt possible Aujourd'hui à 14 h 30 avec le docteur "
                               "Claire Martin", "Choisir un autre jour", "Choisir le médecin"),
                today=TODAY)
    assert match("avec le docteur martin", when) == UNKNOWN


def test_parts_of_the_day_must_fit_the_time() -> None:
    taken = Step("en", choices=("Today at 3:00 PM with Doctor Claire Martin",
                                "Tomorrow at 9:00 AM with Doctor Paul Bernard",
                                "Choose another day"), times=True, today=TODAY)
    assert match("tomorrow afternoon", taken) == UNKNOWN
    assert match("tomorrow morning", taken) == choice(1)
    assert match("this afternoon", taken) == choice(0)
    times = Step("fr", choices=("9 h 00", "9 h 30", "10 h 00", "14 h 30", "16 h 00"), times=True)
    assert match("dix heures", times) == choice(2)
    assert match("dix heures du soir", times) == UNKNOWN
    assert match("l'après-midi plutôt vers quatre heures", times) == choice(4)
    assert match("le matin", times) == UNKNOWN  # three morning times
    assert match("neuf ou dix heures", times) == UNKNOWN


def test_two_answers_joined_by_or_are_none() -> None:
    assert match("tomorrow or the day after", days_step("en")) == UNKNOWN
    assert match("demain ou après-demain", days_step("fr")) == UNKNOWN
    reason = Step("fr", choices=("Fièvre", "Toux ou rhume"))
    assert match("toux ou rhume", reason) == choice(1)


def test_a_day_moved_on_by_a_week() -> None:
    assert match("a week today", days_step("en")) == choice(5)
    assert match("mardi en huit", days_step("fr")) == choice(5)
    assert match("tuesday week", days_step("en")) == choice(5)
    # Without it, "mardi" said on a Tuesday is today or next week: no guess.
    assert match("mardi", days_step("fr")) == UNKNOWN


def test_a_number_is_a_day_only_as_a_day_is_said() -> None:
    when = Step("fr", choices=("Aujourd'hui à 14 h 30", "Choisir un autre jour"), today=TODAY)
    assert match("vous pouvez parler un peu plus vite", when) == command("faster")
    assert match("le un", days_step("fr")) == choice(0)


def test_english_oh_beside_digits_is_zero() -> None:
    phone = Step("en", choices=("Delete", "OK"), code=True)
    assert match("oh six one two", phone) == code("0612")


def test_vague_words_give_way_to_precise_ones() -> None:
    reason = Step("fr", choices=("Douleur", "Peau", "Ventre"),
                  keywords=(("mal", "la jambe", "j'ai mal"), ("rougeurs",), ("diarrhée",)))
    assert match("je digère mal et j'ai la diarrhée", reason) == choice(2)
    assert match("des rougeurs sur la jambe", reason) == choice(1)
    assert match("j'ai mal", reason) == choice(0)
    assert match("j'ai mal à la jambe", reason) == choice(0)
    help_ = Step("fr", choices=("Prendre rendez-vous", "Mesurer ma tension"),
                 keywords=((), ("la tension", "prendre ma tension")))
    assert match("le pharmacien m'a dit de prendre ma tension", help_) == choice(1)
    assert match("le pharmacien", help_) == command("help")


def test_other_forms_of_a_word() -> None:
    view = Step("fr", choices=("Commencer la consultation", "Changer l'heure"))
    assert match("on commence", view) == choice(0)
    # A label word in another form is only a hint: a command said beside it wins.
    skip = Step("fr", choices=("Oui", "Non", "Passer les questions"), yes_no=True)
    assert match("répétez la question", skip) == command("repeat")


def test_question_words_ask_only_at_the_edges() -> None:
    assert match("that's not what i said", READ_BACK["en"]) == NO
    assert match("what's that", READ_BACK["en"]) == UNKNOWN


def test_a_date_on_a_list_of_months_is_its_month() -> None:
    months = Step("fr", choices=tuple(FRENCH.months), dates=True)
    assert match("le douze avril", months) == choice(3)
    english = Step("en", choices=tuple(m.capitalize() for m in ENGLISH.months), dates=True)
    assert match("the twelfth of april", english) == choice(3)


def test_a_phrase_whose_one_word_fits_two_choices_picks_neither() -> None:
    # "le code" is "code" with an article: both "QR code" and "le code du rendez-vous" hold it.
    find = Step("fr", choices=("Avec ma carte Vitale", "Avec le QR code du ticket",
                               "Avec le code du rendez-vous"),
                keywords=((), (), ("le code", "le code du rendez-vous")))
    assert match("le code", find) == UNKNOWN
    assert match("le code du rendez-vous", find) == choice(2)


def test_an_impossible_date_is_no_date() -> None:
    birth = Step("en", choices=("Delete", "OK"), code=True, years=True)
    assert match("the thirtieth of february nineteen forty", birth) == UNKNOWN
    # Heard with the day missing, a month-first reading would take a year for the day.
    assert match("the [unk] of february nineteen forty", birth) == UNKNOWN
    assert match("the third of march nineteen fifty", birth).year == 1950
    assert match("née le vingt mai mille neuf cent quarante-neuf",
                 Step("fr", choices=("Effacer", "Valider"), code=True, years=True)).day == 20


def test_hours_said_short() -> None:
    times = Step("en", choices=("9:00 AM", "9:30 AM", "10:00 AM", "2:30 PM", "4:00 PM"),
                 times=True)
    assert match("half nine", times) == choice(1)
    assert match("ten", times) == choice(2)  # a number alone on a list of times: the hour
    assert match("four", times) == choice(4)
    assert match("eleven", times) == UNKNOWN  # not shown
    french = Step("fr", choices=("9 h 00", "9 h 30", "10 h 00"), times=True)
    assert match("à neuf", french) == choice(0)


def test_a_label_that_says_not_is_read_from_its_thing_negated() -> None:
    card = Step("fr", choices=("J'ai ma carte Vitale", "Je n'ai pas de carte"))
    for said in ("moi pas carte", "elle a pas sa carte ma mère", "j'ai pas de carte"):
        assert match(said, card) == choice(1), said
    insert = Step("fr", choices=("Lire ma carte", "Je n'ai pas de carte"))
    assert match("la carte ne rentre pas", insert) == UNKNOWN  # another verb: not "no card"
    english = Step("en", choices=("I have my Carte Vitale", "I have no card"))
    assert match("i haven't got a card", english) == choice(1)


def test_a_word_not_heard_breaks_a_phrase() -> None:
    welcome = Step("en", choices=("Book an appointment", "I have an appointment"),
                   keywords=(("need an appointment",), ("my appointment",)))
    assert match("my appointment", welcome) == choice(1)
    assert match("my [unk] [unk] appointment", welcome) == UNKNOWN  # "my mother's ..."?


def test_a_carer_s_third_person_is_the_person_s_own_answer() -> None:
    welcome = Step("fr", choices=("Prendre rendez-vous", "J'ai un rendez-vous"),
                   keywords=(("un rendez-vous",), ("j'ai un rendez-vous",)))
    assert match("elle a un rendez-vous ma maman à onze heures", welcome) == choice(1)
    card = Step("fr", choices=("J'ai ma carte Vitale", "Je n'ai pas de carte"),
                keywords=(("ma carte", "dans mon sac"), ("elle l'a", "c'est mon mari qui l'a")))
    assert match("elle a sa carte dans son sac ma mère", card) == choice(0)
    # Someone else has it: "elle l'a" (my wife has it) stays as it was said.
    assert match("elle l'a", card) == choice(1)
    english = Step("en", choices=("I have my Carte Vitale", "I have no card"),
                   keywords=(("my card", "in my handbag"), ("she's got it",)))
    assert match("she's got her card in her handbag", english) == choice(0)
    assert match("she's got it", english) == choice(1)
    year = Step("fr", choices=("Effacer", "Valider"), code=True)
    assert match("elle est née en mille neuf cent vingt-neuf", year) == code("1929")
    assert match("she was born in nineteen twenty nine",
                 Step("en", choices=("Delete", "OK"), code=True)) == code("1929")


def test_letters_spelled_the_way_people_spell_them() -> None:
    keypad = Step("fr", choices=("Effacer", "Valider"), code=True)
    assert match("b comme bernard quatre t comme thérèse deux r double v", keypad) == code(
        "B4T2RW")
    assert match("d comme désiré u comme ursule p comme pierre o n t", keypad) == code("DUPONT")
    assert match("ka comme kilo sept", keypad) == code("K7")
    assert match("comme anatole trois", keypad) == code("A3")  # the alphabet's own word
    assert match("b comme [unk] quatre", keypad) == code("B4")  # the example not heard
    assert match("b comme pierre", keypad) == UNKNOWN  # which letter?
    english = Step("en", choices=("Delete", "OK"), code=True)
    assert match("b for bravo four t two r double u", english) == code("B4T2RW")
    assert match("kilo seven mike three quebec x-ray", english) == code("K7M3QX")
    assert match("oh six double three double four five five", english) == code("06334455")


def test_a_word_in_another_form_is_not_turned_into_the_other_choice() -> None:
    # "rentre" is a form of "rentrée" ("elle est rentrée": read it); "elle rentre pas" does
    # not mean "I have no card": the card does not go in.
    insert = Step("fr", choices=("Lire ma carte", "Je n'ai pas de carte"),
                  keywords=(("elle est rentrée",), ()))
    assert match("elle rentre pas", insert) == command("help")
    assert match("rentre pas", insert) == UNKNOWN


def test_again_asks_again_only_as_the_whole_answer() -> None:
    phone = Step("en", choices=("Delete", "Skip", "OK"), code=True)
    assert match("again", phone) == command("repeat")
    assert match("hang on jackie what's your number again", phone) == UNKNOWN
    renew = Step("fr", choices=("Fièvre", "Renouveler une ordonnance"))
    assert match("encore", renew) == command("repeat")
    assert match("pas encore", READ_BACK["fr"]) == NO


def test_short_and_polite_noes() -> None:
    fever = Step("fr", choices=("Oui", "Non", "Passer les questions"), yes_no=True)
    assert match("moi pas fièvre", fever) == choice(1)
    tension = Step("fr", choices=("Oui, mesurer ma tension", "Non, continuer"), yes_no=True)
    assert match("non c'est bon on continue", tension) == choice(1)
    assert match("no i'm fine", READ_BACK["en"]) == NO


def test_asked_again_in_a_sentence() -> None:
    bp = Step("fr", choices=("Oui", "Non"), yes_no=True)
    for said in ("hein qu'est-ce qu'elle dit", "qu'est-ce qu'il a dit le docteur",
                 "comment vous dites"):
        assert match(said, bp) == command("repeat"), said
    assert match("non j'ai dit dix heures", READ_BACK["fr"]) == NO  # no question: an answer
    english = Step("en", choices=("Yes", "No"), yes_no=True)
    for said in ("what did the doctor say", "say the name again please", "when is it again"):
        assert match(said, english) == command("repeat"), said
    # Spoken to someone else.
    phone = Step("fr", choices=("Effacer", "Valider"), code=True)
    assert match("attends jacqueline c'est quoi ton numéro déjà", phone) == UNKNOWN


def test_no_to_what_was_just_said() -> None:
    # "je peux pas" with nothing of its own says no to the answer before it.
    when = Step("fr", choices=("Le plus tôt possible Aujourd'hui à 14 h 30",
                               "Choisir un autre jour"), today=TODAY)
    assert match("aujourd'hui je peux pas je garde mes petits-enfants", when) == UNKNOWN
    assert match("aujourd'hui ça me va", when) == choice(0)
    # A hedge on a read-back, even inside the yes: no confirmation.
    assert match("yes i think so", READ_BACK["en"]) == UNKNOWN
    assert match("je crois que oui", READ_BACK["fr"]) == UNKNOWN


def test_which_week_a_weekday_is_in() -> None:
    later = Step("fr", choices=("Jeudi 3 décembre", "Samedi 5 décembre", "Mercredi 9 décembre",
                                "Jeudi 10 décembre"), dates=True,
                 choice_dates=tuple(TODAY + dt.timedelta(days=n) for n in (2, 4, 8, 9)),
                 today=TODAY)
    assert match("jeudi", later) == UNKNOWN  # two Thursdays shown
    assert match("ce jeudi", later) == choice(0)
    assert match("jeudi de la semaine prochaine", later) == choice(3)
    assert match("la semaine prochaine jeudi", later) == choice(3)
    assert match("ce mardi", days_step("fr")) == UNKNOWN  # said on a Tuesday
    english = Step("en", choices=("Thursday 3 December", "Thursday 10 December"), dates=True,
                   choice_dates=(TODAY + dt.timedelta(days=2), TODAY + dt.timedelta(days=9)),
                   today=TODAY)
    assert match("this thursday", english) == choice(0)
    assert match("thursday next week", english) == choice(1)


def test_letter_words_not_knowing_how_and_a_day_in_a_date() -> None:
    find = Step("fr", choices=("Avec ma carte Vitale", "Avec le QR code du ticket"),
                keywords=((), ("le qr code",)))
    assert match("le q r code", find) == choice(1)  # "QR" said letter by letter
    keypad = Step("fr", choices=("Effacer", "Valider"), code=True)
    assert match("je sais pas écrire avec ça", keypad) == command("help")
    assert match("je sais pas", keypad) == UNKNOWN
    days_of_month = Step("en", choices=tuple(str(n) for n in range(1, 32)))
    assert match("the fourth of july", days_of_month) == choice(3)


def test_numbers_in_every_form() -> None:
    phone = Step("fr", choices=("Effacer", "Passer", "Valider"), code=True)
    assert match("06 12 34 56 78", phone) == code("0612345678")  # digits as written
    assert match("zéro six septante-deux nonante et un huitante", phone) == code("06729180")
    assert match("1945", Step("fr", choices=("Effacer", "Valider"), code=True)) == code("1945")


def test_a_day_the_month_does_not_have_is_no_answer() -> None:
    days_of_month = Step("fr", choices=tuple(str(n) for n in range(1, 32)))
    assert match("le trente février", days_of_month) == UNKNOWN
    assert match("le quatorze juillet", days_of_month) == choice(13)
    months = Step("fr", choices=tuple(FRENCH.months), dates=True)
    assert match("le trente et un avril", months) == UNKNOWN
    assert match("le trente et un mai", months) == choice(4)


def test_words_of_the_other_languages_people_mix_with_french() -> None:
    is_it_you = Step("fr", choices=("Oui, c'est moi", "Non"), yes_no=True)
    for said in ("si", "si si", "sim", "va bene", "oui inchallah", "grazie signora oui"):
        assert match(said, is_it_you) == choice(0), said
    assert match("no no", is_it_you) == choice(1)
    # "si" in a sentence is "if".
    assert match("si possible", is_it_you) == UNKNOWN


def test_said_short_without_articles_or_with_someone_s_things() -> None:
    welcome = Step("fr", choices=("Prendre rendez-vous", "J'ai un rendez-vous"),
                   keywords=(("un rendez-vous avec le médecin",), ("déjà un rendez-vous",)))
    assert match("moi déjà rendez-vous", welcome) == choice(1)
    assert match("rendez-vous médecin", welcome) == choice(0)
    assert match("rendez-vous", welcome) == UNKNOWN  # two words left: too little to tell
    card = Step("en", choices=("I have my Carte Vitale", "I have no card"),
                keywords=(("in my bag",), ()))
    assert match("it's in her bag", card) == choice(0)
