"""Model folders: validation, vocabulary, and atomic installation from a local server."""

from __future__ import annotations

import hashlib
import http.server
import io
import tarfile
import threading
import zipfile
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from voice.errors import ChecksumMismatch, ModelInstallError, ModelInvalid, ModelNotFound
from voice.models import (
    GRAMMAR_GRAPH,
    REQUIRED_FILES,
    find_model,
    install_model,
    read_vocabulary,
    validate_model_dir,
)

MODEL_FILES = (*REQUIRED_FILES, *GRAMMAR_GRAPH)


def fake_model(root: Path, marker: str = "v1") -> Path:
    """A folder with every file vosk needs (contents do not matter to validation)."""
    for name in MODEL_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(marker)
    return root


def tarball(folder: Path, top: str = "vosk-model-small-fr-0.22") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        archive.add(folder, arcname=top)
    return buffer.getvalue()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """An HTTP server on 127.0.0.1 serving a folder, stopped after the test."""
    served = tmp_path / "served"
    served.mkdir()
    handler = partial(QuietHandler, directory=str(served))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", served
    httpd.shutdown()
    httpd.server_close()
    thread.join()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


def test_the_korean_model_is_complete(ko_model_path: Path) -> None:
    assert validate_model_dir(ko_model_path) == ()


def test_vocabulary_is_read_from_the_graph(ko_model_path: Path) -> None:
    words = read_vocabulary(ko_model_path)
    assert len(words) > 400_000
    assert {"네", "아니요", "오른쪽", "취소"} <= words
    assert "[unk]" not in words  # DESIGN.md: this model has no [unk]


def test_vocabulary_from_words_txt(tmp_path: Path) -> None:
    (tmp_path / "graph").mkdir()
    (tmp_path / "graph/words.txt").write_text("<eps> 0\noui 1\nrépéter 2\n[unk] 3\n")
    assert read_vocabulary(tmp_path) == {"<eps>", "oui", "répéter", "[unk]"}


def test_validation_names_what_is_missing(tmp_path: Path) -> None:
    model = fake_model(tmp_path / "m")
    (model / "ivector/final.ie").unlink()
    (model / "graph/HCLr.fst").unlink()
    problems = validate_model_dir(model)
    assert "missing ivector/final.ie" in problems and "missing graph/HCLr.fst" in problems
    (model / "graph/HCLG.fst").write_text("static")
    assert any("static graph only" in p for p in validate_model_dir(model))
    assert validate_model_dir(tmp_path / "nothing") == (f"{tmp_path / 'nothing'} is not a folder",)


def test_find_model(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound):
        find_model(tmp_path, "fr")
    fake_model(tmp_path / "vosk-model-small-fr-0.22")
    assert find_model(tmp_path, "fr") == (tmp_path / "vosk-model-small-fr-0.22").resolve()
    (tmp_path / "fr").mkdir()
    with pytest.raises(ModelInvalid):
        find_model(tmp_path, "fr")  # a broken fr/ is reported, not skipped


def test_install_over_http_with_checksum(tmp_path: Path, server: tuple[str, Path]) -> None:
    url, served = server
    data = tarball(fake_model(tmp_path / "build"))
    (served / "fr.tar.gz").write_bytes(data)
    dest = tmp_path / "models"
    installed = install_model("fr", f"{url}/fr.tar.gz", dest, hashlib.sha256(data).hexdigest())
    assert installed == dest / "fr"
    assert find_model(dest, "fr") == installed.resolve()
    assert (installed / "am/final.mdl").read_text() == "v1"
    assert [p.name for p in dest.iterdir() if p.name.startswith(".install")] == []


def test_a_failed_install_never_replaces_a_working_model(
    tmp_path: Path, server: tuple[str, Path]
) -> None:
    url, served = server
    dest = tmp_path / "models"
    good = tarball(fake_model(tmp_path / "v1", "v1"))
    (served / "good.tgz").write_bytes(good)
    install_model("fr", f"{url}/good.tgz", dest)

    newer = tarball(fake_model(tmp_path / "v2", "v2"))
    (served / "newer.tgz").write_bytes(newer)
    (served / "truncated.tgz").write_bytes(newer[: len(newer) // 2])
    broken_dir = fake_model(tmp_path / "broken")
    (broken_dir / "am/final.mdl").unlink()
    (served / "incomplete.tgz").write_bytes(tarball(broken_dir))

    attempts = [
        (f"{url}/newer.tgz", "0" * 64, ChecksumMismatch),
        (f"{url}/truncated.tgz", None, ModelInstallError),
        (f"{url}/incomplete.tgz", None, ModelInvalid),
        (f"{url}/missing.tgz", None, ModelInstallError),
    ]
    for source, digest, error in attempts:
        with pytest.raises(error):
            install_model("fr", source, dest, digest)
        assert (dest / "fr/am/final.mdl").read_text() == "v1"
    assert [p.name for p in dest.iterdir() if p.name.startswith(".install")] == []

    install_model("fr", f"{url}/newer.tgz", dest, hashlib.sha256(newer).hexdigest())
    assert (dest / "fr/am/final.mdl").read_text() == "v2"
    assert len(list((dest / ".versions").iterdir())) == 1  # the old version was removed


def test_install_from_a_zip_file_url(tmp_path: Path) -> None:
    model = fake_model(tmp_path / "build")
    archive = tmp_path / "model.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for path in model.rglob("*"):
            bundle.write(path, f"vosk-model-small-en-0.15/{path.relative_to(model)}")
    installed = install_model("en", archive.as_uri(), tmp_path / "models")
    assert validate_model_dir(installed) == ()


def test_install_refuses_paths_outside_the_folder(tmp_path: Path) -> None:
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("../../escaped.txt", "x")
    with pytest.raises(ModelInstallError):
        install_model("fr", archive.as_uri(), tmp_path / "models")
    assert not (tmp_path / "escaped.txt").exists()
    with pytest.raises(ValueError):
        install_model("../fr", archive.as_uri(), tmp_path / "models")


def test_install_replaces_a_folder_put_there_by_hand(tmp_path: Path) -> None:
    dest = tmp_path / "models"
    fake_model(dest / "fr", "by hand")
    archive = tmp_path / "m.tgz"
    archive.write_bytes(tarball(fake_model(tmp_path / "build", "v2")))
    install_model("fr", archive.as_uri(), dest)
    assert (dest / "fr/am/final.mdl").read_text() == "v2"
