"""What the doctor and staff portals share: one layout, sign-in, idle sign-out, error pages.

Each portal is a :class:`~kiosk.portal.base.Portal` (its role, its session key, its words)
installed on its blueprint with :func:`~kiosk.portal.base.install`.
"""

from kiosk.portal.base import Portal, install, see_other

__all__ = ["Portal", "install", "see_other"]
