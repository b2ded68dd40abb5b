"""deploy/install.sh into a temporary root: every file in place with its mode, a dry run that
changes nothing, a second run that changes nothing, and an uninstall that removes it all."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from deploy_support import APP_MODES, actions, laid_out

from kiosk.core.config import SETTINGS, load_config

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
INSTALL = DEPLOY / "install.sh"

UNITS = ("kiosk-web.service", "kiosk-browser.service", "kiosk-purge.service", "kiosk-purge.timer")
SECRETS = ("var/lib/kiosk/secret_key", "var/lib/kiosk/keys/fields.key", "var/lib/kiosk/admin.token")

# Every path the install lays out (the virtual environment's own files aside), with its mode.
EXPECTED_MODES = {
    **APP_MODES,
    "var/lib/kiosk/models": 0o750,
    **{secret: 0o600 for secret in SECRETS},
    "etc/udev": 0o755,
    "etc/udev/rules.d": 0o755,
    "etc/udev/rules.d/99-kiosk.rules": 0o644,
    "etc/chromium": 0o755,
    "etc/chromium/policies": 0o755,
    "etc/chromium/policies/managed": 0o755,
    "etc/chromium/policies/managed/kiosk.json": 0o644,
    "etc/pam.d": 0o755,
    "etc/pam.d/kiosk-browser": 0o644,
    **{f"etc/systemd/system/{unit}": 0o644 for unit in UNITS},
}
# Installed as they are in the source tree.
COPIED = {
    "opt/kiosk/bin/kiosk-wait-healthy": DEPLOY / "kiosk-wait-healthy.sh",
    "etc/udev/rules.d/99-kiosk.rules": DEPLOY / "udev/99-kiosk.rules",
    "etc/pam.d/kiosk-browser": DEPLOY / "pam/kiosk-browser",
    **{f"etc/systemd/system/{unit}": DEPLOY / "systemd" / unit for unit in UNITS},
}


def test_every_file_is_in_place_with_its_mode(installed_root: Path) -> None:
    assert laid_out(installed_root) == set(EXPECTED_MODES) | {"usr/local/bin/kiosk"}
    for name, mode in EXPECTED_MODES.items():
        actual = (installed_root / name).lstat().st_mode & 0o7777
        assert actual == mode, f"{name} has mode {actual:o}, not {mode:o}"
    for name, source in COPIED.items():
        assert (installed_root / name).read_bytes() == source.read_bytes(), name
    link = installed_root / "usr/local/bin/kiosk"
    assert os.readlink(link) == "/opt/kiosk/venv/bin/kiosk"


def test_the_app_is_in_its_virtual_environment(installed_root: Path) -> None:
    venv = installed_root / "opt/kiosk/venv"
    assert os.access(venv / "bin/kiosk", os.X_OK)
    assert "kiosk.cli" in (venv / "bin/kiosk").read_text(encoding="utf-8")
    (config_module,) = venv.glob("lib/python3*/site-packages/kiosk/core/config.py")
    assert "SETTINGS" in config_module.read_text(encoding="utf-8")
    stamp = (installed_root / "opt/kiosk/installed-from").read_text(encoding="ascii")
    assert stamp.startswith("no-deps wheel ")


def test_the_config_lists_every_setting_and_points_at_the_unit_folders(
    installed_root: Path,
) -> None:
    config = installed_root / "etc/kiosk/kiosk.toml"
    text = config.read_text(encoding="utf-8")
    assert text == (installed_root / "opt/kiosk/share/kiosk.toml.example").read_text("utf-8")
    for setting in SETTINGS:
        assert f"# {setting.help}\n" in text, setting.name
        assert f"Environment: {setting.env_name}" in text, setting.name
    assert tomllib.loads(text)["kiosk"] == {
        "mode": "unit",
        "data_dir": "/var/lib/kiosk",
        "model_dir": "/var/lib/kiosk/models",
    }
    loaded = load_config(config_file=config, environ={})
    assert loaded["data_dir"] == "/var/lib/kiosk"
    assert loaded.sources["data_dir"] == f"file {config}"


def test_the_secrets_are_random_and_in_the_form_the_kiosk_reads(installed_root: Path) -> None:
    values = [(installed_root / name).read_text(encoding="ascii").strip() for name in SECRETS]
    assert len(set(values)) == 3
    assert all(len(value) >= 40 for value in values)
    Fernet(values[1].encode())  # kiosk/security/vault.py reads one Fernet key per line


def test_the_installed_policy_allows_the_video_server(installer: Any, installed_root: Path) -> None:
    policy = json.loads(
        (installed_root / "etc/chromium/policies/managed/kiosk.json").read_text(encoding="utf-8")
    )
    assert policy["URLAllowlist"] == ["http://127.0.0.1:8000", installer.video_server]
    assert policy["VideoCaptureAllowedUrls"] == ["http://127.0.0.1:8000"]


def test_a_dry_run_prints_every_action_and_changes_nothing(
    installer: Any, tmp_path: Path
) -> None:
    root = tmp_path / "root"
    root.mkdir()
    before = installer.snapshot(root, times=True)
    done = installer.run(root, "--dry-run")
    assert installer.snapshot(root, times=True) == before
    printed = "\n".join(actions(done.stdout))
    for name in EXPECTED_MODES:
        if "." in Path(name).name or name.startswith("var/lib/kiosk/"):
            assert f"{root}/{name}" in printed, f"the dry run does not mention {name}"
    assert "-m venv" in printed and "pip" in printed
    assert "Dry run: nothing was changed." in done.stdout


def test_a_dry_run_on_an_installed_root_changes_nothing(
    installer: Any, scratch_root: Path
) -> None:
    before = installer.snapshot(scratch_root, times=True)
    done = installer.run(scratch_root, "--dry-run")
    assert installer.snapshot(scratch_root, times=True) == before
    assert actions(done.stdout) == []
    uninstall = installer.run(scratch_root, "--uninstall", "--purge", "--dry-run", with_app=False)
    assert installer.snapshot(scratch_root, times=True) == before
    assert any("rm -rf" in line for line in actions(uninstall.stdout))


def test_installing_twice_gives_the_same_tree(installer: Any, scratch_root: Path) -> None:
    before = installer.snapshot(scratch_root)
    done = installer.run(scratch_root)
    assert actions(done.stdout) == []
    assert installer.snapshot(scratch_root) == before


def test_a_second_run_repairs_modes_and_keeps_secrets_and_an_edited_config(
    installer: Any, scratch_root: Path
) -> None:
    secret = scratch_root / "var/lib/kiosk/secret_key"
    key = secret.read_text()
    secret.chmod(0o644)
    config = scratch_root / "etc/kiosk/kiosk.toml"
    edited = config.read_text(encoding="utf-8") + '\nsite_name = "Pharmacie du Centre"\n'
    config.write_text(edited, encoding="utf-8")
    (scratch_root / "etc/systemd/system/kiosk-web.service").write_text("[Unit]\n")
    done = installer.run(scratch_root)
    assert secret.stat().st_mode & 0o777 == 0o600
    assert secret.read_text() == key
    assert config.read_text(encoding="utf-8") == edited
    assert "kept your /etc/kiosk/kiosk.toml" in done.stdout
    unit = DEPLOY / "systemd/kiosk-web.service"
    assert (scratch_root / "etc/systemd/system/kiosk-web.service").read_bytes() == unit.read_bytes()


def test_uninstall_keeps_config_and_data_and_purge_removes_everything(
    installer: Any, scratch_root: Path
) -> None:
    root = scratch_root  # a copy of an install into an empty folder
    installer.run(root, "--uninstall", with_app=False)
    assert laid_out(root) == {
        "etc", "etc/kiosk", "etc/kiosk/kiosk.toml",
        "var", "var/lib", "var/lib/kiosk", "var/lib/kiosk/models", "var/lib/kiosk/keys",
        *SECRETS,
    }
    again = installer.run(root, "--uninstall", with_app=False)
    assert actions(again.stdout) == []
    installer.run(root, "--uninstall", "--purge", with_app=False)
    assert list(root.iterdir()) == []


def test_bad_options_stop_before_any_change(installer: Any, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    bad = (["--purge"], ["--bogus"], ["--video-server", "*"], ["--video-server", "javascript:x()"])
    for args in bad:
        done = installer.run(root, *args, check=False)
        assert done.returncode != 0, args
        assert done.stderr.strip(), args
        assert list(root.iterdir()) == [], args


AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


def python_for_nobody() -> str:
    """A Python 3.11+ with venv that the nobody user may run (the development one may sit
    under /root): Debian's own first."""
    for python in ("/usr/bin/python3", sys.executable):
        probe = subprocess.run(
            [*AS_NOBODY, python, "-c",
             "import sys, venv, ensurepip; sys.exit(sys.version_info < (3, 11))"],
            capture_output=True, timeout=60,
        )
        if probe.returncode == 0:
            return python
    raise AssertionError("no Python with venv that nobody may run: install python3-venv")


