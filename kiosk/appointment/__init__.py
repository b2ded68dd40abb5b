"""A booked appointment at the kiosk: proving it with the code, the QR code or the card,
checking in, cancelling it, and moving it to another time."""

from kiosk.appointment import move, second, views  # noqa: F401  (they register the routes)
from kiosk.appointment.blueprint import bp

__all__ = ["bp"]
