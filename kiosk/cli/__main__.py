"""``python -m kiosk.cli``: the same as the ``kiosk`` command."""

from kiosk.cli.main import main

main()
