"""French: what people say at the kiosk, as vosk's French models spell it.

Written from how elderly people answer a machine: politeness and hesitations,
answers said with their meaning ("c'est bien moi", "pas du tout"), commands in
everyday words ("je n'y arrive pas", "laissez tomber"). Phrases are folded before
matching, so accents and apostrophes do not matter to the matcher.
"""

from __future__ import annotations

from types import MappingProxyType

from voice.lexicon import NATO, DayWords, Lexicon, alphabet, digit_table, letter_table, positions

# The tables are written a few words a line, not one word a line: fmt: off.
# fmt: off

# Letter names as people say them, then as vosk may spell them.
_LETTERS = {
    "A": ("a",), "B": ("bé", "b"), "C": ("cé", "c"), "D": ("dé", "d"), "E": ("e", "eu"),
    "F": ("effe", "èf", "f"), "G": ("gé", "g"), "H": ("hache", "ache", "h"), "I": ("i",),
    "J": ("ji", "j"), "K": ("ka", "k"), "L": ("elle", "èl", "l"), "M": ("emme", "èm", "m"),
    "N": ("enne", "ène", "n"), "O": ("o",), "P": ("pé", "p"), "Q": ("ku", "qu", "q"),
    "R": ("erre", "ère", "r"), "S": ("esse", "èsse", "s"), "T": ("té", "t"), "U": ("u",),
    "V": ("vé", "v"), "W": ("double vé", "double v", "w"), "X": ("ixe", "iks", "x"),
    "Y": ("i grec", "y"), "Z": ("zède", "z"),
}

