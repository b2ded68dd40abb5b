"""deploy/render_config.py kiosk-toml: /etc/kiosk/kiosk.toml always lists every setting."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.config import SETTINGS, load_config

REPO = Path(__file__).resolve().parents[2]
RENDER = REPO / "deploy" / "render_config.py"


def render(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(RENDER), "kiosk-toml", "--source", str(REPO), *args],
        capture_output=True, text=True, timeout=30,
    )


def test_every_setting_is_there_once_commented_with_its_default() -> None:
    done = render()
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert tomllib.loads(text) == {"kiosk": {}}
    for setting in SETTINGS:
        lines = re.findall(rf"^(?:# )?{setting.name} = .*$", text, flags=re.M)
        assert len(lines) == 1, setting.name
        assert f"# {setting.help}\n" in text
    # Without the "#", every line gives back exactly the defaults.
    uncommented = re.sub(r"^# (\w+ = )", r"\1", text, flags=re.M)
    values = tomllib.loads(uncommented)["kiosk"]
    assert values == {setting.name: setting.default for setting in SETTINGS}


def test_chosen_settings_are_active_lines_read_by_their_own_parser(tmp_path: Path) -> None:
    done = render(
        "--set", "data_dir=/var/lib/kiosk", "--set", "languages=fr, en, ar",
        "--set", "speech_enabled=no", "--set", "threads=8",
        "--note", "bind=always 127.0.0.1:8000",
    )
    assert done.returncode == 0, done.stderr
    assert "# Note: always 127.0.0.1:8000\n" in done.stdout
    config = tmp_path / "kiosk.toml"
    config.write_text(done.stdout, encoding="utf-8")
    loaded = load_config(config_file=config, environ={})
    assert (loaded["data_dir"], loaded["languages"], loaded["speech_enabled"], loaded["threads"]) \
        == ("/var/lib/kiosk", ["fr", "en", "ar"], False, 8)
    assert loaded["site_name"] == "Borne de démonstration"  # accents survive, default kept


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--set", "workers=0"], "workers must be at least 1"),
        (["--set", "colour=blue"], "unknown setting 'colour'"),
        (["--set", "threads=many"], "setting threads"),
        (["--set", "threads"], "NAME=VALUE"),
        (["--note", "colour=blue"], "unknown setting 'colour'"),
        (["--set", "threads=2", "--set", "threads=3"], "threads given twice"),
    ],
)
def test_a_bad_setting_is_refused_by_name(args: list[str], message: str) -> None:
    done = render(*args)
    assert done.returncode != 0
    assert message in done.stderr
