"""The demo's printed paper: the simulated printer's jobs read back as text and a picture."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import segno
from PIL import Image

from peripherals.models import Ticket
from peripherals.serial_port import close_quietly, open_serial, write_all
from peripherals.sim import run
from peripherals.sim.paper import PrintsFolder, picture, read_job
from peripherals.ticket import render

GOLDEN = Path(__file__).parent / "golden" / "ticket_fr.escpos"
PAYLOAD = "https://kiosk.example/t/K74Q"


def qr_in(png: bytes, payload: str) -> bool:
    """Whether the picture holds, pixel for pixel, the QR code of ``payload``."""
    buffer = io.BytesIO()
    segno.make_qr(payload, error="l", boost_error=False).save(buffer, kind="png", scale=6, border=4)
    code = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    sheet = Image.open(io.BytesIO(png)).convert("L")
    wanted = code.tobytes()
    for y in range(sheet.height - code.height + 1):
        for x in range(sheet.width - code.width + 1):
            if sheet.getpixel((x + code.width // 2, y + 30)) != code.getpixel(
                (code.width // 2, 30)
            ):
                continue
            if sheet.crop((x, y, x + code.width, y + code.height)).tobytes() == wanted:
                return True
    return False


def test_a_ticket_reads_back_with_its_accents_its_code_and_its_qr_content() -> None:
    paper = read_job(GOLDEN.read_bytes())
    text = paper.text()
    assert "Saint-Étienne-de-Tinée" in text and "mardi douze mars à quatorze heures trente" in text
    assert "K7 4Q" in text
    assert f"[QR: {PAYLOAD}]" in text
    assert "Rendez-vous avec le Dr Hélène Lefèvre -" in text  # CP858 has no en dash
    assert paper.cut
    big = next(line for line in paper.lines if line.text == "K7 4Q")
    assert (big.bold, big.width, big.height, big.align) == (True, 3, 3, "center")


def test_the_picture_shows_the_qr_code_that_was_sent() -> None:
    png = picture(read_job(GOLDEN.read_bytes()))
    assert png.startswith(b"\x89PNG")
    assert qr_in(png, PAYLOAD)
    assert not qr_in(png, PAYLOAD + "X")


def test_the_simulated_printer_hands_over_each_job_when_it_is_cut(
    tmp_path: Path, wait_until: Callable[..., bool]
) -> None:
    written: list[Path] = []
    folder = PrintsFolder(tmp_path / "prints")
    printer = run("printer", on_print=lambda job: written.append(folder(job)))
    port = open_serial(printer.url)
    try:
        first = render(Ticket("Mairie", "lundi", "AB12", "AB12"))
        second = render(Ticket("Mairie", "mardi", "CD34", "CD34"))
        half = len(first) - 1  # the cut arrives in two pieces
        write_all(port, first[:half])
        assert not wait_until(lambda: written, timeout=0.5)  # no cut, no print yet
        write_all(port, first[half:] + second)
        assert wait_until(lambda: len(written) == 2, timeout=10), written
    finally:
        close_quietly(port)
        printer.stop()
    assert "AB12" in written[0].read_text(encoding="utf-8")
    assert "CD34" in written[1].read_text(encoding="utf-8")
    assert qr_in(written[1].with_suffix(".png").read_bytes(), "CD34")
    assert sorted(p.suffix for p in (tmp_path / "prints").iterdir()) == [
        ".png", ".png", ".txt", ".txt"]