# The French spelling alphabet ("A comme Anatole"), and first names people often use for it.
_ALPHABET = {
    "A": ("Anatole", "André"), "B": ("Berthe", "Bernard"), "C": ("Célestin", "Charles"),
    "D": ("Désiré", "Denis"), "E": ("Eugène", "Émile"), "F": ("François",),
    "G": ("Gaston", "Georges"), "H": ("Henri",), "I": ("Irma",), "J": ("Joseph", "Jean"),
    "K": ("Kléber",), "L": ("Louis",), "M": ("Marcel", "Marie"), "N": ("Nicolas",),
    "O": ("Oscar",), "P": ("Pierre", "Paul"), "Q": ("Quintal",), "R": ("Raoul", "René"),
    "S": ("Suzanne",), "T": ("Thérèse",), "U": ("Ursule",), "V": ("Victor",),
    "W": ("William",), "X": ("Xavier",), "Y": ("Yvonne",), "Z": ("Zoé",),
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
    "j'accepte", "accepter", "ça me convient", "ça m'arrange", "ça m'irait", "ça me plaît",
    "c'est très bien", "bien volontiers", "carrément", "naturellement", "c'est d'accord",
    "bon d'accord", "ok d'accord", "je confirme", "ouaip", "ça roule", "faites", "faites-le",
    "vous pouvez y aller", "allons-y", "on y va", "pas de soucis",
    "il n'y a pas de souci", "y a pas de souci", "aucun souci", "c'est moi-même", "moi-même",
    # "si" said twice or stressed (alone, see ``alone_yes``); yes in the other languages
    # people at the kiosk mix with French (English, Italian, Portuguese, Arabic).
    "si si", "si si si", "mais si", "ah si", "oh si", "que si", "d'acc", "yes", "sim", "sim sim",
    "va bene", "naam", "aywa", "wakha",
    # Consent said by what does not bother the person.
    "ça me dérange pas", "ça ne me dérange pas", "ça me gêne pas", "ça ne me gêne pas",
    "je n'y vois pas d'inconvénient", "j'y vois pas d'inconvénient",
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
    "nan", "pas besoin", "je refuse", "hors de question", "pas question", "c'est non", "négatif",
    "jamais de la vie", "aucunement", "pas ce que j'ai dit", "je n'ai pas dit ça",
    "j'ai pas dit ça", "vous vous trompez", "c'est une erreur", "erreur", "ce n'est pas juste",
    "c'est pas juste", "non merci ça ira", "sans façon", "je ne veux pas",
    "je veux pas", "je n'en veux pas", "j'en veux pas", "pas pour moi",
    # Said short ("moi pas fièvre"), and "non, c'est bon" (no thank you).
    "moi pas", "moi non", "non moi", "non c'est bon", "non merci c'est bon", "non ça va aller",
    "non ça ira", "no", "no no", "não", "nein",
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
            "pharmacien", "pharmacienne", "je cherche le pharmacien", "je cherche quelqu'un",
            "j'ai besoin de quelqu'un", "il me faut quelqu'un", "appelez", "appeler quelqu'un",
            "je m'y perds", "je n'y vois rien",
            "je ne comprends plus", "je comprends plus", "je n'y arrive plus", "j'y arrive plus",
            "quelqu'un", "je ne sais pas comment", "comment on fait", "comment je fais",
            "moi pas comprendre", "pas comprendre", "elle rentre pas", "elle ne rentre pas",
            "ça rentre pas", "ça ne rentre pas", "je sais pas faire", "je ne sais pas utiliser",
            "je sais pas utiliser",
        ),
        "repeat": (
            "répéter", "répète", "répétez", "encore une fois", "vous pouvez répéter",
            "pouvez-vous répéter", "redites", "redites-moi", "redire", "j'ai pas compris",
            "je n'ai pas compris", "pas compris", "j'ai pas entendu", "je n'ai pas entendu",
            "j'ai pas bien entendu", "je n'ai pas bien entendu", "qu'est-ce que vous dites",
            "qu'est-ce que vous avez dit", "vous avez dit quoi", "vous dites quoi",
            "relire", "relisez", "relis", "relisez-moi", "redis", "redis-moi", "répétez-moi",
            "une nouvelle fois", "de nouveau", "reposez la question", "c'était quoi",
            "j'ai pas saisi", "je n'ai pas saisi", "j'ai mal entendu", "je n'ai pas tout compris",
            "j'ai pas tout compris", "redemander", "recommencez la question", "répétition",
        ),
        "back": (
            "retour", "revenir", "précédent", "retourner", "revenir en arrière", "en arrière",
            "retour en arrière", "la question d'avant", "la question précédente",
            "l'écran d'avant", "je me suis trompé", "je me suis trompée", "on revient",
            "revenez", "retournez", "reculer", "je veux revenir", "l'écran précédent",
            "retour arrière", "revenir au début", "on recule",
        ),
        "cancel": (
            "annuler", "annulez", "annule", "laissez tomber", "laisse tomber", "on laisse tomber",
            "j'arrête", "on arrête", "arrêter", "arrêtez", "arrêtez tout", "on arrête tout",
            "stop", "terminer", "c'est fini", "j'ai fini", "au revoir", "je m'en vais",
            "je veux partir", "je pars", "tant pis", "j'abandonne", "abandonner", "quitter",
            "je rentre chez moi", "je reviendrai", "je reviendrai plus tard", "on oublie",
            "oubliez", "oubliez ça", "laissez", "ça suffit", "je m'arrête", "j'en ai assez",
            "je veux arrêter", "arrêtons",
        ),
        "louder": (
            "plus fort", "parlez plus fort", "je n'entends pas", "j'entends pas",
            "je n'entends rien", "j'entends rien", "je n'entends pas bien", "j'entends mal",
            "on n'entend rien", "on entend rien", "montez le son", "pas assez fort", "trop bas",
            "plus haut", "je suis sourd", "je suis sourde", "augmentez le son", "monter le son",
            "parlez plus haut", "on n'entend pas", "je n'entends pas bien", "j'entends pas bien",
            "c'est trop bas", "plus fort s'il vous plaît",
        ),
        "quieter": (
            "moins fort", "trop fort", "baissez le son", "baissez", "moins haut", "pas si fort",
            "parlez moins fort", "pas trop fort", "vous criez", "ne criez pas", "c'est trop fort",
            "mal aux oreilles", "baisser le son", "moins de bruit",
        ),
        "slower": (
            "moins vite", "plus lentement", "lentement", "parlez moins vite", "trop vite",
            "trop rapide", "plus doucement", "doucement", "pas si vite", "moins rapide",
            "pas trop vite", "ralentissez", "ralentir", "vous parlez trop vite", "allez moins vite",
            "plus lent", "moins rapidement",
        ),
        "faster": (
            "plus vite", "plus rapide", "plus rapidement", "accélérez", "trop lent",
            "parlez plus vite", "trop lentement", "pas si lentement", "dépêchez-vous", "accélérer",
            "plus vite s'il vous plaît",
        ),
    }
)


