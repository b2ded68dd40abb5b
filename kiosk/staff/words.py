"""The words of the staff page: every state said in the staff member's language, never a code,
a path or an English message from the machine (those stay in /healthz and the log)."""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from kiosk.core.i18n import LANGUAGE_NAMES

DEVICE_NAMES = {"bp": _l("Tensiomètre"), "card": _l("Lecteur de carte"),
                "printer": _l("Imprimante"), "scanner": _l("Lecteur de QR code")}


def device_words(state: str) -> str:
    """A device's state: "Marche", "Indisponible"..."""
    return {
        "ok": _("Marche"),
        "unavailable": _("Indisponible"),
        "not_configured": _("Pas installé"),
        "not_started": _("Pas encore démarré"),
        "unknown": _("État inconnu"),
    }.get(state, _("État inconnu"))


def appointment_words(status: str) -> str:
    """An appointment's state, as the day's list says it."""
    return {
        "booked": _("Réservé"),
        "checked-in": _("Arrivé à la borne"),
        "arrived": _("En attente"),
        "fulfilled": _("Terminé"),
        "noshow": _("Absent"),
        "cancelled": _("Annulé"),
    }.get(status, _("État inconnu"))


def age_words(then: datetime, now: datetime) -> str:
    """How long ago: "à l'instant", "il y a 3 min"."""
    minutes = max(int((now - then).total_seconds() // 60), 0)
    if minutes < 1:
        return _("à l'instant")
    return _("il y a %(n)s min", n=minutes)


def voice_out_words(state: str) -> str:
    """The kiosk's voice, from a real render served back (speech.rendering.speech_out_state)."""
    return {
        "ok": _("Marche"),
        "broken": _("En panne : la borne ne parle pas. Elle marche au toucher."),
        "disabled": _("Arrêtée dans les réglages"),
        "not_started": _("Pas encore démarrée"),
    }.get(state, _("État inconnu"))


def voice_in_words(state: str, touch_only: dict[str, bool]) -> str:
    """Speech recognition: "ok", "partial" or "touch_only", and for which languages a model is
    missing (False) or installed but unusable (True)."""
    if state == "ok":
        return _("Modèles de voix installés")
    missing = [code for code, installed in touch_only.items() if not installed]
    broken = [code for code, installed in touch_only.items() if installed]
    sentences = []
    if state == "partial":
        sentences.append(_("Modèle de voix installé pour une partie des langues seulement."))
    else:
        sentences.append(_("La borne marche seulement au toucher."))
    if missing:
        sentences.append(_("Pas de modèle de voix installé pour : %(languages)s.",
                           languages=_names(missing)))
    if broken:
        sentences.append(_("Le modèle de voix ne marche pas pour : %(languages)s.",
                           languages=_names(broken)))
    return " ".join(sentences)


def _names(codes: list[str]) -> str:
    return ", ".join(LANGUAGE_NAMES.get(code, code) for code in codes)


def model_command(touch_only: dict[str, bool]) -> str:
    """The command that installs what is missing, e.g. ``kiosk models install fr``."""
    languages = [code for code in current_app.config["KIOSK"]["languages"] if code in touch_only]
    return "kiosk models install " + " ".join(languages) if languages else ""
