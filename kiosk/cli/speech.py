"""`kiosk models install` and `kiosk speech prerender`: speech set up at install time, never at
run time (DESIGN.md "Speech")."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from kiosk.speech.answers import prerender_prompts
from kiosk.visit import state as visit_state
from voice.errors import ModelError, SpeechError


@click.group("models")
def models_group() -> None:
    """Speech-recognition models (vosk)."""


@models_group.command("install")
@click.argument("languages", nargs=-1, required=True)
@click.option("--url", default=None, help="download from here instead of the configured URL")
@with_appcontext
def models_install(languages: tuple[str, ...], url: str | None) -> None:
    """Download, check and install the vosk model of each language, atomically."""
    from voice.models import install_model

    settings = current_app.config["KIOSK"]
    failed = False
    for lang in languages:
        source = url or settings.get(f"model_url_{lang}")
        if not source:
            click.echo(f"  {lang}: no model URL is configured (setting model_url_{lang})")
            failed = True
            continue
        try:
            path = install_model(lang, source, Path(settings["model_dir"]),
                                 settings.get(f"model_sha256_{lang}") or None)
        except (ModelError, OSError, ValueError) as exc:
            click.echo(f"  {lang}: not installed: {exc}")
            failed = True
            continue
        click.echo(f"  {lang}: installed in {path}")
    if failed:
        raise SystemExit(1)


@click.group("speech")
def speech_group() -> None:
    """Speech synthesis (espeak-ng)."""


@speech_group.command("prerender")
@with_appcontext
def speech_prerender() -> None:
    """Render ahead of time what every visit hears first: each language's welcome screen."""
    from voice.tts import TtsService

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    settings = app.config["KIOSK"]
    tts = TtsService(Path(settings["data_dir"]) / "speech")
    app.extensions["kiosk_tts"] = tts
    try:
        tts.start()
        for lang in settings["languages"]:
            # The welcome screen exactly as a visit in this language gets it.
            with app.test_request_context("/", base_url=f"http://{settings['trusted_hosts'][0]}"):
                visit_state.update(lang=lang)
                page = app.full_dispatch_request().get_data(as_text=True)
            source = page.split('id="speech" data-src="', 1)[1].split('"', 1)[0]
            state = "rendered" if source.startswith("/speech/") else "not rendered"
            click.echo(f"  {lang}: welcome screen {state}")
            if not source:
                raise SystemExit(1)
            # The voice dialogue's fixed prompts ("Pardon ?", the timeout warning).
            with app.test_request_context("/"):
                visit_state.update(lang=lang)
                click.echo(f"  {lang}: {prerender_prompts()} voice prompts rendered")
    except SpeechError as exc:
        raise click.ClickException(f"speech unavailable: {exc}") from exc
    finally:
        app.extensions.pop("kiosk_tts", None)
        tts.close()
