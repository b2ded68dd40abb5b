"""A booked appointment at the kiosk: proving it with the code or the card, checking in,
cancelling it, and moving it to another time."""
