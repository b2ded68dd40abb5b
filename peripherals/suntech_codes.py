"""Meaning of the SunTech Advantage acknowledgement and error codes.

Error codes are decimal as in DEVICES.md §1 (to be checked against the vendor
manual when hardware is at hand). Each one has a stable key the app can use to
pick its own sentence, and a plain-French default sentence.
"""

from __future__ import annotations

import enum


class Ack(enum.Enum):
    """Acknowledgement codes the module sends in a 4-byte ``3E 04 <code> ck`` frame."""

    RECEIVED = ord("O")
    COMPLETE = ord("K")
    ABORTED = ord("A")
    BUSY = ord("B")
    ERROR = ord("E")
    UNRECOGNISED = ord("D")
    SLEEPING = ord("S")
    TIMEOUT = ord("T")


# code -> (stable key, plain-French sentence for the person at the kiosk)
ERROR_CODES: dict[int, tuple[str, str]] = {
    1: ("weak_signal", "Le signal est trop faible. Gardez le bras immobile et recommencez."),
    2: ("movement", "Vous avez bougé pendant la mesure. Restez immobile et recommencez."),
    3: ("out_of_range", "La mesure est hors des limites de l'appareil."),
    4: ("measurement_timeout", "La mesure a pris trop de temps."),
    85: ("pneumatic_blockage", "Le tuyau du brassard est plié ou bouché."),
    86: ("stopped_by_user", "La mesure a été arrêtée."),
    87: ("loose_cuff", "Le brassard est mal serré."),
    88: ("safety_timeout", "La mesure a été arrêtée par sécurité. Elle était trop longue."),
    89: ("cuff_overpressure", "Le brassard a trop serré. Il s'est dégonflé."),
    90: ("hardware_fault", "L'appareil de tension a un problème."),
    91: ("safety_override", "L'appareil s'est arrêté par sécurité."),
    97: ("transducer_out_of_range", "L'appareil de tension a un problème de capteur."),
    99: ("calibration_error", "L'appareil de tension doit être réglé par un technicien."),
}

UNKNOWN_ERROR_KEY = "unknown_error"
UNKNOWN_ERROR_MESSAGE = "La mesure n'a pas marché."


def error_key(code: int) -> str:
    """Return the stable key for a SunTech error code (``"unknown_error"`` if not listed)."""
    return ERROR_CODES.get(code, (UNKNOWN_ERROR_KEY, ""))[0]


def error_message(code: int) -> str:
    """Return the default plain-French sentence for a SunTech error code."""
    return ERROR_CODES.get(code, ("", UNKNOWN_ERROR_MESSAGE))[1]
