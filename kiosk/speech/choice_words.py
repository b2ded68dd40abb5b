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
    "oubliée; sans carte; j'ai pas ma carte; je n'ai pas ma carte; je ne l'ai pas sur moi; je "
    "l'ai pas sur moi; je l'ai perdue; perdue; je n'en ai pas; j'en ai pas; je l'ai laissée; à la "
    "maison; je ne l'ai plus; je l'ai plus; égarée; je l'ai égarée; je ne la trouve pas; je la "
    "trouve pas; je ne la trouve plus; je la trouve plus; je n'ai pas de carte vitale; pas de "
    "carte vitale; j'ai pas de carte; pas sur moi; elle est à la maison; restée à la maison; chez "
    "moi; oubliée à la maison; volée; on me l'a volée; c'est mon mari qui l'a; mon mari l'a; ma "
    "femme l'a; qui l'a; il l'a; elle l'a; l'a gardée; il l'a gardée; elle l'a gardée; je ne l'ai "
    "pas prise; je l'ai pas prise; périmée; elle est périmée; elle ne marche pas; elle marche "
    "pas; cassée; sans la carte; je ne l'ai jamais eue; je n'en ai jamais eu; elle ne marche "
    "plus; elle marche plus; ne marche plus; j'ai pas pris ma carte; je n'ai pas pris ma carte; "
    "pas pris ma carte; je l'ai laissée dans la voiture; dans la voiture; je ne trouve pas ma "
    "carte; je trouve pas ma carte; je ne trouve plus ma carte; je trouve plus ma carte; pas là; "
    "elle est pas là; elle n'est pas là; pas ici; je l'ai pas là"
)
_HAS_CARD = _l(
    "oui; je l'ai; la voilà; la voici; elle est là; ma carte; la carte; carte vitale; j'ai ma "
    "carte; avec ma carte; avec la carte; je l'ai sur moi; la carte verte; ma carte verte; carte "
    "verte; la vitale; ma vitale; carte de sécu; ma carte de sécu; carte de sécurité sociale; je "
    "l'ai ici; je l'ai avec moi; elle est dans mon sac; dans mon sac; dans mon portefeuille; dans "
    "mon porte-monnaie; je la sors; je vais la chercher; je l'ai bien; oui je l'ai; je l'ai "
    "toujours sur moi; je l'ai apportée; je l'ai prise"
)
_GO = _l(
    "oui; d'accord; on continue; je continue; continuez; on y va; allons-y; allez-y; suivant; "
    "c'est bon; ça me va; on commence; je commence; commencer; c'est parti; je suis prêt; je suis "
    "prête; on peut y aller; on peut commencer; continuer; on avance; avancer; en avant; j'y "
    "vais; prêt; prête; c'est bon pour moi; je veux continuer; on peut continuer; passons; on "
    "passe à la suite; la suite; allez; allez vite; bon allez; vite; yallah; yalla; andiamo; "
    "vamos"
)
_AGAIN = _l(
    "recommencer; on recommence; refaire; refaire la mesure; encore une fois; réessayer; on "
    "réessaie; une autre fois; refaites; refaites-la; refaites-le; on refait; refait; on refait la "
    "mesure; encore; la refaire; recommencez; réessayez; essayer encore; une deuxième fois; "
    "remesurer; mesurer encore; de nouveau; recommençons"
)
_OTHER_DAY = _l(
    "un autre jour; une autre date; un autre moment; pas aujourd'hui; pas maintenant; choisir le "
    "jour; choisir un jour; plus tard; demain; après-demain; la semaine prochaine; lundi; mardi; "
    "mercredi; jeudi; vendredi; samedi; dimanche; ni l'un ni l'autre; aucun des deux; aucune des "
    "deux; pas ceux-là; pas ce jour-là; un autre; une autre; un autre créneau; d'autres dates; "
    "d'autres jours; choisir la date; une autre journée; plus tard dans la semaine"
)

