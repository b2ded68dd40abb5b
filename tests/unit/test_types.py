"""mypy in the project's configuration (pyproject.toml, [tool.mypy]) finds no type error.

`make test`, and so CI, runs this file: a type error fails the build as `make lint` does.
The second test checks that the configuration still means what it says, on a small
planted package, so that a weakened section cannot pass the first test unnoticed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "pyproject.toml"
ERROR = re.compile(r"^(\S+?):(\d+): error: .*\[([a-z-]+)\]$", re.MULTILINE)


def mypy(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the installed mypy with the project's configuration, from ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(CONFIG), *args],
        cwd=cwd, capture_output=True, text=True, timeout=240, check=False,
    )


def test_voice_peripherals_and_kiosk_pass_mypy() -> None:
    done = mypy(cwd=ROOT)
    report = done.stdout + done.stderr
    assert done.returncode == 0, report
    # The configured files really were read: every module of the three packages.
    modules = [*ROOT.glob("voice/**/*.py"), *ROOT.glob("peripherals/**/*.py"),
               *ROOT.glob("kiosk/**/*.py")]
    assert f"no issues found in {len(modules)} source files" in report, report


def test_config_is_strict_on_libraries_and_standard_on_kiosk(tmp_path: Path) -> None:
    untyped = 'def double(x):\n    return x * 2\n\n\nN: int = "one"  # type: ignore\n'
    for package in ("voice", "peripherals", "kiosk"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text(untyped)
    (tmp_path / "kiosk" / "wrong.py").write_text('def name() -> int:\n    return "Martin"\n')

    done = mypy("--cache-dir", str(tmp_path / "cache"), "voice", "peripherals", "kiosk",
                cwd=tmp_path)
    # (file, line, error code) of each error, as mypy prints them.
    errors = set(ERROR.findall(done.stdout))

    assert done.returncode == 1, done.stdout + done.stderr
    assert errors == {
        # Strict: every function typed, in both libraries.
        ("voice/__init__.py", "1", "no-untyped-def"),
        ("peripherals/__init__.py", "1", "no-untyped-def"),
        # Everywhere: a silenced error is named.
        ("voice/__init__.py", "5", "ignore-without-code"),
        ("peripherals/__init__.py", "5", "ignore-without-code"),
        ("kiosk/__init__.py", "5", "ignore-without-code"),
        # Standard: kiosk's untyped function passes, its typed ones are checked.
        ("kiosk/wrong.py", "2", "return-value"),
    }, done.stdout
