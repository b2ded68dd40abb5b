"""deploy/install.sh --server into a temporary root: the central server's files in place with
their modes, a dry run that changes nothing, a second run that changes nothing, options that
are refused before any change, and an uninstall that gives Debian's nginx back."""

from __future__ import annotations

import os
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
from deploy_support import APP_MODES, actions, laid_out, refused

from kiosk.core.config import load_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
SERVER_NAME = "central.example.org"  # as tests/deploy/conftest.py installs it
SERVER_ARGS = ("--server", "--server-name", SERVER_NAME, "--self-signed")

SERVER_UNITS = ("kiosk-web.service", "kiosk-purge.service", "kiosk-purge.timer")
SECRETS = {
    "var/lib/kiosk/secret_key": 0o600,
    "var/lib/kiosk/keys/fields.key": 0o600,
    "var/lib/kiosk/keys/metrics.token": 0o600,
    # root's, readable by the kiosk group: the kiosk signs call credentials with it
    "var/lib/kiosk/keys/turn.secret": 0o640,
}
# Every path the server install lays out (the virtual environment's own files aside).
EXPECTED_MODES = {
    **APP_MODES,
    "opt/kiosk/share/nginx": 0o755,
    "opt/kiosk/share/nginx/unavailable.html": 0o644,
    "opt/kiosk/share/nginx/too-large.html": 0o644,
    "etc/kiosk/tls": 0o700,
    "etc/kiosk/tls/server.crt": 0o644,
    "etc/kiosk/tls/server.key": 0o600,
    **SECRETS,
    "etc/nginx": 0o755,
    "etc/nginx/sites-available": 0o755,
    "etc/nginx/sites-available/default": 0o644,  # Debian's, left in place
    "etc/nginx/sites-available/kiosk-central.conf": 0o644,
    "etc/nginx/sites-enabled": 0o755,
    "etc/kiosk-turn": 0o750,
    "etc/kiosk-turn/turnserver.conf": 0o640,
    "etc/systemd/system/coturn.service.d": 0o755,
    "etc/systemd/system/coturn.service.d/kiosk.conf": 0o644,
    **{f"etc/systemd/system/{unit}": 0o644 for unit in SERVER_UNITS},
}
LINKS = {
    "usr/local/bin/kiosk": "/opt/kiosk/venv/bin/kiosk",
    "etc/nginx/sites-enabled/kiosk-central.conf": "/etc/nginx/sites-available/kiosk-central.conf",
}
COPIED = {
    "etc/systemd/system/kiosk-web.service": DEPLOY / "systemd/server/kiosk-web.service",
    "etc/systemd/system/kiosk-purge.service": DEPLOY / "systemd/kiosk-purge.service",
    "etc/systemd/system/kiosk-purge.timer": DEPLOY / "systemd/kiosk-purge.timer",
    "etc/systemd/system/coturn.service.d/kiosk.conf": DEPLOY / "systemd/coturn-kiosk.conf",
    "opt/kiosk/share/nginx/unavailable.html": DEPLOY / "nginx/pages/unavailable.html",
    "opt/kiosk/share/nginx/too-large.html": DEPLOY / "nginx/pages/too-large.html",
}


def test_every_server_file_is_in_place_with_its_mode(
    installer: Any, installed_server_root: Path
) -> None:
    assert installer.server_args == SERVER_ARGS  # the install the fixture made
    root = installed_server_root
    assert laid_out(root) == set(EXPECTED_MODES) | set(LINKS)
    for name, mode in EXPECTED_MODES.items():
        actual = (root / name).lstat().st_mode & 0o7777
        assert actual == mode, f"{name} has mode {actual:o}, not {mode:o}"
    for name, target in LINKS.items():
        assert os.readlink(root / name) == target, name
    for name, source in COPIED.items():
        assert (root / name).read_bytes() == source.read_bytes(), name