# (form field, value posted) -> the other words of that choice.
WORDS = {
    # The welcome screen.
    ("journey", "booking"): _l(
        "un rendez-vous; un rendez-vous avec le médecin; prendre un rendez-vous; voir un médecin; "
        "voir le médecin; voir un docteur; voir le docteur; consulter; une consultation; réserver; "
        "nouveau rendez-vous; un nouveau rendez-vous; pas de rendez-vous; je n'ai pas de "
        "rendez-vous; j'ai pas de rendez-vous; sans rendez-vous; en prendre un; en prendre; "
        "demander un rendez-vous; fixer un rendez-vous; avoir un rendez-vous; réserver un "
        "rendez-vous; parler à un médecin; parler au docteur; consulter un médecin; voir "
        "quelqu'un; me faire soigner; une téléconsultation; téléconsultation"
    ),
    ("journey", "appointment"): _l(
        "mon rendez-vous; j'ai un rendez-vous; j'ai rendez-vous; déjà un rendez-vous; j'ai déjà "
        "rendez-vous; pris rendez-vous; pris un rendez-vous; j'avais rendez-vous; mon ticket; mon "
        "code; un ticket; un code; on m'a donné rendez-vous; donné rendez-vous; donné un "
        "rendez-vous; on m'a donné un rendez-vous; je viens pour mon rendez-vous; je suis attendu; "
        "je suis attendue; convoqué; convoquée; on m'attend; mon rendez-vous d'aujourd'hui; pris "
        "par téléphone; on m'a pris un rendez-vous; m'a pris rendez-vous; m'a pris un rendez-vous; "
        "déjà réservé; j'ai réservé; c'est pour mon rendez-vous; je viens pour le rendez-vous"
    ),
    ("journey", "vitals"): _l(
        "tension; la tension; ma tension; tension artérielle; pression artérielle; la pression; "
        "prendre ma tension; prendre la tension; vérifier ma tension; tensiomètre; le brassard; "
        "mesurer la tension; mesurer ma tension artérielle; contrôler ma tension; contrôler la "
        "tension; surveiller ma tension; ma tension artérielle; l'hypertension; hypertension; "
        "l'appareil à tension; le tensiomètre; prendre la pression; vérifier la tension"
    ),
    # "Continuer", "Commencer": going on.
    ("go", "go"): _GO,
    ("go", "again"): _AGAIN,
    # The card, or none.
    ("how", "card"): _HAS_CARD,
    ("how", "typed"): _NO_CARD,
    ("choice", "typed"): _NO_CARD,
    ("choice", "read"): _l(
        "oui; lisez ma carte; lire la carte; lisez la carte; c'est fait; je l'ai mise; elle est "
        "mise; elle est dedans; elle y est; voilà; lisez; lisez-la; lire; vous pouvez la lire; "
        "c'est dedans; elle est dans la fente; je l'ai glissée; je l'ai insérée; insérée; je l'ai "
        "mise dedans; c'est mis; ça y est; je l'ai rentrée; elle est rentrée; voilà ma carte; "
        "dans la fente; la carte est dans la fente; est dans la fente; dans le lecteur; elle est "
        "dans le lecteur; la carte est dedans"
    ),
    # The big keys.
    ("action", "erase"): _l(
        "efface; effacez; effacer tout; corriger; supprimer; enlever; effacer; efface ça; effacez "
        "ça; effacez tout; enlevez; enlevez ça; retirez; retirer; supprimez; corrigez; c'est faux; "
        "erreur; une erreur; je me suis trompé; je me suis trompée; la dernière lettre; le dernier "
        "chiffre; gommez"
    ),
    ("action", "ok"): _l(
        "oui; c'est bon; c'est tout; valide; validez; terminé; c'est fini; j'ai fini; voilà; "
        "d'accord; c'est ça; valider; je valide; c'est correct; c'est juste; c'est exact; parfait; "
        "c'est bien; c'est bien écrit; c'est tout bon; fini; ok; okay; confirmer; je confirme; oui "
        "c'est ça"
    ),
    ("action", "skip"): _l(
        "passer; je passe; pas de téléphone; je n'ai pas de téléphone; je n'en ai pas; j'en ai "
        "pas; pas de numéro; je ne le connais pas; je le connais pas; pas de portable; je n'ai pas "
        "de portable; j'ai pas de téléphone; j'ai pas de portable; je préfère pas; je préfère ne "
        "pas; je ne préfère pas; je ne veux pas le donner; je veux pas le donner; pas donner; ne "
        "pas donner; je ne veux pas; je veux pas; sauter; on saute; on passe; plus tard; je ne "
        "connais pas mon numéro; je connais pas mon numéro; pas envie; non merci; aucun"
    ),
    # Why see the doctor.
    ("reason", "fever"): _l(
        "fièvre; de la fièvre; température; de la température; j'ai chaud; frissons; fiévreux; "
        "fiévreuse; j'ai de la fièvre; fébrile; je suis fiévreux; je suis fiévreuse; je suis "
        "chaud; je brûle; j'ai des frissons; je grelotte; la fièvre; coup de chaud; je transpire"
    ),
    ("reason", "cough"): _l(
        "toux; je tousse; tousse; tousser; rhume; enrhumé; enrhumée; le nez qui coule; le nez "
        "bouché; bronchite; mal à la gorge; la gorge; j'éternue; je tousse beaucoup; une "
        "toux; ça me gratte la gorge; la gorge qui gratte; j'ai mal à la gorge; angine; enroué; "
        "enrouée; un rhume; nez qui coule; nez bouché; éternuer; sinusite; le nez; je crache; "
        "bronches; rhinopharyngite; covid; toux sèche; toux grasse; du "
        "mal à respirer; essoufflé; essoufflée"
    ),
    ("reason", "pain"): _l(
        "mal; j'ai mal; douleur; douleurs; ça fait mal; je souffre; mal de tête; la tête; le dos; "
        "le genou; la jambe; le bras; l'épaule; la hanche; les dents; les reins; ça me fait mal; "
        "douloureux; douloureuse; j'ai des douleurs; des douleurs; une douleur; mal au dos; mal "
        "aux genoux; mal au genou; mal à la tête; mal à la jambe; mal au bras; mal à l'épaule; mal "
        "à la hanche; mal au pied; mal aux pieds; mal à la main; mal au cou; migraine; arthrose; "
        "rhumatismes; sciatique; lumbago; je me suis fait mal; je suis tombé; je suis tombée; une "
        "chute; entorse; foulure; crampe; crampes; mal partout; courbatures"
    ),
    ("reason", "stomach"): _l(
        "ventre; mal au ventre; estomac; mal à l'estomac; digestion; diarrhée; constipé; "
        "constipée; vomir; vomi; j'ai vomi; je vomis; envie de vomir; nausée; nausées; "
        "mal au cœur; le "
        "ventre; j'ai mal au ventre; mal au bide; problème de ventre; problèmes de ventre; je "
        "digère mal; digère mal; indigestion; ballonnements; ballonné; brûlures d'estomac; "
        "aigreurs; reflux; vomissements; gastro; gastro-entérite; la diarrhée; j'ai la diarrhée; "
        "constipation; les intestins; intestin; transit; j'ai la nausée"
    ),
    ("reason", "skin"): _l(
        "peau; bouton; boutons; plaques; plaques rouges; rougeur; rougeurs; ça gratte; ça me "
        "gratte; démangeaisons; eczéma; une plaie; une brûlure; la peau; problème de peau; un "
        "bouton; des boutons; des plaques; plaque rouge; ça démange; ça me démange; démangeaison; "
        "irritation; urticaire; psoriasis; grain de beauté; une tache; des taches; une éruption; "
        "allergie; une coupure; brûlé; brûlée; un bleu; une piqûre; piqûre d'insecte; verrue; "
        "mycose; ampoule; qui gratte; qui grattent; ça me grattent; gratter"
    ),
    ("reason", "renewal"): _l(
        "ordonnance; mon ordonnance; renouvellement; renouveler; médicaments; mes médicaments; "
        "traitement; mon traitement; cachets; pilules; je n'ai plus de médicaments; je n'ai plus "
        "de cachets; je n'en ai plus; une ordonnance; nouvelle ordonnance; une nouvelle "
        "ordonnance; refaire l'ordonnance; renouvellement d'ordonnance; mes cachets; mes "
        "comprimés; comprimés; mes médicaments sont finis; plus de médicaments; plus de cachets; "
        "je suis à court; à court de médicaments; mon traitement habituel; mes pilules; mon "
        "insuline; ma pilule; continuer mon traitement"
    ),
    ("reason", "results"): _l(
        "résultats; mes résultats; analyses; mes analyses; prise de sang; examen; examens; radio; "
        "bilan; mes résultats d'analyse; résultats d'analyse; le résultat; mon résultat; les "
        "analyses; une prise de sang; mes examens; une radio; une échographie; échographie; un "
        "scanner; irm; un bilan sanguin; bilan sanguin; le laboratoire; le labo"
    ),
    ("reason", "other"): _l(
        "autre chose; autre; une autre raison; rien de tout ça; ce n'est pas dans la liste; c'est "
        "autre chose; pour autre chose; aucun de ceux-là; pas dans la liste; autre raison; ça n'y "
        "est pas; c'est pas dans la liste; rien de ça"
    ),
    # When, and with whom.
    ("choice", "days"): _OTHER_DAY,
    ("choice", "doctor"): _l(
        "choisir mon médecin; choisir le médecin; choisir mon docteur; choisir le docteur; un "
        "médecin précis; un médecin en particulier; un autre médecin; un autre docteur; mon "
        "médecin; changer de médecin; quel médecin; le docteur; un docteur; un médecin; le "
        "médecin; choisir un médecin; choisir un docteur; mon docteur; un docteur précis; un "
        "certain docteur; avec un autre médecin"
    ),
    ("doctor", "any"): _l(
        "n'importe lequel; n'importe quel docteur; peu importe; peu m'importe; ça m'est égal; ça "
        "n'a pas d'importance; le premier disponible; n'importe qui; pas de préférence; peu "
        "importe lequel; le premier venu; celui qui est libre; celui qui est disponible; le plus "
        "rapide; le premier libre; aucune préférence; qu'importe; un au hasard"
    ),
    # Finding an appointment.
    ("how", "scan"): _l(
        "le ticket; mon ticket; qr code; le qr; le papier; scanner; le code barre; le carré; avec "
        "le ticket; le qr code; le code qr; le petit carré; le carré noir; le code-barres; mon "
        "papier; la feuille; le billet; le reçu; le ticket de rendez-vous; scannez; montrer le "
        "ticket; je montre le ticket"
    ),
    ("how", "code"): _l(
        "le code; un code; j'ai un code; taper le code; le code du rendez-vous; les lettres; tapez "
        "le code; je vais taper le code; les lettres et les chiffres; lettres et chiffres; taper; "
        "je tape; écrire le code; le numéro du rendez-vous"
    ),
    # The second proof (kiosk.appointment.second), and the unit's pause of code entry.
    ("how", "born"): _l(
        "la date de naissance; ma date de naissance; date de naissance; taper la date; je tape la "
        "date; ma date; la date; ma naissance; je suis né; je suis née; pas de carte; je n'ai pas "
        "de carte; sans carte; je n'ai pas ma carte; j'ai pas ma carte"
    ),
    ("how", "help"): _l(
        "aide; de l'aide; à l'aide; appeler; appelez; le pharmacien; la pharmacienne; appeler le "
        "pharmacien; appelez le pharmacien; quelqu'un; je veux de l'aide; aidez-moi; j'ai besoin "
        "d'aide"
    ),
    ("do", "consult"): _l(
        "commencer; la consultation; consultation; voir le médecin; je suis prêt; je suis prête; "
        "je suis là; je suis arrivé; je suis arrivée; c'est l'heure; commencer la consultation; on "
        "commence; je commence; on y va; c'est parti; voir le docteur; parler au médecin; parler "
        "au docteur; je viens voir le médecin; je suis venu; je suis venue; entrer; allons-y; "
        "démarrer"
    ),
    ("do", "move"): _l(
        "changer l'heure; changer l'horaire; changer la date; changer le jour; un autre jour; une "
        "autre heure; déplacer; décaler; reporter; plus tard; modifier; changer le rendez-vous; "
        "changer de jour; changer d'heure; une autre date; un autre moment; déplacez; décalez; "
        "repousser; avancer; plus tôt; modifier l'heure; pas à cette heure-là; cette heure ne me "
        "va pas"
    ),
    ("do", "cancel"): _l(
        "annuler; supprimer; je ne viendrai pas; je ne peux pas venir; je ne pourrai pas venir; "
        "enlever le rendez-vous; annulez; annuler le rendez-vous; annulez-le; supprimez; supprimer "
        "le rendez-vous; je n'en ai plus besoin; j'en ai plus besoin; plus besoin; je ne veux "
        "plus; retirer le rendez-vous; je renonce"
    ),
    # The camera refused, then wanted after all.
    ("answer", "again"): _l("j'ai changé d'avis; finalement oui; oui; d'accord; je veux bien"),
}


