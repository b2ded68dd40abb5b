"""Exception tree of the peripherals package.

Every error carries two texts: ``str(error)`` is a technical detail for the
maintainer's log (English, may name ports and codes), ``error.user_message`` is
a short plain-French sentence (FALC style) the app may show or speak as is, or
replace with its own wording keyed on the exception class.

PeripheralError
├── DeviceError                 the device itself is not usable right now
│   ├── DeviceNotConfigured
│   ├── DeviceUnavailable       port missing, busy or unplugged
│   │   └── NoReader            no PC/SC reader, or pcscd is down
│   ├── DeviceTimeout           the device stopped answering
│   ├── DeviceBusy
│   └── ProtocolError           the device answered something we cannot use
├── BloodPressureError
│   ├── MeasurementError(code)  the cuff reported a SunTech error code
│   ├── MeasurementTimeout      the measurement passed its deadline
│   └── MeasurementCancelled
├── CardError
│   ├── NoReader                (also a DeviceUnavailable)
│   ├── NoCard
│   ├── NotAVitaleCard
│   ├── CardRemoved
│   ├── CardUnreadable
│   └── InvalidNir
└── PrinterError
    ├── PrinterOffline
    │   └── CoverOpen
    └── OutOfPaper
"""

from __future__ import annotations

from peripherals.suntech_codes import error_key, error_message


class PeripheralError(Exception):
    """Root of every error raised by :mod:`peripherals`."""

    user_message: str = "L'appareil ne marche pas."

    def __init__(self, detail: str = "", *, user_message: str | None = None) -> None:
        super().__init__(detail or self.user_message)
        if user_message is not None:
            self.user_message = user_message


class DeviceError(PeripheralError):
    """The device cannot be used right now (the manager may reopen it)."""


class DeviceNotConfigured(DeviceError):
    """No URL or reader is set for this device."""

    user_message = "Cet appareil n'est pas installé sur cette borne."


class DeviceUnavailable(DeviceError):
    """The port is missing, held by another program, or was unplugged."""

    user_message = "L'appareil n'est pas branché ou ne marche pas."


class DeviceTimeout(DeviceError):
    """The device did not answer in time."""

    user_message = "L'appareil ne répond pas."


class DeviceBusy(DeviceError):
    """The device said it is busy with something else."""

    user_message = "L'appareil est occupé. Réessayez dans un moment."


class ProtocolError(DeviceError):
    """The device answered, but not something the driver can use."""

    user_message = "L'appareil a donné une réponse incompréhensible."


class BloodPressureError(PeripheralError):
    """A blood-pressure measurement did not give a reading."""

    user_message = "La mesure de tension n'a pas marché."


class MeasurementError(BloodPressureError):
    """The cuff module finished with one of its error codes.

    ``code`` is the SunTech error code, ``key`` a stable English key for it
    (``87`` -> ``"loose_cuff"``) and ``user_message`` a default French sentence.
    """

    def __init__(self, code: int, detail: str = "") -> None:
        self.code = code
        self.key = error_key(code)
        super().__init__(
            detail or f"cuff module error {code} ({self.key})",
            user_message=error_message(code),
        )


class MeasurementTimeout(BloodPressureError):
    """The measurement passed its overall deadline (the module itself still answers)."""

    user_message = "La mesure a pris trop de temps. Elle a été arrêtée."


class MeasurementCancelled(BloodPressureError):
    """The measurement was stopped before it ended (by the person or the app)."""

    user_message = "La mesure a été arrêtée."


class CardError(PeripheralError):
    """The health card could not be read."""

    user_message = "La carte ne peut pas être lue."


class NoReader(CardError, DeviceUnavailable):
    """No PC/SC reader is present, or the pcscd service is down."""

    user_message = "Le lecteur de carte est indisponible."


class NoCard(CardError):
    """The reader is empty."""

    user_message = "Il n'y a pas de carte dans le lecteur."


class NotAVitaleCard(CardError):
    """The card answers, but it is not a Carte Vitale."""

    user_message = "Cette carte n'est pas une carte Vitale."


class CardRemoved(CardError):
    """The card was pulled out while it was being read."""

    user_message = "La carte a été retirée trop tôt. Remettez-la, s'il vous plaît."


class CardUnreadable(CardError):
    """The card answered with data that does not make sense."""

    user_message = "La carte ne peut pas être lue. Remettez-la, s'il vous plaît."


class InvalidNir(CardError):
    """A social security number on the card fails its check key."""

    user_message = "Le numéro de sécurité sociale de la carte n'est pas valide."


class PrinterError(PeripheralError):
    """The ticket could not be printed."""

    user_message = "Le ticket ne peut pas être imprimé."


class PrinterOffline(PrinterError):
    """The printer says it is offline (cover open, error state)."""

    user_message = "L'imprimante ne marche pas pour le moment."


class CoverOpen(PrinterOffline):
    """The printer is offline because its cover is open (DLE EOT 2)."""

    user_message = "Le capot de l'imprimante est ouvert."


class OutOfPaper(PrinterError):
    """The printer says its paper roll is empty."""

    user_message = "L'imprimante n'a plus de papier."
