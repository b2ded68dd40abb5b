"""The configuration layers: defaults, TOML file, environment, test mapping; each value's source."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.config import SETTINGS, ConfigError, describe, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_apply_when_nothing_is_set() -> None:
    loaded = load_config(environ={})
    assert loaded["mode"] == "unit"
    assert loaded["warning_seconds"] >= 20
    assert loaded["max_extensions"] >= 10
    assert set(loaded.sources.values()) == {"default"}


def test_each_layer_overrides_the_one_before(tmp_path: Path) -> None:
    path = write(
        tmp_path, '[kiosk]\nidle_seconds = 60\nwarning_seconds = 25\nsite_name = "Mairie"\n'
    )
    loaded = load_config(
        config_file=path,
        environ={"KIOSK_WARNING_SECONDS": "40", "KIOSK_THREADS": "8"},
        overrides={"threads": 2},
    )
    assert loaded["idle_seconds"] == 60 and loaded.sources["idle_seconds"] == f"file {path}"
    assert loaded["warning_seconds"] == 40
    assert loaded.sources["warning_seconds"] == "env KIOSK_WARNING_SECONDS"
    assert loaded["threads"] == 2 and loaded.sources["threads"] == "test mapping"
    assert loaded["site_name"] == "Mairie"
    assert loaded.sources["bind"] == "default"


def test_config_file_is_found_through_the_environment(tmp_path: Path) -> None:
    path = write(tmp_path, 'mode = "server"\nworkers = 3\n')
    loaded = load_config(environ={"KIOSK_CONFIG": str(path)})
    assert loaded["mode"] == "server" and loaded["workers"] == 3


def test_environment_values_are_parsed_to_their_types() -> None:
    loaded = load_config(
        environ={"KIOSK_TLS": "yes", "KIOSK_LANGUAGES": "en, fr", "KIOSK_IDLE_SECONDS": "45"}
    )
    assert loaded["tls"] is True
    assert loaded["languages"] == ["en", "fr"]
    assert loaded["idle_seconds"] == 45


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"KIOSK_WARNING_SECONDS": "10"}, "warning_seconds"),  # the person needs 20 s to answer
        ({"KIOSK_MAX_EXTENSIONS": "3"}, "max_extensions"),  # at least 10 extensions
        ({"KIOSK_MODE": "cloud"}, "mode"),
        ({"KIOSK_THREADS": "many"}, "threads"),
        ({"KIOSK_TLS": "maybe"}, "tls"),
    ],
)
def test_a_bad_value_is_refused_and_the_message_names_the_setting(
    env: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(environ=env)


def test_unknown_setting_in_the_file_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "idle_secnds = 60\n")
    with pytest.raises(ConfigError, match="idle_secnds"):
        load_config(config_file=path, environ={})


def test_broken_toml_is_reported_with_its_path(tmp_path: Path) -> None:
    path = write(tmp_path, "idle_seconds = = 3\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(config_file=path, environ={})


def test_missing_config_file_is_an_error_not_silence(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(environ={"KIOSK_CONFIG": str(tmp_path / "nope.toml")})


def test_describe_lists_every_setting_and_hides_secrets() -> None:
    loaded = load_config(
        environ={
            "KIOSK_DATABASE_URL": "postgresql://kiosk:hunter2@db/kiosk",
            "KIOSK_SECRET_KEY": "s3cret",
        }
    )
    rows = {name: (value, source) for name, value, source in describe(loaded)}
    assert set(rows) == {s.name for s in SETTINGS}
    assert rows["database_url"] == ("(set, hidden)", "env KIOSK_DATABASE_URL")
    assert "hunter2" not in repr(rows) and "s3cret" not in repr(rows)


PATH_SETTINGS = {s.name for s in SETTINGS if s.resolve is not None}


def test_every_setting_named_like_a_file_or_folder_is_resolved() -> None:
    """A new path setting must be made absolute too, or a process run elsewhere loses it.
    A URL setting that is no path (central_url) must refuse a path instead."""
    named_like_a_path = {
        s.name for s in SETTINGS if s.name.endswith(("_dir", "_url", "_file", "_path"))
    }
    web_only = {
        s.name for s in SETTINGS
        if s.name in named_like_a_path - PATH_SETTINGS and s.check is not None
        and s.check("rel/path") is not None
    }
    assert web_only == {"central_url", "public_url"}
    assert named_like_a_path - web_only <= PATH_SETTINGS
    assert {"data_dir", "model_dir", "database_url", "bp_url"} <= PATH_SETTINGS


def _relative_values() -> dict[str, str]:
    values = {name: f"rel/{name}" for name in PATH_SETTINGS}
    values["database_url"] = "sqlite:///rel/kiosk.db?timeout=5"
    return values


@pytest.mark.parametrize("layer", ["file", "env", "mapping"])
def test_every_path_setting_is_made_absolute_against_the_working_directory(
    tmp_path: Path, layer: str
) -> None:
    here = tmp_path / "here"
    values = _relative_values()
    if layer == "file":
        lines = "".join(f'{name} = "{value}"\n' for name, value in values.items())
        loaded = load_config(config_file=write(tmp_path, lines), environ={}, cwd=here)
    elif layer == "env":
        loaded = load_config(
            environ={f"KIOSK_{name.upper()}": value for name, value in values.items()}, cwd=here
        )
    else:
        loaded = load_config(environ={}, overrides=values, cwd=here)
    for name in PATH_SETTINGS - {"database_url"}:
        assert loaded[name] == str(here / "rel" / name), name
    assert loaded["database_url"] == f"sqlite:///{here}/rel/kiosk.db?timeout=5"


def test_the_default_folders_are_under_the_folder_the_command_runs_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    loaded = load_config(environ={})
    assert loaded["data_dir"] == str(tmp_path / "var")
    assert loaded["model_dir"] == str(tmp_path / "var" / "models")


def test_urls_and_absolute_paths_are_left_as_they_are(tmp_path: Path) -> None:
    loaded = load_config(
        environ={
            "KIOSK_BP_URL": "socket://127.0.0.1:4000",
            "KIOSK_PRINTER_URL": "/dev/kiosk-printer",
            "KIOSK_SCANNER_URL": "",
            "KIOSK_DATABASE_URL": "postgresql://kiosk@db/kiosk",
            "KIOSK_DATA_DIR": "/var/lib/kiosk",
        },
        cwd=tmp_path,
    )
    assert loaded["bp_url"] == "socket://127.0.0.1:4000"
    assert loaded["printer_url"] == "/dev/kiosk-printer"
    assert loaded["scanner_url"] == ""
    assert loaded["database_url"] == "postgresql://kiosk@db/kiosk"
    assert loaded["data_dir"] == "/var/lib/kiosk"
    assert loaded["model_url_fr"].startswith("https://")


# The fleet's settings (/work/notes/fleet-contract.md, FLEET.md "Transport").


@pytest.mark.parametrize("name", ["central_url", "public_url"])
@pytest.mark.parametrize(
    "url",
    [
        "http://example.org",
        "http://central.example.org:8000",
        "http://127.0.0.1.example.org",  # a name that starts like loopback is not loopback
        "http://10.0.0.5:8000",
        "central.example.org",
        "ftp://central.example.org",
        "https://",
        "https://admin:hunter2@central.example.org",
        "https://central.example.org/?next=x",
        "https://central.example.org:port",
    ],
)
def test_a_central_url_that_is_not_https_is_refused_by_name(name: str, url: str) -> None:
    with pytest.raises(ConfigError, match=rf"setting {name} from env KIOSK_{name.upper()}"):
        load_config(environ={f"KIOSK_{name.upper()}": url})


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://central.example.org", "https://central.example.org"),
        ("https://central.example.org/", "https://central.example.org"),
        ("https://central.example.org:8443/kiosk/", "https://central.example.org:8443/kiosk"),
        ("http://127.0.0.1:8600", "http://127.0.0.1:8600"),
        ("http://localhost:8600/", "http://localhost:8600"),
        ("http://[::1]:8600", "http://[::1]:8600"),
        ("", ""),
    ],
)
def test_https_or_loopback_central_urls_are_kept_without_their_last_slash(
    url: str, kept: str
) -> None:
    loaded = load_config(environ={"KIOSK_CENTRAL_URL": url, "KIOSK_PUBLIC_URL": url})
    assert loaded["central_url"] == kept
    assert loaded["public_url"] == kept


def test_the_fleet_key_files_live_in_the_data_folder_unless_set(tmp_path: Path) -> None:
    loaded = load_config(environ={"KIOSK_DATA_DIR": "/var/lib/kiosk"})
    assert loaded["unit_credential_file"] == "/var/lib/kiosk/keys/unit.credential"
    assert loaded["turn_secret_file"] == "/var/lib/kiosk/keys/turn.secret"
    assert loaded["metrics_token_file"] == "/var/lib/kiosk/keys/metrics.token"
    assert loaded.sources["turn_secret_file"] == "default"
    moved = load_config(environ={"KIOSK_TURN_SECRET_FILE": "/etc/kiosk/turn.secret"},
                        overrides={"data_dir": "data"}, cwd=tmp_path)
    assert moved["turn_secret_file"] == "/etc/kiosk/turn.secret"
    assert moved["unit_credential_file"] == str(tmp_path / "data/keys/unit.credential")


def test_the_turn_realm_is_the_public_host_unless_set() -> None:
    assert load_config(environ={})["turn_realm"] == ""
    derived = load_config(environ={"KIOSK_PUBLIC_URL": "https://central.example.org:8443"})
    assert derived["turn_realm"] == "central.example.org"
    chosen = load_config(environ={"KIOSK_PUBLIC_URL": "https://central.example.org",
                                  "KIOSK_TURN_REALM": "turn.example.org"})
    assert chosen["turn_realm"] == "turn.example.org"
    with pytest.raises(ConfigError, match="turn_realm"):
        load_config(environ={"KIOSK_TURN_REALM": "example.org:3478"})


def test_turn_urls_come_as_a_list_and_each_must_be_a_turn_or_stun_url() -> None:
    urls = "turn:turn.example.org:3478?transport=udp, turn:turn.example.org:3478?transport=tcp"
    loaded = load_config(environ={"KIOSK_TURN_URLS": urls})
    assert loaded["turn_urls"] == ["turn:turn.example.org:3478?transport=udp",
                                   "turn:turn.example.org:3478?transport=tcp"]
    assert load_config(environ={})["turn_urls"] == []
    for bad in ("https://turn.example.org", "turn:turn.example.org:3478?transport=sctp",
                "turn:user@turn.example.org"):
        with pytest.raises(ConfigError, match="turn_urls"):
            load_config(environ={"KIOSK_TURN_URLS": bad})


@pytest.mark.parametrize(
    ("env", "named"),
    [({"KIOSK_HEARTBEAT_SECONDS": "0"}, "heartbeat_seconds"),
     ({"KIOSK_TURN_TTL_SECONDS": "30"}, "turn_ttl_seconds")],
)
def test_fleet_durations_have_a_floor(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load_config(environ=env)
    assert load_config(environ={})[named] == {"heartbeat_seconds": 30,
                                              "turn_ttl_seconds": 3600}[named]