# Label of a control that posts nothing -> its other words.
BY_LABEL = (
    (_l("Confirmer"), _l(
        "je confirme; c'est bon; c'est parfait; parfait; c'est correct; c'est tout bon; valider; "
        "je valide; validez; d'accord; oui; confirmez; confirmer; oui c'est tout bon; tout est "
        "bon; tout est juste; c'est juste; c'est exact; on valide; je suis d'accord; ok; okay; "
        "très bien; c'est très bien; ça me va; tout est correct; c'est bien ça"
    )),
    (_l("Passer les questions"), _l(
        "je passe; passer; sauter les questions; pas de questions; passer les questions; sauter; "
        "on saute; je ne veux pas répondre; je veux pas répondre; pas répondre; ne pas répondre; "
        "sans les questions; je préfère ne pas répondre; je réponds pas; je ne réponds pas; pas "
        "envie de répondre; assez de questions; plus de questions"
    )),
    (_l("Continuer sans aide"), _l(
        "je n'ai plus besoin d'aide; plus besoin d'aide; pas besoin d'aide; sans aide; ça va "
        "aller; continuer; je continue; on continue; ça ira; ça va; je me débrouille; je vais me "
        "débrouiller; je me débrouillerai; je peux le faire seul; je peux le faire seule; tout "
        "seul; toute seule; c'est bon; non merci; pas besoin; j'ai plus besoin d'aide; j'ai "
        "compris; j'ai trouvé; pas la peine; non c'est bon; plus besoin; je n'ai plus besoin de "
        "vous; j'ai plus besoin de vous"
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
