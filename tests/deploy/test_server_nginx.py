"""The central server's nginx site, as deploy/install.sh --server lays it out: `nginx -t` accepts
it inside Debian's own nginx.conf, and a real nginx with it in front of the real kiosk (gunicorn
in server mode, two workers, PostgreSQL over its local socket) does what a doctor's browser and a
unit rely on: HTTPS only, the application's own headers once, plain pages when it is down or a
request is too big, nothing for a name that is not the server's.

The installed files name the live system's paths and ports (/etc/kiosk/tls, /var/log/nginx, 80,
443, 127.0.0.1:8000). The tests move exactly those into their temporary folder and free ports,
and fail if one of them is no longer in the file, so the file under test stays the installed one.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from demo_server import free_port, kiosk_command, kiosk_env
from deploy_support import stop_process

NGINX = Path("/usr/sbin/nginx")
DEBIAN_NGINX_CONF = Path("/etc/nginx/nginx.conf")
SITE = "etc/nginx/sites-available/kiosk-central.conf"
NAME = "central.example.org"
POSTGRES_SOCKET = Path("/run/postgresql")


def need_nginx() -> None:
    if not NGINX.exists() or not DEBIAN_NGINX_CONF.exists():
        pytest.fail("nginx is missing: install Debian's nginx (deploy/dev-deps.sh)")


def replace_once(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is no longer in the file"
    return text.replace(old, new)


def main_conf(work: Path, site: Path) -> Path:
    """Debian's /etc/nginx/nginx.conf, with its pid, logs, temporary files and sites in ``work``
    and only the kiosk's site enabled."""
    text = DEBIAN_NGINX_CONF.read_text(encoding="utf-8")
    text = replace_once(text, "pid /run/nginx.pid;", f"pid {work}/nginx.pid;")
    text = replace_once(text, "error_log /var/log/nginx/error.log;",
                        f"error_log {work}/logs/error.log;")
    text = replace_once(text, "access_log /var/log/nginx/access.log;",
                        f"access_log {work}/logs/access.log;")
    text = replace_once(text, "include /etc/nginx/conf.d/*.conf;", "")
    temp = "".join(f"\t{kind}_temp_path {work}/temp/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    text = replace_once(text, "include /etc/nginx/sites-enabled/*;", f"{temp}\tinclude {site};")
    # The test's files live in pytest's folders, which only their owner may enter.
    text = replace_once(text, "user www-data;", "user root;" if os.geteuid() == 0 else "")
    for folder in ("logs", "temp"):
        (work / folder).mkdir(parents=True, exist_ok=True)
    conf = work / "nginx.conf"
    conf.write_text(text, encoding="utf-8")
    return conf


def site_conf(root: Path, work: Path, ports: dict[str, int] | None = None) -> Path:
    """The installed site, reading its certificate and pages from ``root`` and logging into
    ``work``; with ``ports``, listening on 127.0.0.1 on them and proxying to the test's app."""
    text = (root / SITE).read_text(encoding="utf-8")
    text = replace_once(text, "/etc/kiosk/tls/", f"{root}/etc/kiosk/tls/")
    text = replace_once(text, "/opt/kiosk/share/nginx/", f"{root}/opt/kiosk/share/nginx/")
    text = replace_once(text, "/var/log/nginx/", f"{work}/logs/")
    if ports is not None:
        text = re.sub(r"^\s*listen \[::\]:.*\n", "", text, flags=re.M)
        text = replace_once(text, "listen 80", f"listen 127.0.0.1:{ports['http']}")
        text = replace_once(text, "listen 443", f"listen 127.0.0.1:{ports['https']}")
        text = replace_once(text, "server 127.0.0.1:8000;", f"server 127.0.0.1:{ports['app']};")
    site = work / "kiosk-central.conf"
    site.write_text(text, encoding="utf-8")
    return site


def test_nginx_accepts_the_installed_site(installed_server_root: Path, tmp_path: Path) -> None:
    need_nginx()
    conf = main_conf(tmp_path, site_conf(installed_server_root, tmp_path))
    done = subprocess.run([str(NGINX), "-t", "-q", "-c", str(conf), "-p", f"{tmp_path}/",
                           "-e", str(tmp_path / "logs/error.log")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_nginx_refuses_a_site_with_a_broken_certificate_path(
    installed_server_root: Path, tmp_path: Path
) -> None:
    """The check above can fail: the same site, its key gone."""
    need_nginx()
    site = site_conf(installed_server_root, tmp_path)
    site.write_text(site.read_text().replace("server.key;", "missing.key;"))
    done = subprocess.run([str(NGINX), "-t", "-q", "-c", str(main_conf(tmp_path, site)),
                           "-p", f"{tmp_path}/", "-e", str(tmp_path / "logs/error.log")],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "missing.key" in done.stderr


@dataclass
class Answer:
    code: int
    headers: dict[str, list[str]]
    body: str
    curl_exit: int


@dataclass
class Central:
    """nginx on two free ports in front of `kiosk run` in server mode."""

    root: Path
    ports: dict[str, int]
    app: subprocess.Popen[str]

    def curl(self, url: str, *args: str, name: str = NAME) -> Answer:
        """curl as a browser on the Internet would ask for ``name`` (resolved to nginx)."""
        port = self.ports["https" if url.startswith("https") else "http"]
        done = subprocess.run(
            ["curl", "-sS", "--max-time", "20", "--resolve", f"{name}:{port}:127.0.0.1",
             "--cacert", str(self.root / "etc/kiosk/tls/server.crt"), "-D", "-",
             "-w", "\n%{http_code}", *args, url.replace("PORT", str(port))],
            capture_output=True, text=True, timeout=30,
        )
        # text=True turns the "\r\n" of the headers into "\n".
        head, _, rest = done.stdout.partition("\n\n")
        body, _, code = rest.rpartition("\n")
        headers: dict[str, list[str]] = {}
        for line in head.splitlines()[1:]:
            key, _, value = line.partition(":")
            headers.setdefault(key.strip().lower(), []).append(value.strip())
        return Answer(int(code or 0), headers, body, done.returncode)

    def stop_app(self) -> None:
        self.app.send_signal(signal.SIGTERM)
        self.app.wait(timeout=30)


def socket_url(postgres_url: str) -> str:
    """The test's database, reached as the installed kiosk.toml reaches its own: by the local
    socket, with no password (postgresql://kiosk@/kiosk?host=/run/postgresql)."""
    if not (POSTGRES_SOCKET / ".s.PGSQL.5432").exists():
        pytest.fail(f"PostgreSQL has no local socket in {POSTGRES_SOCKET} (deploy/dev-postgres.sh)")
    return f"postgresql://postgres@/{postgres_url.rsplit('/', 1)[1]}?host={POSTGRES_SOCKET}"


@pytest.fixture
def central(installed_server_root: Path, tmp_path: Path, postgres_url: str) -> Iterator[Central]:
    need_nginx()
    root = installed_server_root
    ports = {"http": free_port(), "https": free_port(), "app": free_port()}
    env = kiosk_env(tmp_path / "data", {
        "KIOSK_CONFIG": str(root / "etc/kiosk/kiosk.toml"),
        "KIOSK_DATABASE_URL": socket_url(postgres_url),
        "KIOSK_BIND": f"127.0.0.1:{ports['app']}",
        "KIOSK_MODE": "server", "KIOSK_WORKERS": "2", "KIOSK_THREADS": "2",
        "KIOSK_SPEECH_ENABLED": "0",
    })
    subprocess.run([kiosk_command(), "db", "upgrade"], env=env, check=True,
                   capture_output=True, timeout=120)
    app = subprocess.Popen([kiosk_command(), "run"], env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
    conf = main_conf(tmp_path, site_conf(root, tmp_path, ports))
    nginx = subprocess.Popen([str(NGINX), "-c", str(conf), "-p", f"{tmp_path}/", "-e",
                              str(tmp_path / "logs/error.log"), "-g", "daemon off;"],
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    server = Central(root, ports, app)
    try:
        deadline = time.monotonic() + 90
        while server.curl("https://central.example.org:PORT/healthz").code != 200:
            if app.poll() is not None or nginx.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the central server did not answer through nginx:\n"
                            + (app.stdout.read() if app.poll() is not None and app.stdout
                               else "") + (tmp_path / "logs/error.log").read_text())
            time.sleep(0.3)
        yield server
    finally:
        for process in (nginx, app):
            stop_process(process)


def test_the_app_behind_nginx_knows_it_is_served_over_https(central: Central) -> None:
    if shutil.which("curl") is None:
        pytest.fail("curl is missing (deploy/dev-deps.sh)")
    health = central.curl("https://central.example.org:PORT/healthz")
    assert health.code == 200, health  # no redirect loop: gunicorn trusts nginx's header
    # The application's own headers, once each; nginx adds none and shows no version.
    assert len(health.headers["strict-transport-security"]) == 1
    assert len(health.headers["content-security-policy"]) == 1
    assert "frame-ancestors 'none'" in health.headers["content-security-policy"][0]
    assert health.headers["server"] == ["nginx"]
    login = central.curl("https://central.example.org:PORT/staff/login")
    assert login.code == 200
    assert "set-cookie" not in login.headers  # an anonymous page costs nothing (SECURITY 28)
    # The page still signs its form (a stateless token); the cookie's __Host-/Secure/HttpOnly
    # form is checked in tests/security/test_items_01_to_22_sessions_and_headers.py.
    assert 'name="csrf_token" value="' in login.body
    # A client that sends a scheme header of its own cannot confuse gunicorn (400 otherwise).
    spoofed = central.curl("https://central.example.org:PORT/healthz", "-H",
                           "X-Forwarded-Ssl: off", "-H", "X-Forwarded-Protocol: http")
    assert spoofed.code == 200


def test_plain_http_only_redirects_to_https(central: Central) -> None:
    answer = central.curl("http://central.example.org:PORT/staff/login?next=%2Fstaff%2F")
    assert answer.code == 301
    assert answer.headers["location"] == ["https://central.example.org/staff/login?next=%2Fstaff%2F"]


def test_another_name_gets_no_answer_and_no_certificate(central: Central) -> None:
    https = central.curl("https://other.example.org:PORT/healthz", "-k", name="other.example.org")
    assert https.curl_exit == 35 and https.code == 0  # the TLS handshake is refused
    http = central.curl("http://other.example.org:PORT/healthz", name="other.example.org")
    assert http.curl_exit == 52 and http.code == 0  # the connection closes without a reply


def test_a_request_too_big_gets_a_plain_page(central: Central, tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * (3 * 1024 * 1024))
    answer = central.curl("https://central.example.org:PORT/staff/login",
                          "--data-binary", f"@{big}")
    assert answer.code == 413
    assert "Ce que vous envoyez est trop gros." in answer.body
    assert "Rien n’a été enregistré." in answer.body
    (policy,) = answer.headers["content-security-policy"]
    assert policy.startswith("default-src 'none'; style-src 'sha256-")
    assert answer.headers["cache-control"] == ["no-store"]


@pytest.mark.parametrize("page", ["unavailable.html", "too-large.html"])
def test_the_error_pages_style_is_the_one_their_policy_allows(
    installed_server_root: Path, page: str
) -> None:
    """Else the browser drops the style without a word and the page shows in small print."""
    html = (installed_server_root / "opt/kiosk/share/nginx" / page).read_text(encoding="utf-8")
    (style,) = re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
    site = (installed_server_root / SITE).read_text(encoding="utf-8")
    (policy,) = re.findall(r'add_header Content-Security-Policy "([^"]+)" always;', site)
    assert f"style-src 'sha256-{digest}'" in policy
    assert "<script" not in html and " style=" not in html


def test_when_the_app_is_down_nginx_says_so_in_words(central: Central) -> None:
    central.stop_app()
    answer = central.curl("https://central.example.org:PORT/staff/")
    assert answer.code == 502
    assert "Le service ne répond pas pour le moment." in answer.body
    assert "Réessayez dans quelques minutes." in answer.body
    assert len(answer.headers["strict-transport-security"]) == 1
    assert answer.headers["x-frame-options"] == ["DENY"]
