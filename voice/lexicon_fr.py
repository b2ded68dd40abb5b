"""French: what people say at the kiosk, as vosk's French models spell it.

Written from how elderly people answer a machine: politeness and hesitations,
answers said with their meaning ("c'est bien moi", "pas du tout"), commands in
everyday words ("je n'y arrive pas", "laissez tomber"). Phrases are folded before
matching, so accents and apostrophes do not matter to the matcher.
"""

from __future__ import annotations

from types import MappingProxyType

from voice.lexicon import DayWords, Lexicon, digit_table, letter_table, positions

# The tables are written a few words a line, not one word a line: fmt: off.
# fmt: off

# Letter names as people say them, then as vosk may spell them.
_LETTERS = {
    "A": ("a",), "B": ("bé", "b"), "C": ("cé", "c"), "D": ("dé", "d"), "E": ("e", "eu"),
    "F": ("effe", "èf", "f"), "G": ("gé", "g"), "H": ("hache", "ache", "h"), "I": ("i",),
    "J": ("ji", "j"), "K": ("ka", "k"), "L": ("elle", "èl", "l"), "M": ("emme", "èm", "m"),
    "N": ("enne", "ène", "n"), "O": ("o",), "P": ("pé", "p"), "Q": ("ku", "qu", "q"),
    "R": ("erre", "ère", "r"), "S": ("esse", "èsse", "s"), "T": ("té", "t"), "U": ("u",),
    "V": ("vé", "v"), "W": ("double vé", "w"), "X": ("ixe", "iks", "x"),
    "Y": ("i grec", "y"), "Z": ("zède", "z"),
}

YES = (
    "oui", "ouais", "oui oui", "d'accord", "exactement", "bien sûr", "tout à fait", "c'est ça",
    "absolument", "c'est bien moi", "c'est moi", "oui c'est moi", "exact", "c'est exact",
    "c'est juste", "correct", "c'est correct", "parfait", "très bien", "ok", "okay", "affirmatif",
    "volontiers", "avec plaisir", "je veux bien", "certainement", "évidemment", "bien entendu",
    "sans problème", "pas de problème", "pas de souci", "aucun problème", "ça me va", "ça marche",
    "allez-y", "vas-y", "c'est bien ça", "voilà", "c'est bon", "je crois que oui",
    "je pense que oui", "il me semble", "mais oui", "bien sûr que oui", "en effet", "entendu",
    "je suis d'accord", "oui d'accord", "tout juste", "c'est parfait",
)
NO = (
    "non", "non merci", "pas du tout", "surtout pas", "non non", "non non non", "absolument pas",
    "certainement pas", "pas vraiment", "pas exactement", "ce n'est pas ça", "c'est pas ça",
    "pas ça", "ce n'est pas moi", "c'est pas moi", "pas moi", "c'est faux", "faux",
    "pas d'accord", "je ne suis pas d'accord", "je suis pas d'accord", "je ne veux pas",
    "non je ne veux pas", "jamais", "je ne crois pas", "je crois pas", "je ne pense pas",
    "je pense pas", "pas que je sache", "bien sûr que non", "aucun", "aucune", "rien",
    "rien du tout", "je ne préfère pas", "je préfère pas", "je préfère ne pas", "pas maintenant",
    "pas la peine", "ce n'est pas la peine", "c'est pas la peine", "non finalement",
    "je me suis trompé", "je me suis trompée", "je le garde", "gardez-le", "on le garde",
    "je garde", "le garder", "je préfère le garder", "je n'en ai pas", "j'en ai pas", "pas encore",
    "non ça va", "je ne prends rien", "je ne prends pas", "ce n'est pas", "c'est pas", "pas de",
)

COMMANDS = MappingProxyType(
    {
        "help": (
            "aide", "à l'aide", "au secours", "aidez-moi", "aidez moi", "j'ai besoin d'aide",
            "besoin d'aide", "je n'y arrive pas", "j'y arrive pas", "je n'arrive pas",
            "j'arrive pas", "je ne comprends pas", "je comprends pas", "je ne comprends rien",
            "je comprends rien", "j'y comprends rien", "je n'y comprends rien",
            "appelez le pharmacien", "le pharmacien", "la pharmacienne", "appelez quelqu'un",
            "il y a quelqu'un", "quelqu'un peut m'aider", "venez m'aider", "je suis perdu",
            "je suis perdue", "je ne sais pas quoi faire", "je sais pas quoi faire",
            "je ne sais pas faire", "je ne trouve pas", "je trouve pas", "ça ne marche pas",
            "comment ça marche", "je sais pas comment", "je ne sais pas comment",
            "pouvez-vous m'aider", "vous pouvez m'aider", "m'aider",
            "ça marche pas", "un humain", "une personne", "je ne sais pas comment faire",
        ),
        "repeat": (
            "répéter", "répète", "répétez", "encore", "encore une fois", "vous pouvez répéter",
            "pouvez-vous répéter", "redites", "redites-moi", "redire", "j'ai pas compris",
            "je n'ai pas compris", "pas compris", "j'ai pas entendu", "je n'ai pas entendu",
            "j'ai pas bien entendu", "je n'ai pas bien entendu", "qu'est-ce que vous dites",
            "qu'est-ce que vous avez dit", "vous avez dit quoi", "vous dites quoi",
        ),
        "back": (
            "retour", "revenir", "précédent", "retourner", "revenir en arrière", "en arrière",
            "retour en arrière", "la question d'avant", "la question précédente",
            "l'écran d'avant", "je me suis trompé", "je me suis trompée", "on revient",
        ),
        "cancel": (
            "annuler", "annulez", "annule", "laissez tomber", "laisse tomber", "on laisse tomber",
            "j'arrête", "on arrête", "arrêter", "arrêtez", "arrêtez tout", "on arrête tout",
            "stop", "terminer", "c'est fini", "j'ai fini", "au revoir", "je m'en vais",
            "je veux partir", "je pars", "tant pis", "j'abandonne", "abandonner", "quitter",
        ),
        "louder": (
            "plus fort", "parlez plus fort", "je n'entends pas", "j'entends pas",
            "je n'entends rien", "j'entends rien", "je n'entends pas bien", "j'entends mal",
            "on n'entend rien", "on entend rien", "montez le son", "pas assez fort", "trop bas",
            "plus haut",
        ),
        "quieter": (
            "moins fort", "trop fort", "baissez le son", "baissez", "moins haut", "pas si fort",
            "parlez moins fort",
        ),
        "slower": (
            "moins vite", "plus lentement", "lentement", "parlez moins vite", "trop vite",
            "trop rapide", "plus doucement", "doucement", "pas si vite", "moins rapide",
        ),
        "faster": (
            "plus vite", "plus rapide", "plus rapidement", "accélérez", "trop lent",
            "parlez plus vite",
        ),
    }
)