def test_a_server_has_no_screen_no_devices_and_no_debian_welcome_site(
    installed_server_root: Path,
) -> None:
    root = installed_server_root
    for absent in ("etc/chromium", "etc/udev", "etc/pam.d", "var/lib/kiosk/models",
                   "var/lib/kiosk/admin.token", "etc/systemd/system/kiosk-browser.service",
                   "etc/nginx/sites-enabled/default"):
        assert not (root / absent).exists() and not (root / absent).is_symlink(), absent
    web = (root / "etc/systemd/system/kiosk-web.service").read_text(encoding="utf-8")
    assert "KIOSK_MODE=server" in web and "pcscd" not in web and "DeviceAllow" not in web


def test_the_server_config_names_the_server_and_its_database_without_a_password(
    installed_server_root: Path,
) -> None:
    config = installed_server_root / "etc/kiosk/kiosk.toml"
    text = config.read_text(encoding="utf-8")
    assert text.startswith("# Teleconsultation kiosk: configuration of this central server.")
    assert tomllib.loads(text)["kiosk"] == {
        "mode": "server",
        "data_dir": "/var/lib/kiosk",
        "database_url": "postgresql://kiosk@/kiosk?host=/run/postgresql",
        "workers": 4,
        "trusted_hosts": [SERVER_NAME, "127.0.0.1", "localhost"],
        "tls": True,
        "rate_limit_storage": "redis://127.0.0.1:6379",
        "public_url": f"https://{SERVER_NAME}",
        "turn_urls": [f"turn:{SERVER_NAME}:3478?transport=udp",
                      f"turn:{SERVER_NAME}:3478?transport=tcp"],
    }
    loaded = load_config(config_file=config, environ={})
    assert loaded["turn_realm"] == SERVER_NAME
    assert loaded["turn_secret_file"] == "/var/lib/kiosk/keys/turn.secret"
    assert loaded["metrics_token_file"] == "/var/lib/kiosk/keys/metrics.token"


def test_coturn_and_the_kiosk_share_one_secret_that_only_they_hold(
    installed_server_root: Path,
) -> None:
    root = installed_server_root
    secret = (root / "var/lib/kiosk/keys/turn.secret").read_text(encoding="ascii").strip()
    assert len(secret) >= 40
    turn = (root / "etc/kiosk-turn/turnserver.conf").read_text(encoding="utf-8")
    assert f"\nstatic-auth-secret={secret}\n" in turn
    assert f"\nrealm={SERVER_NAME}\n" in turn
    for line in ("use-auth-secret", "no-cli", "no-tlsv1", "no-tlsv1_1",
                 "denied-peer-ip=127.0.0.0-127.255.255.255",
                 "denied-peer-ip=10.0.0.0-10.255.255.255",
                 "denied-peer-ip=192.168.0.0-192.168.255.255"):
        assert f"\n{line}\n" in turn, line
    assert "allow-loopback-peers" not in turn.replace("# ", "")
    # Nowhere else: not in the kiosk's configuration, not in the nginx site.
    for other in ("etc/kiosk/kiosk.toml", "etc/nginx/sites-available/kiosk-central.conf",
                  "etc/systemd/system/coturn.service.d/kiosk.conf"):
        assert secret not in (root / other).read_text(encoding="utf-8"), other
    metrics = (root / "var/lib/kiosk/keys/metrics.token").read_text(encoding="ascii").strip()
    assert len(metrics) >= 40 and metrics != secret


def test_the_self_signed_certificate_is_for_the_server_name(installed_server_root: Path) -> None:
    cert = installed_server_root / "etc/kiosk/tls/server.crt"
    checked = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-checkhost",
                              SERVER_NAME], capture_output=True, text=True, timeout=30)
    assert f"Hostname {SERVER_NAME} does match certificate" in checked.stdout
    # Valid for two years (825 days: what browsers still accept), not one day more or less.
    for seconds, fits in ((824 * 86400, 0), (826 * 86400, 1)):
        ends = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-checkend",
                               str(seconds)], capture_output=True, text=True, timeout=30)
        assert ends.returncode == fits, ends.stdout
    site = (installed_server_root / "etc/nginx/sites-available/kiosk-central.conf").read_text()
    assert "ssl_certificate /etc/kiosk/tls/server.crt;" in site
    assert "ssl_certificate_key /etc/kiosk/tls/server.key;" in site
    assert f"server_name {SERVER_NAME};" in site


