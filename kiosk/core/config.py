"""Every setting of the kiosk, in one place, with its default and where its value came from.

Layers, later ones win (DESIGN.md "Processes"):
  defaults -> a TOML file (``--config``/``KIOSK_CONFIG`` or /etc/kiosk/kiosk.toml) -> ``KIOSK_*``
  environment variables -> a test mapping.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_CONFIG_FILE = Path("/etc/kiosk/kiosk.toml")
ENV_PREFIX = "KIOSK_"


class ConfigError(ValueError):
    """A setting has a value the kiosk cannot run with; the message names the setting."""


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not an integer")
    return int(value)


def _str(value: Any) -> str:
    return str(value)


_SQLITE_FILE = re.compile(r"(?P<prefix>sqlite(\+\w+)?:///)(?P<file>[^?]*)(?P<query>\?.*)?")
_HOST = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?")
_HOST_NAME = re.compile(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?")


def _json_list(value: Any) -> list[Any]:
    """A list given as TOML, or as JSON text in an environment variable."""
    import json

    parsed = json.loads(value) if isinstance(value, str) else value
    if not isinstance(parsed, list):
        raise ValueError("not a list")
    return parsed


def _list(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [part.strip() for part in str(value).split(",") if part.strip()]


def _base_url(value: Any) -> str:
    """A base URL without its trailing slash, so paths join onto it the same way every time."""
    return str(value).strip().rstrip("/")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _web_base_url(value: str) -> str | None:
    """Empty, or https://host[:port][/path]; plain http:// only to this machine (FLEET.md
    "Transport": tests and the demo run on loopback, anything else is read on the way)."""
    if not value:
        return None
    try:
        parts = urlsplit(value)
        _ = parts.port  # a port that is no number raises here
    except ValueError:
        return "must be a URL such as https://central.example.org"
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be a URL such as https://central.example.org"
    if parts.username is not None or parts.query or parts.fragment:
        return "must be a plain base URL, without user, password, ? or #"
    if parts.scheme == "http" and not _is_loopback(parts.hostname):
        return "must start with https:// (plain http:// only to 127.0.0.1, localhost or [::1])"
    return None


_ICE_URL = re.compile(
    r"(stun|stuns|turn|turns):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)"
    r"(:[0-9]{1,5})?(\?transport=(udp|tcp))?"
)


def _ice_urls(value: list[str]) -> str | None:
    bad = [url for url in value if not _ICE_URL.fullmatch(url)]
    if bad:
        return f"must hold URLs such as turn:turn.example.org:3478?transport=udp, not {bad[0]!r}"
    return None


@dataclass(frozen=True)
class Setting:
    """One setting: its name (lower case, as in the TOML file), default, parser and meaning."""

    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    secret: bool = False
    check: Callable[[Any], str | None] | None = None
    # Settings naming a file or folder: made absolute against the working directory once, when
    # the settings load, so nothing later depends on where a process happens to run from.
    resolve: Callable[[Any, Path], Any] | None = None
    # A file that, left empty, lives at this path inside data_dir (like the keys install.sh
    # makes), so moving data_dir moves it too.
    in_data_dir: str | None = None

    @property
    def env_name(self) -> str:
        return ENV_PREFIX + self.name.upper()


def _folder(value: Any, cwd: Path) -> Any:
    """A folder or file path, absolute (``~`` expanded); empty stays empty."""
    if not value:
        return value
    return os.path.normpath(cwd / Path(value).expanduser())


def _url_or_path(value: Any, cwd: Path) -> Any:
    """A URL stays as it is; a plain path (``var/devices/bp``) becomes absolute."""
    if not value or "://" in value:
        return value
    return _folder(value, cwd)


def _database(value: Any, cwd: Path) -> Any:
    """A SQLite URL with a relative file (``sqlite:///var/kiosk.db``) gets an absolute one."""
    match = _SQLITE_FILE.fullmatch(value)
    if match is None or match["file"] in ("", ":memory:"):
        return value
    return match["prefix"] + _folder(match["file"], cwd) + (match["query"] or "")


def _at_least(minimum: int) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value >= minimum else f"must be at least {minimum}"

    return check


def _host(pattern: re.Pattern[str], empty_ok: bool = False) -> Callable[[Any], str | None]:
    """A host name (``pattern`` says whether a port may follow); ``empty_ok``: or nothing."""
    def check(value: Any) -> str | None:
        return None if (empty_ok and not value) or pattern.fullmatch(value) else \
            "must be a host name"

    return check


def _one_of(*choices: str) -> Callable[[Any], str | None]:
    def check(value: Any) -> str | None:
        return None if value in choices else f"must be one of {', '.join(choices)}"

    return check


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "mode",
        "unit",
        _str,
        "unit (one kiosk box) or server (central, several workers)",
        check=_one_of("unit", "server"),
    ),
    Setting("data_dir", "var", _str, "Folder for the SQLite database, secret key and caches",
            resolve=_folder),
    Setting(
        "database_url",
        "",
        _str,
        "SQLAlchemy URL; empty means SQLite in data_dir. postgresql://... for a central server",
        secret=True,
        resolve=_database,
    ),
    Setting(
        "secret_key",
        "",
        _str,
        "Signs CSRF tokens; empty means a random key kept in data_dir/secret_key",
        secret=True,
    ),
    Setting("bind", "127.0.0.1:8000", _str, "Address gunicorn listens on"),
    Setting(
        "workers",
        1,
        _int,
        "gunicorn worker processes (unit mode always uses 1)",
        check=_at_least(1),
    ),
    Setting("threads", 4, _int, "Threads per gunicorn worker", check=_at_least(1)),
    Setting(
        "trusted_hosts",
        ["127.0.0.1", "localhost"],
        _list,
        "Host names the kiosk answers to; any other Host header gets 400",
    ),
    Setting("tls", False, _bool, "Served over TLS: cookies get Secure and the __Host- prefix"),
    Setting(
        "languages", ["fr", "en"], _list, "Languages offered on the screen, first is the default"
    ),
    Setting(
        "idle_seconds",
        120,
        _int,
        "Seconds without activity before the 'Plus de temps' warning",
        check=_at_least(10),
    ),
    Setting(
        "warning_seconds",
        30,
        _int,
        "Seconds the warning stays up before the session is wiped (20 or more)",
        check=_at_least(20),
    ),
    Setting(
        "max_extensions",
        15,
        _int,
        "How many times 'Plus de temps' may be pressed (10 or more)",
        check=_at_least(10),
    ),
    Setting(
        "absolute_seconds",
        3600,
        _int,
        "Longest a kiosk session may last, whatever happens",
        check=_at_least(60),
    ),
    Setting("site_name", "Borne de démonstration", _str, "Name of the site shown on tickets"),
    Setting("timezone", "Europe/Paris", _str, "Time zone of the site"),
    Setting(
        "slot_minutes", 15, _int, "Length of a consultation slot in minutes", check=_at_least(5)
    ),
    Setting("bp_url", "", _str, "pyserial URL of the blood-pressure module; empty: none",
            resolve=_url_or_path),
    Setting("card_reader", "auto", _str, "PC/SC reader name for the health card, or auto"),
    Setting("printer_url", "", _str, "pyserial URL of the ticket printer; empty: none",
            resolve=_url_or_path),
    Setting("scanner_url", "", _str, "pyserial URL of the QR code scanner; empty: none",
            resolve=_url_or_path),
    Setting("retention_days", 90, _int,
            "Days an appointment, its patient and measurements are kept after its time",
            check=_at_least(1)),
    Setting("audit_retention_days", 365, _int,
            "Days audit journal entries are kept (CNIL: 6 to 12 months)", check=_at_least(180)),
    Setting("bp_rest_seconds", 180, _int,
            "Rest before a blood-pressure measurement, in seconds", check=_at_least(0)),
    Setting("bp_readings", 2, _int, "Blood-pressure readings averaged for one result",
            check=_at_least(1)),
    Setting("bp_interval_seconds", 60, _int, "Seconds between two blood-pressure readings",
            check=_at_least(0)),
    Setting("bp_deadline_seconds", 150, _int,
            "Longest a measurement may take before the cuff is deflated", check=_at_least(30)),
    Setting("print_timeout_seconds", 8, _int,
            "Longest a ticket may take to print before the screen says the printer does not "
            "answer", check=_at_least(1)),
    Setting("video_provider", "webrtc", _str,
            "Video calls: webrtc (browser to browser, signalled by the kiosk) or jitsi",
            check=_one_of("webrtc", "jitsi")),
    Setting("ice_servers", [], _json_list,
            "WebRTC ICE servers, as RTCIceServer objects: [{urls = \"turn:turn.example:3478\", "
            "username = \"...\", credential = \"...\"}]; empty: direct only (loopback demo)",
            secret=True),
    Setting("jitsi_domain", "meet.jit.si", _str,
            "Jitsi Meet server used when video_provider is jitsi (its IFrame API is loaded "
            "from https://<domain>/external_api.js)",
            check=_host(_HOST)),
    Setting("speech_enabled", True, _bool, "Speak every screen (needs espeak-ng)"),
    Setting("speech_rate", 130, _int,
            "Speech rate in words per minute at the start of each visit ('moins vite' slows it)",
            check=lambda v: None if 80 <= v <= 200 else "must be between 80 and 200"),
    Setting("listen_as", [], _list,
            "Tests only: screen language=listening language, e.g. fr=ko hears French screens "
            "with the Korean words and the model in model_dir/ko; empty in production"),
    Setting("model_dir", "var/models", _str, "Folder holding the vosk speech models",
            resolve=_folder),
    Setting("rate_limit_storage", "memory://", _str,
            "Where rate-limit counters live: memory:// for a unit's one worker, "
            "redis://127.0.0.1:6379 for a server with several workers", secret=True),
    Setting("model_url_fr", "https://alphacephei.com/vosk/models/vosk-model-small-fr-0.22.zip",
            _str, "Where `kiosk models install fr` downloads the French vosk model from",
            resolve=_url_or_path),
    Setting("model_url_en", "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip",
            _str, "Where `kiosk models install en` downloads the English vosk model from",
            resolve=_url_or_path),
    Setting("model_sha256_fr", "", _str, "SHA-256 the French model archive must have; empty: none"),
    Setting("model_sha256_en", "", _str,
            "SHA-256 the English model archive must have; empty: none"),
    # The fleet (FLEET.md): a unit that talks to a central server, and the central server.
    Setting("central_url", "", _base_url,
            "Unit: the central server's base URL, e.g. https://central.example.org; empty: a "
            "standalone unit. Written by `kiosk enrol`; plain http:// only to 127.0.0.1",
            check=_web_base_url),
    Setting("unit_credential_file", "", _str,
            "Unit: the credential `kiosk enrol` writes (kiosk user only); "
            "empty: data_dir/keys/unit.credential",
            resolve=_folder, in_data_dir="keys/unit.credential"),
    Setting("heartbeat_seconds", 30, _int,
            "Unit: seconds between two reports to the central server", check=_at_least(1)),
    Setting("public_url", "", _base_url,
            "Server: its own public base URL, e.g. https://central.example.org, for the links "
            "it prints and redirects to", check=_web_base_url),
    Setting("turn_urls", [], _list,
            "Server: TURN/STUN URLs given to browsers for a call, e.g. "
            "turn:turn.example.org:3478?transport=udp; empty: no relay (direct only)",
            check=_ice_urls),
    Setting("turn_secret_file", "", _str,
            "Server: coturn's static-auth-secret, which signs each call's TURN credential; "
            "empty: data_dir/keys/turn.secret",
            resolve=_folder, in_data_dir="keys/turn.secret"),
    Setting("turn_realm", "", _str, "Server: coturn's realm; empty: the host of public_url",
            check=_host(_HOST_NAME, empty_ok=True)),
    Setting("turn_ttl_seconds", 3600, _int,
            "Server: seconds a call's TURN credential stays valid", check=_at_least(60)),
    Setting("metrics_token_file", "", _str,
            "Server: the bearer token that /metrics asks for; "
            "empty: data_dir/keys/metrics.token",
            resolve=_folder, in_data_dir="keys/metrics.token"),
)

