"""Every way a measurement can fail, in plain words, with the way forward (issue 5 item 5)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from peripherals.errors import (
    DeviceError,
    MeasurementError,
    MeasurementTimeout,
    PeripheralError,
)


@dataclass(frozen=True)
class Problem:
    """What went wrong (``key``), what to say, what to do, and whether a picture helps."""

    key: str
    sentence: object
    advice: object
    picture: str | None = None
    retry_at: str = "/vitals/rest"


PROBLEMS = {
    "loose_cuff": Problem("loose_cuff", _l("Le brassard est mal serré."),
                          _l("Serrez-le un peu, sur la peau nue, comme sur l'image."), "cuff",
                          "/vitals/step/3"),
    "movement": Problem("movement", _l("Vous avez bougé."),
                        _l("Restez bien immobile et ne parlez pas pendant la mesure.")),
    "weak_signal": Problem("weak_signal", _l("Le signal est trop faible."),
                           _l("Mettez le brassard à la hauteur du cœur."), "cuff",
                           "/vitals/step/3"),
    "unavailable": Problem("unavailable", _l("L'appareil de tension ne répond pas."),
                           _l("Appuyez sur Aide pour appeler le pharmacien.")),
    # Numbers no person has (issue 15 item 11): never a result, measure again.
    "out_of_range": Problem("out_of_range", _l("La mesure n'a pas marché."),
                            _l("On recommence ?")),
    "other": Problem("other", _l("La mesure n'a pas marché."),
                     _l("Vous pouvez réessayer.")),
}


def problem_of(error: PeripheralError) -> Problem:
    """The problem a device error means for the person."""
    if isinstance(error, MeasurementError) and error.key in PROBLEMS:
        return PROBLEMS[error.key]
    if isinstance(error, (DeviceError, MeasurementTimeout)):
        return PROBLEMS["unavailable"]
    return PROBLEMS["other"]
