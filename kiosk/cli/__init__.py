"""The ``kiosk`` command and its groups: serve, demo, database, speech, devices, keys, tokens.

``kiosk.cli:main`` is the console script (pyproject's ``[project.scripts]``).
"""

from kiosk.cli.main import main

__all__ = ["main"]
