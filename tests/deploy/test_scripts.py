"""The shell scripts of deploy/: shellcheck, the health wait, and the install's speech step."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
WAIT = DEPLOY / "kiosk-wait-healthy.sh"
# Scripts of the install: held to every shellcheck level. The others: warnings and errors.
STRICT = {"install.sh", "kiosk-wait-healthy.sh"}


def shell_scripts() -> list[Path]:
    """Every file in deploy/ that is a shell script, by its name or its first line."""
    found = []
    for path in sorted(DEPLOY.rglob("*")):
        if not path.is_file():
            continue
        with path.open("rb") as handle:
            first = handle.readline()
        if path.suffix == ".sh" or (first.startswith(b"#!") and first.rstrip().endswith(b"sh")):
            found.append(path)
    return found


def test_the_install_scripts_are_found() -> None:
    assert {path.name for path in shell_scripts()} >= STRICT | {"dev-deps.sh"}


@pytest.mark.parametrize("script", shell_scripts(), ids=lambda path: path.name)
def test_shellcheck(script: Path) -> None:
    if shutil.which("shellcheck") is None:
        pytest.fail("shellcheck is missing: install Debian's shellcheck (deploy/dev-deps.sh)")
    severity = "style" if script.name in STRICT else "warning"
    done = subprocess.run(
        ["shellcheck", f"--severity={severity}", "--external-sources", script.name],
        cwd=script.parent, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@pytest.fixture
def health_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 whose /healthz answers the status the test asks for."""
    handler = type("Handler", (_Health,), {"status": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/healthz"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.mark.parametrize("health_server", [200], indirect=True)
def test_the_wait_ends_as_soon_as_the_kiosk_is_healthy(health_server: str) -> None:
    started = time.monotonic()
    done = subprocess.run(["sh", str(WAIT), health_server, "30"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("health_server", [503], indirect=True)
def test_the_wait_gives_up_after_its_bound(health_server: str) -> None:
    done = subprocess.run(["sh", str(WAIT), health_server, "1"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 1
    assert "no healthy answer" in done.stderr


def test_the_wait_refuses_a_bound_that_is_no_number() -> None:
    done = subprocess.run(["sh", str(WAIT), "http://127.0.0.1:9/healthz", "soon"],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 2


FAKE_KIOSK = """#!/bin/sh
if [ "$1" = --help ]; then
    printf 'Usage: kiosk [OPTIONS] COMMAND [ARGS]...\\n\\nOptions:\\n  --help  Show this.\\n\\n'
    printf 'Commands:\\n  db       Database schema.\\n  run      Serve the kiosk.\\n'
    for command in {commands}; do
        printf '  %s  Something.\\n' "$command"
    done
    exit 0
fi
echo "$*" >>"{log}"
"""


def speech_step(tmp_path: Path, commands: str) -> tuple[str, list[str]]:
    """install.sh's speech step on the live path, with a stand-in `kiosk` command."""
    log = tmp_path / "calls"
    kiosk = tmp_path / "kiosk"
    kiosk.write_text(FAKE_KIOSK.format(commands=commands or "''", log=log), encoding="ascii")
    kiosk.chmod(0o755)
    script = (
        f". '{DEPLOY / 'install.sh'}'\n"
        f"LIVE=1 R= KIOSK_BIN='{kiosk}'\n"
        "as_kiosk() { \"$@\"; }\n"
        "configured_languages() { echo fr en; }\n"
        "install_speech_models\n"
    )
    env = {"KIOSK_INSTALL_NO_MAIN": "1", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines() if log.exists() else []
    return done.stdout, calls


def test_without_the_speech_commands_the_install_says_a_later_version_brings_them(
    tmp_path: Path,
) -> None:
    output, calls = speech_step(tmp_path, "")
    assert calls == []
    assert "Speech models will be installed by a later version" in output
    assert "'kiosk speech prerender' is not there yet" in output


def test_with_the_speech_commands_the_install_runs_them_for_each_language(
    tmp_path: Path,
) -> None:
    output, calls = speech_step(tmp_path, "models speech")
    assert calls == ["models install fr", "models install en", "speech prerender"]
    assert "later version" not in output


def test_the_command_check_reads_the_real_kiosk_help(tmp_path: Path) -> None:
    kiosk = Path(sys.executable).with_name("kiosk")
    # `kiosk --help` builds the app: keep its data folder in the test's own.
    env = dict(os.environ, KIOSK_DATA_DIR=str(tmp_path / "data"),
               KIOSK_MODEL_DIR=str(tmp_path / "models"))
    env.pop("KIOSK_CONFIG", None)
    help_text = subprocess.run([str(kiosk), "--help"], capture_output=True, text=True,
                               timeout=60, check=True, cwd=tmp_path, env=env).stdout
    check = (
        f". '{DEPLOY / 'install.sh'}'\n"
        "for name in db devices no-such-command help; do\n"
        '    if kiosk_has_command "$HELP" "$name"; then echo "$name yes"\n'
        '    else echo "$name no"; fi\n'
        "done\n"
    )
    done = subprocess.run(["sh", "-c", check], env={"KIOSK_INSTALL_NO_MAIN": "1",
                                                    "HELP": help_text, "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=30)
    assert done.stdout.split("\n")[:4] == ["db yes", "devices yes", "no-such-command no",
                                           "help no"]


def quiet_services(tmp_path: Path, missing: str, *, systemd: bool = True,
                   coturn_enabled: bool = False) -> tuple[subprocess.CompletedProcess[str],
                                                          list[str]]:
    """dev-deps.sh's step after apt, with a stand-in systemctl that writes down its calls."""
    tmp_path = Path(tempfile.mkdtemp(dir=tmp_path))  # each call on a machine of its own
    log = tmp_path / "systemctl.calls"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    systemctl = bin_dir / "systemctl"
    systemctl.write_text(f'#!/bin/sh\necho "$*" >>"{log}"\n', encoding="ascii")
    systemctl.chmod(0o755)
    run_dir = tmp_path / "run-systemd"
    if systemd:
        run_dir.mkdir(exist_ok=True)
    defaults = tmp_path / "default-coturn"
    defaults.write_text("TURNSERVER_ENABLED=1\n" if coturn_enabled else "#TURNSERVER_ENABLED=1\n")
    script = (f". '{DEPLOY / 'dev-deps.sh'}'\n"
              f"missing='{missing}'\n"
              "quiet_services nginx coturn\n")
    env = {"KIOSK_DEV_DEPS_NO_MAIN": "1", "PATH": f"{bin_dir}:/usr/bin:/bin",
           "SYSTEMD_RUN": str(run_dir), "INIT_D": str(tmp_path / "no-init.d"),
           "COTURN_DEFAULTS": str(defaults)}
    done = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    return done, log.read_text().splitlines() if log.exists() else []


def test_dev_deps_stops_the_daemons_the_packages_it_installed_started(tmp_path: Path) -> None:
    """Debian starts nginx on port 80 and coturn, an open relay, on every interface when it
    installs them; a development machine gets the programs and not the services."""
    done, calls = quiet_services(tmp_path, " shellcheck nginx coturn")
    assert calls == ["disable --now nginx", "disable --now coturn"]
    assert "Stopped and disabled the coturn service" in done.stdout


def test_dev_deps_leaves_alone_the_services_it_did_not_install(tmp_path: Path) -> None:
    done, calls = quiet_services(tmp_path, " shellcheck sox")
    assert calls == [] and done.stdout == ""
    _, calls = quiet_services(tmp_path, " nginx", systemd=False)
    assert calls == []  # no systemd, no init script here: nothing to stop


def test_dev_deps_warns_when_coturn_is_enabled_by_its_defaults_file(tmp_path: Path) -> None:
    done, _ = quiet_services(tmp_path, "", coturn_enabled=True)
    assert "/etc/default/coturn enables the system's turnserver" in done.stderr