def _third_persons() -> dict[str, str]:
    """ "elle a" -> "j'ai", "il ne veut" -> "je ne veux": a carer speaking of the person."""
    verbs = {
        "a": "j'ai", "n'a": "je n'ai", "voudrait": "je voudrais", "veut": "je veux",
        "ne veut": "je ne veux", "peut": "je peux", "ne peut": "je ne peux", "vient": "je viens",
        "prend": "je prends", "ne prend": "je ne prends", "sait": "je sais",
        "ne sait": "je ne sais", "comprend": "je comprends", "ne comprend": "je ne comprends",
        "n'arrive": "je n'arrive", "n'y arrive": "je n'y arrive", "entend": "j'entends",
        "n'entend": "je n'entends", "préfère": "je préfère", "aimerait": "j'aimerais",
        "tousse": "je tousse", "se sent": "je me sens", "est d'accord": "je suis d'accord",
        "n'est pas d'accord": "je ne suis pas d'accord", "est pas d'accord": "je suis pas d'accord",
        "est malade": "je suis malade", "est perdue": "je suis perdue",
        "est perdu": "je suis perdu", "est enrhumée": "je suis enrhumée",
        "est enrhumé": "je suis enrhumé",
    }
    out = {f"{who} {verb}": own for who in ("elle", "il") for verb, own in verbs.items()}
    out.update({"elle est née": "je suis née", "il est né": "je suis né",
                "elle est prête": "je suis prête", "il est prêt": "je suis prêt"})
    return out