def test_the_file_layout_needs_no_root_rights(installer: Any, tmp_path: Path) -> None:
    """As an unprivileged user (nobody, when the tests run as root), the install succeeds."""
    if os.geteuid() != 0:
        root = tmp_path / "root"
        root.mkdir()
        installer.run(root)
        assert laid_out(root) == set(EXPECTED_MODES) | {"usr/local/bin/kiosk"}
        return
    # pytest's temporary folders are root's alone: work in a folder nobody can reach, with
    # Debian's python3 (the development one lives under /root).
    work = Path(tempfile.mkdtemp(prefix="kiosk-install-test-", dir="/tmp"))
    try:
        work.chmod(0o755)
        wheel = Path(shutil.copy2(installer.wheel, work))
        root = work / "root"
        root.mkdir(mode=0o777)
        root.chmod(0o777)
        env = dict(os.environ, PYTHON=python_for_nobody(), KIOSK_VIDEO_SERVERS="", HOME=str(root))
        done = subprocess.run(
            [*AS_NOBODY, "sh", str(INSTALL), "--root", str(root), "--wheel", str(wheel),
             "--no-deps"],
            env=env, capture_output=True, text=True, timeout=120, cwd=work,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        assert (root / "etc/kiosk/kiosk.toml").stat().st_uid == 65534
        assert laid_out(root) == set(EXPECTED_MODES) | {"usr/local/bin/kiosk"}
        for name, mode in EXPECTED_MODES.items():
            assert (root / name).lstat().st_mode & 0o7777 == mode, name
    finally:
        shutil.rmtree(work)


def test_help_describes_the_options() -> None:
    done = subprocess.run(["sh", str(INSTALL), "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    for option in ("--dry-run", "--uninstall", "--purge", "--root", "--wheel", "--video-server"):
        assert option in done.stdout


def test_a_copied_root_is_still_up_to_date(
    installer: Any, installed_root: Path, tmp_path: Path
) -> None:
    """The stamp, not the venv's absolute paths, decides whether the app is reinstalled."""
    root = installer.copy_root(installed_root, tmp_path / "elsewhere")
    done = installer.run(root, "--dry-run")
    assert "the kiosk package is up to date" in done.stdout


def test_a_normal_install_after_a_no_deps_one_brings_the_dependencies(
    installer: Any, scratch_root: Path
) -> None:
    done = installer.run(
        scratch_root, "--dry-run", "--wheel", str(installer.wheel),
        "--video-server", installer.video_server, with_app=False,
    )
    pip = [line for line in actions(done.stdout) if " -m pip " in line]
    assert len(pip) == 2, done.stdout
    assert "--no-deps" not in pip[0] and "--force-reinstall" in pip[1]
