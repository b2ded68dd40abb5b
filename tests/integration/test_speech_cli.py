"""`kiosk models install` and `kiosk speech prerender`, as the installer runs them."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from click.testing import CliRunner

from kiosk.cli.main import cli
from voice.models import GRAMMAR_GRAPH, REQUIRED_FILES, find_model


def model_archive(folder: Path, complete: bool = True) -> Path:
    """A zip shaped like vosk's downloads (one top folder), with every file vosk needs."""
    archive = folder / "vosk-model-small-fr-test.zip"
    names = [*REQUIRED_FILES, *GRAMMAR_GRAPH]
    with zipfile.ZipFile(archive, "w") as zipped:
        for name in names if complete else names[:3]:
            zipped.writestr(f"vosk-model-small-fr-test/{name}", b"x")
    return archive


def test_a_model_installs_from_the_configured_place_and_is_found(tmp_path: Path) -> None:
    archive = model_archive(tmp_path)
    env = {"KIOSK_DATA_DIR": str(tmp_path / "data"), "KIOSK_MODEL_DIR": str(tmp_path / "models"),
           "KIOSK_MODEL_URL_FR": archive.as_uri(),
           "KIOSK_MODEL_SHA256_FR": hashlib.sha256(archive.read_bytes()).hexdigest()}
    result = CliRunner().invoke(cli, ["models", "install", "fr"], env=env)
    assert result.exit_code == 0, result.output
    assert "fr: installed" in result.output
    assert find_model(tmp_path / "models", "fr").is_dir()


def test_a_wrong_checksum_or_a_broken_archive_changes_nothing(tmp_path: Path) -> None:
    good = model_archive(tmp_path)
    env = {"KIOSK_DATA_DIR": str(tmp_path / "data"), "KIOSK_MODEL_DIR": str(tmp_path / "models"),
           "KIOSK_MODEL_URL_FR": good.as_uri()}
    assert CliRunner().invoke(cli, ["models", "install", "fr"], env=env).exit_code == 0
    installed = find_model(tmp_path / "models", "fr").resolve()
    wrong = CliRunner().invoke(cli, ["models", "install", "fr"],
                               env={**env, "KIOSK_MODEL_SHA256_FR": "0" * 64})
    assert wrong.exit_code == 1 and "not installed" in wrong.output
    broken_dir = tmp_path / "broken"
    broken_dir.mkdir()
    broken = model_archive(broken_dir, complete=False)
    partial = CliRunner().invoke(cli, ["models", "install", "fr", "--url", broken.as_uri()],
                                 env=env)
    assert partial.exit_code == 1
    assert find_model(tmp_path / "models", "fr").resolve() == installed  # the old one stays


def test_prerender_renders_each_languages_welcome_screen(tmp_path: Path) -> None:
    env = {"KIOSK_DATA_DIR": str(tmp_path)}
    assert CliRunner().invoke(cli, ["db", "upgrade"], env=env).exit_code == 0
    result = CliRunner().invoke(cli, ["speech", "prerender"], env=env)
    assert result.exit_code == 0, result.output
    assert "fr: welcome screen rendered" in result.output
    assert "en: welcome screen rendered" in result.output
    assert "fr: 3 voice prompts rendered" in result.output  # "Pardon ?" and the like
    assert len(list((tmp_path / "speech").glob("*.wav"))) == 2 + 2 * 3