def test_a_server_dry_run_prints_every_action_and_changes_nothing(
    installer: Any, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    installer.debian_nginx(root)
    before = installer.snapshot(root, times=True)
    done = installer.run(root, *SERVER_ARGS, "--dry-run")
    assert installer.snapshot(root, times=True) == before
    printed = "\n".join(actions(done.stdout))
    for name in EXPECTED_MODES:
        if name.startswith("etc/nginx/sites-") and name.endswith("default"):
            continue  # Debian's, already there
        if "." in Path(name).name or name.startswith("var/lib/kiosk/"):
            assert f"{root}/{name}" in printed, f"the dry run does not mention {name}"
    assert f"rm {root}/etc/nginx/sites-enabled/default" in printed
    assert "openssl genpkey" in printed and "openssl req" in printed
    assert "Dry run: nothing was changed." in done.stdout


def test_installing_a_server_twice_changes_nothing(
    installer: Any, scratch_server_root: Path
) -> None:
    before = installer.snapshot(scratch_server_root)
    done = installer.run(scratch_server_root, *SERVER_ARGS)
    assert actions(done.stdout) == []
    assert installer.snapshot(scratch_server_root) == before
    dry = installer.run(scratch_server_root, *SERVER_ARGS, "--dry-run")
    assert actions(dry.stdout) == []


def test_a_new_server_name_gets_a_new_certificate_and_says_what_the_kept_config_holds(
    installer: Any, scratch_server_root: Path
) -> None:
    root = scratch_server_root
    secret = (root / "var/lib/kiosk/keys/turn.secret").read_bytes()
    config = (root / "etc/kiosk/kiosk.toml").read_bytes()
    done = installer.run(root, "--server", "--server-name", "visio.example.org", "--self-signed")
    assert (root / "var/lib/kiosk/keys/turn.secret").read_bytes() == secret
    assert (root / "etc/kiosk/kiosk.toml").read_bytes() == config
    assert ('public_url: your file has "https://central.example.org"; this install would set '
            '"https://visio.example.org"') in done.stdout
    cert = root / "etc/kiosk/tls/server.crt"
    checked = subprocess.run(["openssl", "x509", "-in", str(cert), "-noout", "-checkhost",
                              "visio.example.org"], capture_output=True, text=True, timeout=30)
    assert "does match" in checked.stdout
    assert "\nrealm=visio.example.org\n" in (root / "etc/kiosk-turn/turnserver.conf").read_text()


def test_a_second_run_repairs_what_was_changed_by_hand(
    installer: Any, scratch_server_root: Path
) -> None:
    root = scratch_server_root
    (root / "var/lib/kiosk/keys/turn.secret").chmod(0o644)
    (root / "etc/kiosk-turn/turnserver.conf").write_text("no-auth\n")
    (root / "etc/nginx/sites-enabled/default").symlink_to("/etc/nginx/sites-available/default")
    installer.run(root, *SERVER_ARGS)
    assert (root / "var/lib/kiosk/keys/turn.secret").stat().st_mode & 0o777 == 0o640
    secret = (root / "var/lib/kiosk/keys/turn.secret").read_text().strip()
    assert f"static-auth-secret={secret}" in (root / "etc/kiosk-turn/turnserver.conf").read_text()
    assert not (root / "etc/nginx/sites-enabled/default").is_symlink()


def given_cert(root: Path, name: str) -> tuple[str, str]:
    """A certificate for ``name`` and its key, put where a real one would live, in ``root``."""
    folder = root / "etc/ssl/kiosk"
    folder.mkdir(parents=True, exist_ok=True)
    key, cert = folder / f"{name}.key", folder / f"{name}.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", str(key), "-out",
                    str(cert)], check=True, capture_output=True, timeout=30)
    return f"/etc/ssl/kiosk/{name}.crt", f"/etc/ssl/kiosk/{name}.key"


