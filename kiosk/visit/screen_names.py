"""Every patient screen by name, in words a pharmacist reads at a glance ("Mesure de la tension,
étape 1"), never as a path.

The table also says what a screen is: only its endpoints count as "the screen the visit is on"
(assist.remember_screen). An error page, a spoken file, a QR image or a polled fragment is
never one.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

_BOOK = _l("Prendre rendez-vous")
_HAVE = _l("J'ai un rendez-vous")
_MEASURE = _l("Mesure de la tension")
_CALL = _l("Consultation vidéo")

# endpoint -> (journey, what the screen asks). A "%(number)s" takes the step's number.
SCREENS: dict[str, tuple[Any, Any]] = {
    "welcome.index": (_l("Accueil"), _l("les quatre choix")),
    "welcome.help_called": (_l("Aide"), _l("quelqu'un arrive")),
    "assist.question": (_l("Aide"), _l("accepte l'aide ?")),
    "booking.start": (_BOOK, _l("le prix")),
    "booking.card": (_BOOK, _l("la carte Vitale")),
    "booking.card_who": (_BOOK, _l("qui consulte")),
    "booking.how": (_BOOK, _l("comment dire qui vous êtes")),
    "booking.typed": (_BOOK, _l("nom, date de naissance ou numéro")),
    "booking.is_it_you": (_BOOK, _l("est-ce bien vous ?")),
    "booking.reason": (_BOOK, _l("le motif")),
    "booking.question": (_BOOK, _l("les questions")),
    "booking.when": (_BOOK, _l("l'heure")),
    "booking.days": (_BOOK, _l("le jour")),
    "booking.times": (_BOOK, _l("l'heure dans la journée")),
    "booking.doctor": (_BOOK, _l("le médecin")),
    "booking.check": (_BOOK, _l("vérifier avant de réserver")),
    "booking.done": (_BOOK, _l("rendez-vous pris")),
    "appointment.start": (_HAVE, _l("comment le retrouver")),
    "appointment.card": (_HAVE, _l("la carte Vitale")),
    "appointment.code": (_HAVE, _l("taper le code")),
    "appointment.scan": (_HAVE, _l("montrer le ticket")),
    "appointment.which": (_HAVE, _l("lequel")),
    "appointment.prove": (_HAVE, _l("carte ou date de naissance")),
    "appointment.prove_card": (_HAVE, _l("la carte Vitale, pour la sécurité")),
    "appointment.born": (_HAVE, _l("la date de naissance, pour la sécurité")),
    "appointment.too_many": (_HAVE, _l("trop d'essais")),
    "appointment.paused": (_HAVE, _l("codes en pause")),
    "appointment.view": (_HAVE, _l("le rendez-vous")),
    "appointment.cancel_confirm": (_HAVE, _l("annuler ?")),
    "appointment.result": (_HAVE, _l("c'est fait")),
    "appointment.move_when": (_HAVE, _l("changer l'heure")),
    "appointment.move_days": (_HAVE, _l("changer le jour")),
    "appointment.move_times": (_HAVE, _l("changer l'heure dans la journée")),
    "appointment.move_confirm": (_HAVE, _l("confirmer le changement ?")),
    "vitals.start": (_MEASURE, _l("ce qui va se passer")),
    "vitals.step": (_MEASURE, _l("étape %(number)s")),
    "vitals.rest": (_MEASURE, _l("repos avant la mesure")),
    "vitals.measuring": (_MEASURE, _l("mesure en cours")),
    "vitals.between": (_MEASURE, _l("pause entre deux mesures")),
    "vitals.result": (_MEASURE, _l("le résultat")),
    "vitals.problem": (_MEASURE, _l("un problème")),
    "vitals.stopped": (_MEASURE, _l("mesure arrêtée")),
    "consult.vitals_offer": (_CALL, _l("mesurer la tension avant ?")),
    "consult.consent": (_CALL, _l("accord pour la caméra")),
    "consult.declined": (_CALL, _l("sans caméra")),
    "consult.check": (_CALL, _l("essai de la caméra et du son")),
    "consult.waiting": (_CALL, _l("salle d'attente")),
    "consult.call": (_CALL, _l("en appel")),
    "consult.end": (_CALL, _l("fin de l'appel")),
}


def is_screen(endpoint: str | None) -> bool:
    """Whether ``endpoint`` shows a patient screen (not a file, a fragment or an action)."""
    return endpoint in SCREENS


def name_of(endpoint: str, view_args: Mapping[str, Any] | None = None) -> str:
    """The screen's name in the current language, e.g. "Mesure de la tension, étape 1"."""
    journey, what = SCREENS[endpoint]
    detail = str(what) % {"number": (view_args or {}).get("number", "")}
    return _("%(journey)s, %(what)s", journey=journey, what=detail)


def name_of_path(path: str) -> str:
    """The name of the screen at ``path`` (a GET address); a path that is no screen says so."""
    adapter = current_app.url_map.bind("localhost")
    try:
        endpoint, view_args = adapter.match(path.split("?", 1)[0], method="GET")
    except HTTPException:  # no such address, or a redirect (RequestRedirect is one too)
        endpoint, view_args = "", {}
    if not is_screen(endpoint):
        return _("Écran inconnu")
    return name_of(endpoint, view_args)
