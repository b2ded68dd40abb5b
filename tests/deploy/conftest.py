"""Fixtures for the install script's tests: a wheel of the kiosk, installs into temporary roots.

Every install here uses ``--root`` (files only, no users, packages or services), the wheel built
once per session and ``--no-deps``, so one install takes a few seconds and needs no network.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
INSTALL = DEPLOY / "install.sh"
VIDEO_SERVER = "https://visio.example.org"
SERVER_NAME = "central.example.org"
# A central server for a trial: its own certificate.
SERVER_ARGS = ("--server", "--server-name", SERVER_NAME, "--self-signed")


def snapshot(root: Path, *, times: bool = False) -> dict[str, tuple[object, ...]]:
    """Every path under ``root``: its type, mode, and content hash or link target (and mtime)."""
    tree: dict[str, tuple[object, ...]] = {}
    for path in [root, *sorted(root.rglob("*"))]:
        info = path.lstat()
        mode = stat.S_IMODE(info.st_mode)
        if stat.S_ISLNK(info.st_mode):
            entry: tuple[object, ...] = ("link", os.readlink(path))
        elif stat.S_ISDIR(info.st_mode):
            entry = ("dir", mode)
        else:
            entry = ("file", mode, hashlib.sha256(path.read_bytes()).hexdigest())
        if times:
            entry += (info.st_mtime_ns,)
        tree[str(path.relative_to(root))] = entry
    return tree


def copy_root(source: Path, dest: Path) -> Path:
    """A copy of an installed root, modes and links kept, for a test that changes it.

    The virtual environment's files, which neither the tests nor a second install touch, are
    hard links: copying them would take most of these tests' time.
    """

    def copy(src: str, dst: str) -> object:
        if "/opt/kiosk/venv/" in src:
            os.link(src, dst)
            return dst
        return shutil.copy2(src, dst)

    shutil.copytree(source, dest, symlinks=True, copy_function=copy)
    return dest


def debian_nginx(root: Path) -> None:
    """Debian's nginx as the package leaves it: its welcome site, enabled."""
    available = root / "etc/nginx/sites-available"
    enabled = root / "etc/nginx/sites-enabled"
    available.mkdir(parents=True)
    enabled.mkdir(parents=True)
    (available / "default").write_text("server {\n    listen 80 default_server;\n}\n")
    (enabled / "default").symlink_to("/etc/nginx/sites-available/default")


@dataclass(frozen=True)
class Installer:
    """Runs deploy/install.sh into temporary roots; the tests' tools come with it."""

    wheel: Path
    script = INSTALL
    deploy = DEPLOY
    video_server = VIDEO_SERVER
    server_name = SERVER_NAME
    server_args = SERVER_ARGS
    snapshot = staticmethod(snapshot)
    copy_root = staticmethod(copy_root)
    debian_nginx = staticmethod(debian_nginx)

    def run(
        self, root: Path, *args: str, check: bool = True, with_app: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """install.sh into ``root``; a unit install also names the test's video server."""
        argv = ["sh", str(INSTALL), "--root", str(root), *args]
        if with_app:
            argv += ["--wheel", str(self.wheel), "--no-deps"]
            if "--server" not in args:
                argv += ["--video-server", VIDEO_SERVER]
        env = dict(os.environ, PYTHON=sys.executable, KIOSK_VIDEO_SERVERS="")
        env.pop("DESTDIR", None)
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
        if check and done.returncode != 0:
            pytest.fail(f"install.sh {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done


@pytest.fixture(scope="session")
def kiosk_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A wheel of the kiosk, built from a copy of the source (the checkout stays untouched)."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    source.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("kiosk", "voice", "peripherals", "templates"):
        shutil.copytree(REPO / name, source / name, symlinks=True, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--disable-pip-version-check", "--wheel-dir", str(work / "dist"),
         str(source)],
        check=True, capture_output=True, timeout=120,
    )
    (wheel,) = (work / "dist").glob("kiosk-*.whl")
    return wheel


@pytest.fixture(scope="session")
def installer(kiosk_wheel: Path) -> Installer:
    return Installer(kiosk_wheel)


@pytest.fixture(scope="session")
def installed_root(installer: Installer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One install into a temporary root, shared by the tests that only read it."""
    root = tmp_path_factory.mktemp("installed") / "root"
    root.mkdir()
    installer.run(root)
    return root


@pytest.fixture
def scratch_root(installed_root: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the installed root."""
    yield copy_root(installed_root, tmp_path / "root")


@pytest.fixture(scope="session")
def installed_server_root(installer: Installer, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One central server install into a temporary root that has Debian's nginx files."""
    root = tmp_path_factory.mktemp("installed-server") / "root"
    root.mkdir()
    debian_nginx(root)
    installer.run(root, *SERVER_ARGS)
    return root


@pytest.fixture
def scratch_server_root(installed_server_root: Path, tmp_path: Path) -> Iterator[Path]:
    """A private copy of the installed central server."""
    yield copy_root(installed_server_root, tmp_path / "root")
