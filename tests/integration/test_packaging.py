"""A unit installed from a wheel must find its templates, static files, translations and
migrations inside the package (DESIGN.md "The shape of the code")."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_wheel_ships_templates_assets_translations_and_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(tmp_path), str(ROOT)],
        check=True, capture_output=True,
    )
    (wheel,) = tmp_path.glob("kiosk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {f"kiosk/templates/{p.relative_to(ROOT / 'templates')}"
                for p in (ROOT / "templates").rglob("*") if p.is_file()}
    expected |= {f"kiosk/static/{p.relative_to(ROOT / 'kiosk/static')}"
                 for p in (ROOT / "kiosk/static").rglob("*") if p.is_file()}
    expected |= {"kiosk/static/vendor/htmx.min.js",
                 "kiosk/translations/en/LC_MESSAGES/messages.mo",
                 "kiosk/migrations/env.py", "kiosk/migrations/script.py.mako",
                 "kiosk/migrations/versions/0001_initial_schema.py"}
    assert len(expected) > 20
    assert expected <= names, f"missing from the wheel: {sorted(expected - names)}"