def test_a_given_certificate_is_used_where_it_is(installer: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    cert, key = given_cert(root, SERVER_NAME)
    installer.run(root, "--server", "--server-name", SERVER_NAME, "--tls-cert", cert,
                  "--tls-key", key)
    site = (root / "etc/nginx/sites-available/kiosk-central.conf").read_text()
    assert f"ssl_certificate {cert};" in site and f"ssl_certificate_key {key};" in site
    assert not (root / "etc/kiosk/tls").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--server"], "--server-name"),
        (["--server", "--server-name", SERVER_NAME], "--tls-cert FILE and --tls-key FILE"),
        (["--server", "--server-name", SERVER_NAME, "--tls-cert", "/etc/ssl/c.pem"],
         "--tls-key"),
        (["--server", "--server-name", SERVER_NAME, "--self-signed", "--tls-key", "/k.pem"],
         "without --tls-cert and --tls-key"),
        (["--server", "--server-name", "central.example.org;", "--self-signed"],
         "not a server name"),
        (["--server", "--server-name", SERVER_NAME, "--self-signed", "--workers", "0"],
         "workers must be at least 1"),
        (["--server", "--server-name", SERVER_NAME, "--tls-cert", "cert.pem", "--tls-key",
          "/etc/ssl/k.pem"], "--tls-cert must be an absolute path"),
        (["--server", "--server-name", SERVER_NAME, "--self-signed", "--turn-external-ip",
          "somewhere"], "--external-ip takes"),
        (["--server", "--server-name", SERVER_NAME, "--self-signed", "--central",
          "https://x.example.org"], "for a unit"),
        (["--server", "--server-name", SERVER_NAME, "--self-signed", "--video-server",
          "https://visio.example.org"], "for a unit"),
        (["--server-name", SERVER_NAME], "--server-name goes with --server"),
        (["--self-signed"], "--self-signed goes with --server"),
    ],
)
def test_bad_server_options_stop_before_any_change(
    installer: Any, tmp_path: Path, args: list[str], message: str
) -> None:
    assert message in refused(installer, tmp_path, *args)


def test_a_certificate_for_another_name_is_refused_before_any_change(
    installer: Any, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    other_cert, other_key = given_cert(root, "other.example.org")
    good_cert, _ = given_cert(root, SERVER_NAME)
    before = installer.snapshot(root)
    # A certificate for another name; the right certificate with the key of another one.
    for pair in ((other_cert, other_key), (good_cert, other_key)):
        done = installer.run(root, "--server", "--server-name", SERVER_NAME,
                             "--tls-cert", pair[0], "--tls-key", pair[1], check=False)
        assert done.returncode != 0
        assert f"do not make a valid certificate for {SERVER_NAME}" in done.stderr
    assert installer.snapshot(root) == before


def test_uninstall_gives_debian_its_nginx_site_back_and_purge_removes_everything(
    installer: Any, scratch_server_root: Path
) -> None:
    root = scratch_server_root
    installer.run(root, "--uninstall", with_app=False)
    assert os.readlink(root / "etc/nginx/sites-enabled/default") == (
        "/etc/nginx/sites-available/default"
    )
    kept = laid_out(root)
    assert kept == {
        "etc", "etc/kiosk", "etc/kiosk/kiosk.toml", "etc/kiosk/tls", "etc/kiosk/tls/server.crt",
        "etc/kiosk/tls/server.key", "var", "var/lib", "var/lib/kiosk", "var/lib/kiosk/keys",
        *SECRETS,
        "etc/nginx", "etc/nginx/sites-available", "etc/nginx/sites-available/default",
        "etc/nginx/sites-enabled", "etc/nginx/sites-enabled/default",
    }
    again = installer.run(root, "--uninstall", with_app=False)
    assert actions(again.stdout) == []
    installer.run(root, "--uninstall", "--purge", with_app=False)
    assert laid_out(root) == {
        "etc", "etc/nginx", "etc/nginx/sites-available", "etc/nginx/sites-available/default",
        "etc/nginx/sites-enabled", "etc/nginx/sites-enabled/default",
    }