FRENCH = Lexicon(
    lang="fr",
    yes=YES,
    no=NO,
    commands=COMMANDS,
    alone=MappingProxyType(
        {
            "repeat": (
                # "encore" inside a sentence is no request ("il m'en reste encore").
                "pardon", "comment", "quoi", "hein", "comment ça", "quoi donc", "pardon quoi",
                "plaît-il", "qu'est-ce que", "encore", "hein quoi", "quoi quoi", "hein comment",
            ),
        }
    ),
    fillers=(
        "euh", "heu", "hum", "hmm", "mmh", "ben", "bah", "bon", "alors", "donc", "voilà", "ah",
        "oh", "eh", "hein", "merci", "merci beaucoup", "s'il vous plaît", "s'il te plaît",
        "je vous prie", "je voudrais", "je veux", "je prends", "je choisis", "je dis", "c'est",
        "plutôt", "disons", "écoutez", "attendez", "voyons", "pardon", "madame", "monsieur",
        "bonjour", "je suis né", "je suis née", "je suis de", "je suis du", "de préférence",
        "si possible", "si c'est possible", "si vous voulez", "si ça ne vous dérange pas",
        "vous savez", "tenez", "ma foi", "en fait", "quand même", "ma petite dame",
        "mon petit monsieur", "mademoiselle", "au revoir madame", "bonsoir", "ouf", "dites",
        "je vous en prie", "s'il vous plait", "excusez-moi", "je préfère", "j'aimerais",
        "j'aimerais bien", "je voudrais bien", "il me faudrait", "il me faut",
        "mon numéro c'est", "mon numéro", "mon numéro de téléphone", "le numéro c'est",
        "mon année c'est", "mon portable c'est", "mon téléphone c'est",
        # Politeness and blessings in the other languages people mix with French.
        "inchallah", "inch'allah", "wallah", "walla", "hamdoulah", "hamdoullah",
        "el hamdoulillah", "bismillah", "grazie", "grazie mille", "obrigado", "obrigada",
        "prego", "signora", "signore", "senhora", "senhor", "allora", "bueno", "habibi",
    ),
    stopwords=(
        "le", "la", "l", "les", "du", "de", "d", "des", "à", "au", "pour", "vers", "numéro",
        "choix", "option", "réponse", "ce", "est", "en", "avec",
    ),
    positions=positions("fr", 12),
    letters=letter_table(_LETTERS),
    digits=digit_table("fr"),
    spelling_links=("comme",),
    spelling_alphabet=alphabet(_ALPHABET, NATO),
    months=(
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ),
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    negations=("pas", "non", "nan", "jamais", "aucun", "aucune", "rien", "ni", "sans"),
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
    function_words=(
        "plus", "moins", "très", "bien", "tout", "toute", "tous", "toutes", "possible", "sans",
        "mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "votre", "nos",
        "vos", "leur", "leurs", "un", "une", "je", "tu", "il", "elle", "on", "nous", "vous",
        "ils", "elles", "ai", "as", "avons", "avez", "ont", "suis", "es", "sommes", "êtes",
        "sont", "heure", "heures", "minutes", "et", "ou", "que", "qui", "quoi", "ne", "pas",
        "oui", "non", "cet", "cette", "ces", "me", "te", "se", "lui", "dans", "sur", "sous",
        "par", "chez", "fait", "faire", "aujourd'hui", "demain", "après", "avant", "matin",
        "soir", "midi", "ça", "cela", "mais", "donc", "car", "comme", "quand",
        # Verbs that only say can or must: "aujourd'hui, je peux pas" says no to today.
        "peux", "peut", "pourrai", "pourrais", "pourra", "dois", "doit",
    ),
    speaker=("je", "j"),
    subjects=("je", "j", "tu", "il", "elle", "on", "nous", "ils", "elles", "ça", "cela",
              "c'est", "ce n'est", "ce ne"),
    objects=("l", "le", "la", "les", "en", "lui", "leur", "y"),
    pronouns=("moi", "toi", "lui", "elle", "eux", "elles", "nous", "vous", "ça", "cela", "celui",
              "celle"),
    imperative_endings=("ez",),
    not_imperatives=("assez", "chez", "nez"),
    privatives=("perdu", "perdue", "oublié", "oubliée", "égaré", "égarée", "laissé", "laissée"),
    unsure=(
        "je sais pas", "je ne sais pas", "sais pas", "j'en sais rien", "je n'en sais rien",
        "aucune idée", "je sais plus", "je ne sais plus", "je me souviens plus",
        "je ne me souviens plus", "je me souviens pas", "je ne me souviens pas",
        "je me rappelle plus", "je ne me rappelle plus", "je me rappelle pas",
        "je ne me rappelle pas", "je m'en souviens plus", "je ne m'en souviens plus",
        "je ne sais pas trop", "je sais pas trop", "j'hésite", "je ne saurais pas dire",
        "je saurais pas dire", "qui sait", "va savoir", "je ne suis pas sûr", "je suis pas sûr",
        "je ne suis pas sûre", "je suis pas sûre", "pas sûr", "pas sûre", "pas certain",
        "pas certaine", "je ne sais", "aucun souvenir", "pas savoir", "moi pas savoir",
        "moi savoir pas",
    ),
    infinitive_endings=("er", "ir", "re", "oir"),
    doubts=("peut-être", "peut être", "mouais", "bof", "éventuellement"),
    hedges=(
        "je crois", "je pense", "il me semble", "enfin", "probablement", "sans doute",
        "je suppose", "normalement", "a priori", "j'imagine",
    ),
    alternatives=("ou", "soit"),
    alone_yes=("si",),
    indefinites=("un", "une"),
    asking=("qu'est-ce", "qu'est ce", "quoi", "comment", "hein"),
    saying=("dit", "dites", "dis", "disait", "dire", "répète", "répétez", "raconte",
            "demande", "demandé", "lire", "lisez", "relisez"),
    again=("encore", "de nouveau"),
    someone_else=("tu", "ton", "ta", "tes", "t"),
    third_persons=MappingProxyType(_third_persons()),
    possessives=MappingProxyType({"sa": "ma", "son": "mon", "ses": "mes"}),
    others_have=("l", "le", "la", "les", "y", "en"),
    corrections=(
        "non", "nan", "non non", "ah non", "oh non", "euh non", "mais non", "non pardon",
        "pardon", "plutôt", "ou plutôt", "non plutôt", "enfin", "enfin non", "je veux dire",
        "je voulais dire", "attendez", "attends", "non attendez", "en fait", "finalement",
        "excusez-moi", "je me trompe", "je me suis trompé", "je me suis trompée", "disons",
        "non non non",
    ),
    vague=(
        "mal", "problème", "problèmes", "souci", "soucis", "pharmacien", "pharmacienne",
        "le pharmacien", "la pharmacienne", "quelqu'un", "une personne", "un humain",
    ),
    surface=("sur",),
    body_parts=(
        "tête", "visage", "dos", "genou", "genoux", "jambe", "jambes", "bras", "épaule",
        "épaules", "hanche", "hanches", "pied", "pieds", "main", "mains", "cou", "nuque", "corps",
        "ventre", "poitrine", "figure", "peau",
    ),
    doctor_titles=("docteur", "docteure", "doctoresse", "dr"),
    titles=MappingProxyType({
        "monsieur": "M", "madame": "F", "mademoiselle": "F", "mme": "F", "mlle": "F",
        "docteure": "F", "doctoresse": "F",
    }),
    sexes=MappingProxyType({
        "F": ("une femme", "la femme", "une dame", "la dame", "doctoresse", "une docteure",
              "la docteure", "femme médecin", "médecin femme", "docteur femme", "une praticienne",
              "féminin", "une femme médecin", "un médecin femme", "une doctoresse",
              "la doctoresse"),
        "M": ("un homme", "l'homme", "un monsieur", "le monsieur", "médecin homme",
              "docteur homme", "masculin", "un médecin homme", "un docteur homme"),
    }),
    negated_yes_glue=(
        "je", "j", "l", "le", "la", "les", "me", "m", "moi", "vous", "ça", "veux", "voudrais",
        "suis", "est", "c", "ce", "y", "en", "vraiment", "du", "tout", "on", "il", "elle",
        "ai", "a", "as", "avez", "avons", "ont", "eu",
    ),
    soonest=(
        "le plus tôt possible", "le plus tôt", "au plus tôt", "dès que possible", "au plus vite",
        "le plus vite possible", "le plus vite", "n'importe quand", "n'importe quel jour",
        "n'importe quelle heure", "n'importe lequel", "n'importe laquelle", "peu importe",
        "ça m'est égal", "le premier disponible", "la première disponible", "le premier libre",
        "le plus rapide", "tout de suite", "maintenant", "le plus proche", "quand vous voulez",
        "le plus tôt que vous pouvez", "aussi vite que possible", "dès que vous pouvez",
        "quand vous pouvez", "peu m'importe", "le plus tôt sera le mieux", "au plus vite",
        "sans attendre", "le premier possible", "la première possible", "le plus près",
        "le plus tôt qu'il y a", "à la première heure", "le premier qui vient",
    ),
    last=("le dernier", "la dernière", "dernier", "dernière", "le plus tard possible"),
    next_page=(
        "suite", "la suite", "page suivante", "la page suivante", "suivant", "suivante",
        "voir la suite", "les autres", "d'autres", "autres horaires", "d'autres horaires",
        "d'autres heures", "d'autres jours", "plus loin", "la suite de la liste", "plus tard",
        "les suivants", "les suivantes", "la page d'après", "les heures d'après",
        "continuer la liste", "voir plus", "encore d'autres", "il y en a d'autres",
        "le reste", "montrez-moi le reste", "voir le reste", "la suite de la liste",
    ),
    previous_page=(
        "précédent", "précédente", "page précédente", "la page précédente", "la page d'avant",
        "retour à la page précédente", "d'avant", "avant", "les heures d'avant",
        "plus tôt", "les précédents", "les précédentes",
        "revenir à la page d'avant", "la page avant",
    ),
    position_nouns=(
        "personne", "bouton", "ligne", "mois", "jour", "heure", "case", "proposition",
    ),
    days=DayWords(
        offsets=MappingProxyType(
            {
                "aujourd'hui": 0, "demain": 1,
                "après-demain": 2, "après demain": 2, "dans une semaine": 7,
                "dans huit jours": 7, "dans quinze jours": 14, "cet après-midi": 0,
                "cet après midi": 0, "aujourd'hui même": 0,
            }
        ),
        next=("prochain", "prochaine", "qui vient"),
        within=("dans",),
        day_units=("jour", "jours"),
        week_units=("semaine", "semaines"),
        weeks=("la semaine prochaine", "semaine prochaine", "cette semaine", "la semaine d'après"),
        later_by=MappingProxyType({"en huit": 7, "en quinze": 14}),
        articles=("le", "l", "ce"),
        this=("ce", "cet"),
        parts=MappingProxyType({
            "matin": (0, 12), "matinée": (0, 12), "après-midi": (12, 18), "après midi": (12, 18),
            "aprèm": (12, 18), "soir": (17, 24), "soirée": (17, 24), "début d'après-midi": (12, 15),
            "fin de matinée": (10, 12), "fin d'après-midi": (15, 19), "tôt le matin": (0, 10),
            "de bonne heure": (0, 10),
        }),
    ),
)

# fmt: on
