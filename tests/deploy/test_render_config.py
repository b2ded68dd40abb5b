"""deploy/render_config.py kiosk-toml: /etc/kiosk/kiosk.toml always lists every setting."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from kiosk.core.config import SETTINGS, load_config

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


# The central server's files (deploy/install.sh --server).


def render_cmd(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(RENDER), *args], capture_output=True, text=True,
                          timeout=30)


def test_a_template_and_its_fields_must_match(tmp_path: Path) -> None:
    template = tmp_path / "site.conf"
    template.write_text("server_name @SERVER_NAME@;\nroot @ROOT@;\n")
    done = render_cmd("nginx-site", str(template), "--server-name", "central.example.org",
                      "--tls-cert", "/c.pem", "--tls-key", "/k.pem")
    assert done.returncode != 0
    assert "fields missing: ROOT; unknown: TLS_CERT, TLS_KEY" in done.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--server-name", "central.example.org\n}"], "not a server name"),
        (["--server-name", "::1"], "DNS name"),
        (["--tls-cert", "/etc/ssl/my cert.pem"], "--tls-cert must be an absolute path"),
        (["--tls-key", "/etc/ssl/k.pem;include /etc/passwd"], "--tls-key must be"),
        (["--tls-key", "/etc/ssl/../k.pem"], "--tls-key must be"),
    ],
)
def test_nothing_can_slip_into_the_nginx_site(args: list[str], message: str) -> None:
    values = {"--server-name": "central.example.org", "--tls-cert": "/c.pem",
              "--tls-key": "/k.pem"}
    values[args[0]] = args[1]
    done = render_cmd("nginx-site", str(REPO / "deploy/nginx/kiosk-central.conf"),
                      *[part for pair in values.items() for part in pair])
    assert done.returncode != 0 and message in done.stderr


def test_the_coturn_secret_is_read_from_a_file_and_must_be_one(tmp_path: Path) -> None:
    secret = tmp_path / "turn.secret"
    template = str(REPO / "deploy/coturn/turnserver.conf")
    secret.write_text("short\n")
    done = render_cmd("coturn", template, "--realm", "central.example.org", "--secret-file",
                      str(secret))
    assert done.returncode != 0 and "holds no secret of 32 letters or more" in done.stderr
    secret.write_text("a" * 40 + "\n")
    done = render_cmd("coturn", template, "--realm", "central.example.org", "--secret-file",
                      str(secret), "--external-ip", "203.0.113.7/10.0.0.7")
    assert done.returncode == 0, done.stderr
    assert f"\nstatic-auth-secret={'a' * 40}\n" in done.stdout
    assert "\nexternal-ip=203.0.113.7/10.0.0.7\n" in done.stdout
    assert not re.search(r"@[A-Z_]+@", done.stdout)  # every field filled in


def test_compare_toml_names_what_a_kept_file_holds_back(tmp_path: Path) -> None:
    kept = tmp_path / "kept.toml"
    kept.write_text('[kiosk]\nmode = "server"\nworkers = 8\nsite_name = "Mairie"\n')
    rendered = tmp_path / "new.toml"
    rendered.write_text('[kiosk]\nmode = "server"\nworkers = 4\ntls = true\n')
    done = render_cmd("compare-toml", str(kept), str(rendered))
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "   workers: your file has 8; this install would set 4\n"
        "   tls: your file has (not set: the default); this install would set true\n"
    )


def test_check_reads_a_value_as_the_kiosk_does() -> None:
    refused = render_cmd("check", "--source", str(REPO), "central_url=http://example.org")
    assert refused.returncode != 0 and "setting central_url must start with https://" \
        in refused.stderr
    accepted = render_cmd("check", "--source", str(REPO), "central_url=http://127.0.0.1:8600")
    assert (accepted.returncode, accepted.stdout) == (0, "")