FRENCH = Lexicon(
    lang="fr",
    yes=YES,
    no=NO,
    commands=COMMANDS,
    alone=MappingProxyType(
        {
            "repeat": (
                "pardon", "comment", "quoi", "hein", "comment ça", "quoi donc", "pardon quoi",
                "plaît-il", "qu'est-ce que",
            ),
        }
    ),
    fillers=(
        "euh", "heu", "hum", "hmm", "mmh", "ben", "bah", "bon", "alors", "donc", "voilà", "ah",
        "oh", "eh", "hein", "merci", "merci beaucoup", "s'il vous plaît", "s'il te plaît",
        "je vous prie", "je voudrais", "je veux", "je prends", "je choisis", "je dis", "c'est",
        "plutôt", "disons", "écoutez", "attendez", "voyons", "pardon", "madame", "monsieur",
        "bonjour", "je suis né", "je suis née",
    ),
    stopwords=(
        "le", "la", "l", "les", "du", "de", "d", "des", "à", "au", "pour", "vers", "numéro",
        "choix", "option", "réponse", "ce", "est", "en", "avec",
    ),
    positions=positions("fr", 12),
    letters=letter_table(_LETTERS),
    digits=digit_table("fr"),
    months=(
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ),
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    negations=("pas", "non", "jamais", "aucun", "aucune", "rien", "ni"),
    paired_negations=MappingProxyType({
        "ne": ("pas", "plus", "jamais", "rien", "aucun", "aucune", "personne", "ni"),
        "n": ("pas", "plus", "jamais", "rien", "aucun", "aucune", "personne", "ni"),
    }),
    contrasts=("mais", "qui"),
    certainty=("sûr", "sûre", "certain", "certaine", "sûrement"),
    questions=(
        "c'est quoi", "quoi", "pourquoi", "combien", "qu'est-ce que c'est", "quelle heure",
    ),
    common=("médecin", "docteur", "rendez-vous", "madame", "monsieur"),
    negated_yes_glue=(
        "je", "j", "l", "le", "la", "les", "me", "m", "moi", "vous", "ça", "veux", "voudrais",
        "suis", "est", "c", "ce", "y", "en", "vraiment", "du", "tout", "on", "il", "elle",
    ),
    soonest=(
        "le plus tôt possible", "le plus tôt", "au plus tôt", "dès que possible", "au plus vite",
        "le plus vite possible", "le plus vite", "n'importe quand", "n'importe quel jour",
        "n'importe quelle heure", "n'importe lequel", "n'importe laquelle", "peu importe",
        "ça m'est égal", "le premier disponible", "la première disponible", "le premier libre",
        "le plus rapide", "tout de suite", "maintenant", "le plus proche", "quand vous voulez",
        "le plus tôt que vous pouvez", "aussi vite que possible", "dès que vous pouvez",
        "quand vous pouvez", "peu m'importe",
    ),
    last=("le dernier", "la dernière", "dernier", "dernière", "le plus tard possible"),
    next_page=(
        "suite", "la suite", "page suivante", "la page suivante", "suivant", "suivante",
        "voir la suite", "les autres", "d'autres", "autres horaires", "d'autres horaires",
        "d'autres heures", "d'autres jours", "plus loin", "la suite de la liste", "plus tard",
    ),
    previous_page=(
        "précédent", "précédente", "page précédente", "la page précédente", "la page d'avant",
        "retour à la page précédente",
    ),
    position_nouns=(
        "personne", "bouton", "ligne", "mois", "jour", "heure", "case", "proposition",
    ),
    days=DayWords(
        offsets=MappingProxyType(
            {
                "aujourd'hui": 0, "demain": 1,
                "après-demain": 2, "après demain": 2, "dans une semaine": 7,
                "dans huit jours": 7, "dans quinze jours": 14,
            }
        ),
        next=("prochain", "prochaine", "qui vient"),
        within=("dans",),
        day_units=("jour", "jours"),
        week_units=("semaine", "semaines"),
        weeks=("la semaine prochaine", "semaine prochaine", "cette semaine", "la semaine d'après"),
    ),
)
# fmt: on
