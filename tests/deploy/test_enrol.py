"""deploy/install.sh --central URL --enrol-code CODE: a unit installed, then enrolled with its
central server by `kiosk enrol`, as the kiosk user. A plain http:// central server is refused
before anything changes (FLEET.md "Transport"), and the enrolment happens once.

`kiosk enrol` comes with the fleet code: the live steps run here with a stand-in `kiosk` that
lists the command (or not) in its --help and writes down how it was called.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from deploy_support import refused

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
URL = "https://central.example.org"
CODE = "ABCD-EFGH"


@pytest.mark.parametrize(
    "url", ["http://example.org", "http://central.example.org:8000", "http://10.0.0.5",
            "http://127.0.0.1.example.org", "central.example.org", "ftp://central.example.org"],
)
def test_a_central_server_that_is_not_https_is_refused_before_any_change(
    installer: Any, tmp_path: Path, url: str
) -> None:
    said = refused(installer, tmp_path, "--central", url, "--enrol-code", CODE)
    assert f"--central {url}: a unit talks to its central server over https:// only" in said
    assert "setting central_url must" in said  # the kiosk's own rule said why


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--central", URL], "--central needs --enrol-code"),
        (["--enrol-code", CODE], "--enrol-code needs --central URL"),
        (["--central", URL, "--enrol-code", "ABCD EFGH;"], "--enrol-code: a code such as"),
    ],
)
def test_the_enrolment_options_go_together(
    installer: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    assert message in refused(installer, tmp_path, *args)


@pytest.mark.parametrize("url", [URL, "http://127.0.0.1:8600"])
def test_a_dry_run_shows_the_enrolment_step(installer: Any, tmp_path: Path, url: str) -> None:
    root = tmp_path / "root"
    root.mkdir()
    done = installer.run(root, "--central", url, "--enrol-code", CODE, "--dry-run")
    assert list(root.iterdir()) == []
    assert f"== Enrolment with {url}\n" in done.stdout
    # Into --root there is no unit to enrol: the step says so, and what it would run.
    assert "   skipped: not the live system. On the unit itself this runs:\n" in done.stdout
    assert f"   kiosk enrol {url} --code {CODE}\n" in done.stdout


FAKE_KIOSK = """#!/bin/sh
if [ "$1" = --help ]; then
    printf 'Usage: kiosk [OPTIONS] COMMAND [ARGS]...\\n\\nCommands:\\n  db  Database schema.\\n'
    for command in {commands}; do
        printf '  %s  Something.\\n' "$command"
    done
    exit 0
fi
echo "$*" >>"{log}"
"""


def enrol_step(
    tmp_path: Path, *, commands: str, dry_run: bool = False, enrolled: bool = False
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """install.sh's enrolment step on the live path, with a stand-in `kiosk` command."""
    log = tmp_path / "calls"
    kiosk = tmp_path / "kiosk"
    kiosk.write_text(FAKE_KIOSK.format(commands=commands or "''", log=log), encoding="ascii")
    kiosk.chmod(0o755)
    credential = tmp_path / "unit.credential"
    if enrolled:
        credential.write_text("{}")
    script = (
        f". '{DEPLOY / 'install.sh'}'\n"
        f"LIVE=1 R= DRY_RUN={int(dry_run)} KIOSK_BIN='{kiosk}' UNIT_CREDENTIAL='{credential}'\n"
        f"CENTRAL_URL='{URL}' ENROL_CODE='{CODE}'\n"
        "as_kiosk() { \"$@\"; }\n"
        "enrol_unit\n"
        'echo "enrolled=${ENROLLED:-0}"\n'
    )
    done = subprocess.run(["sh", "-c", script],
                          env={"KIOSK_INSTALL_NO_MAIN": "1", "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=30)
    calls = log.read_text().splitlines() if log.exists() else []
    return done, calls


def test_the_live_install_enrols_as_the_kiosk_user_once(tmp_path: Path) -> None:
    done, calls = enrol_step(tmp_path, commands="enrol")
    assert done.returncode == 0, done.stderr
    assert calls == [f"enrol {URL} --code {CODE}"]
    assert (f"+ runuser -u kiosk -- env KIOSK_CONFIG=/etc/kiosk/kiosk.toml {tmp_path}/kiosk "
            f"enrol {URL} --code {CODE}\n") in done.stdout
    assert "enrolled=1" in done.stdout  # kiosk-web restarts to talk to its central server


def test_a_live_dry_run_prints_the_enrolment_and_runs_nothing(tmp_path: Path) -> None:
    done, calls = enrol_step(tmp_path, commands="enrol", dry_run=True)
    assert done.returncode == 0, done.stderr
    assert calls == []
    assert f"kiosk enrol {URL} --code {CODE}\n" in done.stdout


def test_an_enrolled_unit_is_not_enrolled_again(tmp_path: Path) -> None:
    done, calls = enrol_step(tmp_path, commands="enrol", enrolled=True)
    assert done.returncode == 0, done.stderr
    assert calls == []
    assert "already enrolled" in done.stdout and "enrolled=0" in done.stdout


def test_a_kiosk_without_the_enrol_command_stops_the_install_in_words(tmp_path: Path) -> None:
    done, calls = enrol_step(tmp_path, commands="")
    assert done.returncode != 0
    assert calls == []
    assert "this version of the kiosk has no 'kiosk enrol' yet" in done.stderr
    dry, _ = enrol_step(tmp_path, commands="", dry_run=True)
    assert dry.returncode == 0
    assert "the real install stops here" in dry.stdout