SETTINGS_BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}


@dataclass
class LoadedConfig:
    """The settings after layering, with the source of each value."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def checked_value(name: str, raw: Any, source: str = "") -> Any:
    """``raw`` read by the setting's own parser and check, as the kiosk reads it.

    A ConfigError says what is wrong, and where the value came from (``source``) if given;
    ``deploy/render_config.py`` checks an installer's values with it too."""
    where = f" from {source}" if source else ""
    setting = SETTINGS_BY_NAME.get(name)
    if setting is None:
        raise ConfigError(f"unknown setting {name!r}" + (f" in {source}" if source else ""))
    try:
        value = setting.parse(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}{where}: {exc}") from exc
    if setting.check is not None and (problem := setting.check(value)):
        raise ConfigError(f"setting {name}{where} {problem} (got {value!r})")
    return value


def _apply(loaded: LoadedConfig, name: str, raw: Any, source: str) -> None:
    loaded.values[name] = checked_value(name, raw, source)
    loaded.sources[name] = source


def load_config(
    config_file: str | os.PathLike[str] | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> LoadedConfig:
    """Layer defaults, the TOML file, ``KIOSK_*`` variables and ``overrides``; validate each value.

    ``config_file`` None means ``$KIOSK_CONFIG`` or /etc/kiosk/kiosk.toml when it exists. Every
    path setting comes back absolute, resolved against ``cwd`` (default: the working directory).
    """
    environ = os.environ if environ is None else environ
    loaded = LoadedConfig()
    for setting in SETTINGS:
        loaded.values[setting.name] = setting.default
        loaded.sources[setting.name] = "default"

    path: Path | None
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"configuration file {path} does not exist")
    elif environ.get("KIOSK_CONFIG"):
        path = Path(environ["KIOSK_CONFIG"])
        if not path.is_file():
            raise ConfigError(f"KIOSK_CONFIG names {path}, which does not exist")
    else:
        path = DEFAULT_CONFIG_FILE if DEFAULT_CONFIG_FILE.is_file() else None
    if path is not None:
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path} is not valid TOML: {exc}") from exc
        section = table.get("kiosk", table)
        for name, raw in section.items():
            _apply(loaded, name, raw, f"file {path}")

    for setting in SETTINGS:
        if setting.env_name in environ:
            _apply(loaded, setting.name, environ[setting.env_name], f"env {setting.env_name}")

    for name, raw in (overrides or {}).items():
        _apply(loaded, name, raw, "test mapping")
    base = Path(cwd if cwd is not None else Path.cwd()).resolve()
    for setting in SETTINGS:
        if setting.resolve is not None:
            loaded.values[setting.name] = setting.resolve(loaded.values[setting.name], base)
    _fill_derived_defaults(loaded.values)
    return loaded


def _fill_derived_defaults(values: dict[str, Any]) -> None:
    """Empty settings whose default comes from another one: key files in data_dir, the realm."""
    for setting in SETTINGS:
        if setting.in_data_dir and not values[setting.name]:
            values[setting.name] = os.path.join(values["data_dir"], setting.in_data_dir)
    if not values["turn_realm"] and values["public_url"]:
        values["turn_realm"] = urlsplit(values["public_url"]).hostname or ""


def describe(loaded: LoadedConfig) -> list[tuple[str, str, str]]:
    """Rows of (name, value shown, source) for ``kiosk config show``; secrets are masked."""
    rows = []
    for setting in SETTINGS:
        value = loaded.values[setting.name]
        if setting.secret and value:
            shown = "(set, hidden)"
        elif isinstance(value, list):
            shown = ", ".join(value)
        else:
            shown = str(value)
        rows.append((setting.name, shown, loaded.sources[setting.name]))
    return rows
