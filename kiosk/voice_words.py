"""The other words a choice answers to when said aloud: "la tension" for "Mesurer ma tension".

Keyed by what the choice's button posts (its form field name and value), which listen.js
sends with each visible choice: the screens and their templates need no change, and a
reworded label keeps its words. A control that posts nothing (a link, the "Confirmer"
button) is keyed by its label instead. Each entry is one message of the catalogue, translated like
the labels: phrases separated by ";", in the screen's language (a translator may give more
or fewer). Yes and no need none: the lexicon of voice/ knows how people say them.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

_NO_CARD = _l(
    "non; pas de carte; je n'ai pas de carte; je ne l'ai pas; je l'ai pas; je l'ai oubliée; "
    "oubliée; sans carte; j'ai pas ma carte; je n'ai pas ma carte; je ne l'ai pas sur moi; "
    "je l'ai pas sur moi; je l'ai perdue; perdue; je n'en ai pas; j'en ai pas; je l'ai laissée; "
    "à la maison"
)
_HAS_CARD = _l(
    "oui; je l'ai; la voilà; la voici; elle est là; ma carte; la carte; carte vitale; "
    "j'ai ma carte; avec ma carte; avec la carte; je l'ai sur moi"
)
_GO = _l(
    "oui; d'accord; on continue; je continue; continuez; on y va; allons-y; allez-y; suivant; "
    "c'est bon; ça me va; on commence; je commence; commencer; c'est parti; je suis prêt; "
    "je suis prête; on peut y aller"
)
_AGAIN = _l(
    "recommencer; on recommence; refaire; refaire la mesure; encore une fois; réessayer; "
    "on réessaie; une autre fois"
)
_OTHER_DAY = _l(
    "un autre jour; une autre date; un autre moment; pas aujourd'hui; pas maintenant; "
    "choisir le jour; choisir un jour; plus tard; demain; après-demain; la semaine prochaine; "
    "lundi; mardi; mercredi; jeudi; vendredi; samedi; dimanche"
)

# (form field, value posted) -> the other words of that choice.
WORDS = {
    # The welcome screen.
    ("journey", "booking"): _l(
        "un rendez-vous; un rendez-vous avec le médecin; prendre un rendez-vous; "
        "voir un médecin; voir le médecin; voir un docteur; voir le docteur; consulter; "
        "une consultation; réserver"
    ),
    ("journey", "appointment"): _l(
        "mon rendez-vous; j'ai un rendez-vous; j'ai rendez-vous; déjà un rendez-vous; "
        "j'ai déjà rendez-vous; pris rendez-vous; pris un rendez-vous; j'avais rendez-vous; "
        "mon ticket; mon code; un ticket; un code"
    ),
    ("journey", "vitals"): _l(
        "tension; la tension; ma tension; tension artérielle; pression artérielle; la pression; "
        "prendre ma tension; prendre la tension; vérifier ma tension; tensiomètre; le brassard"
    ),
    # "Continuer", "Commencer": going on.
    ("go", "go"): _GO,
    ("go", "again"): _AGAIN,
    # The card, or none.
    ("how", "card"): _HAS_CARD,
    ("how", "typed"): _NO_CARD,
    ("choice", "typed"): _NO_CARD,
    ("choice", "read"): _l(
        "oui; lisez ma carte; lire la carte; lisez la carte; c'est fait; je l'ai mise; "
        "elle est mise; elle est dedans; elle y est; voilà"
    ),
    # The big keys.
    ("action", "erase"): _l("efface; effacez; effacer tout; corriger; supprimer; enlever"),
    ("action", "ok"): _l(
        "oui; c'est bon; c'est tout; valide; validez; terminé; c'est fini; j'ai fini; voilà; "
        "d'accord; c'est ça"
    ),
    ("action", "skip"): _l(
        "passer; je passe; pas de téléphone; je n'ai pas de téléphone; je n'en ai pas; "
        "j'en ai pas; pas de numéro; je ne sais pas; je ne le connais pas; je le connais pas; "
        "pas de portable; je n'ai pas de portable"
    ),
    # Why see the doctor.
    ("reason", "fever"): _l(
        "fièvre; de la fièvre; température; de la température; j'ai chaud; frissons; fiévreux; "
        "fiévreuse"
    ),
    ("reason", "cough"): _l(
        "toux; je tousse; tousse; tousser; rhume; enrhumé; enrhumée; le nez qui coule; "
        "le nez bouché; grippe; bronchite; mal à la gorge; la gorge; j'éternue"
    ),
    ("reason", "pain"): _l(
        "mal; j'ai mal; douleur; douleurs; ça fait mal; je souffre; mal de tête; la tête; "
        "le dos; le genou; la jambe; le bras; l'épaule; la hanche; les dents; les reins"
    ),
    ("reason", "stomach"): _l(
        "ventre; mal au ventre; estomac; mal à l'estomac; digestion; diarrhée; constipé; "
        "constipée; vomir; vomi; j'ai vomi; envie de vomir; nausée; nausées; mal au cœur"
    ),
    ("reason", "skin"): _l(
        "peau; bouton; boutons; plaques; plaques rouges; rougeur; rougeurs; ça gratte; "
        "ça me gratte; démangeaisons; eczéma; une plaie; une brûlure"
    ),
    ("reason", "renewal"): _l(
        "ordonnance; mon ordonnance; renouvellement; renouveler; médicaments; mes médicaments; "
        "traitement; mon traitement; cachets; pilules; je n'ai plus de médicaments; "
        "je n'ai plus de cachets; je n'en ai plus"
    ),
    ("reason", "results"): _l(
        "résultats; mes résultats; analyses; mes analyses; prise de sang; examen; examens; "
        "radio; bilan"
    ),
    ("reason", "other"): _l(
        "autre chose; autre; une autre raison; rien de tout ça; ce n'est pas dans la liste"
    ),
    # When, and with whom.
    ("choice", "days"): _OTHER_DAY,
    ("choice", "doctor"): _l(
        "choisir mon médecin; choisir le médecin; choisir mon docteur; choisir le docteur; "
        "un médecin précis; un médecin en particulier; un autre médecin; un autre docteur; "
        "mon médecin; changer de médecin; quel médecin"
    ),
    ("doctor", "any"): _l(
        "n'importe lequel; n'importe quel docteur; peu importe; peu m'importe; ça m'est égal; "
        "ça n'a pas d'importance; le premier disponible; n'importe qui; pas de préférence"
    ),
    # Finding an appointment.
    ("how", "scan"): _l(
        "le ticket; mon ticket; qr code; le qr; le papier; scanner; le code barre; le carré"
    ),
    ("how", "code"): _l(
        "le code; un code; j'ai un code; taper le code; le code du rendez-vous; les lettres"
    ),
    ("do", "consult"): _l(
        "commencer; la consultation; consultation; voir le médecin; je suis prêt; "
        "je suis prête; je suis là; je suis arrivé; je suis arrivée; c'est l'heure"
    ),
    ("do", "move"): _l(
        "changer l'heure; changer l'horaire; changer la date; changer le jour; un autre jour; "
        "une autre heure; déplacer; décaler; reporter; plus tard; modifier"
    ),
    ("do", "cancel"): _l(
        "annuler; supprimer; je ne viendrai pas; je ne peux pas venir; je ne pourrai pas venir; "
        "enlever le rendez-vous"
    ),
    # The camera refused, then wanted after all.
    ("answer", "again"): _l("j'ai changé d'avis; finalement oui; oui; d'accord; je veux bien"),
}


# Label of a control that posts nothing -> its other words.
BY_LABEL = (
    (_l("Confirmer"), _l(
        "je confirme; c'est bon; c'est parfait; parfait; c'est correct; c'est tout bon; valider; "
        "je valide; validez; d'accord; oui"
    )),
    (_l("Passer les questions"), _l("je passe; passer; sauter les questions; pas de questions")),
    (_l("Continuer sans aide"), _l(
        "je n'ai plus besoin d'aide; plus besoin d'aide; pas besoin d'aide; sans aide; "
        "ça va aller"
    )),
    (_l("Mesurer ma tension pour le médecin"), _l("ma tension; la tension; mesurer ma tension")),
)


def _phrases(words: object) -> tuple[str, ...]:
    return tuple(phrase.strip() for phrase in str(words).split(";") if phrase.strip())


def every_keyword() -> tuple[str, ...]:
    """Every choice's other words, in the visit's language (for the speech model's check)."""
    entries = (*WORDS.values(), *(words for _label, words in BY_LABEL))
    return tuple(dict.fromkeys(p for words in entries for p in _phrases(words)))


def keywords(name: str, value: str, label: str = "") -> tuple[str, ...]:
    """The other words of the choice that posts ``name=value`` (or, posting nothing, shows
    ``label``), in the visit's language."""
    words = WORDS.get((name, value)) if name else None
    if words is None and not name:
        words = next((w for shown, w in BY_LABEL if str(shown) == label), None)
    return () if words is None else _phrases(words)
