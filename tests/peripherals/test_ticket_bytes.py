"""The ticket's exact ESC/POS bytes, against a golden file and against DEVICES.md §5/§10."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from peripherals.models import Ticket
from peripherals.ticket import printable, render, render_ticket

GOLDEN = Path(__file__).parent / "golden" / "ticket_fr.escpos"
TICKET = Ticket(
    site="Maison France Services de Saint-Étienne-de-Tinée",
    when="mardi douze mars à quatorze heures trente",
    code="K7 4Q",
    qr_payload="https://kiosk.example/t/K74Q",
    lines=(
        "Présentez ce ticket à l'accueil, ou scannez-le à la borne.",
        "Rendez-vous avec le Dr Hélène Lefèvre – téléconsultation.",
    ),
)

INIT = b"\x1b\x40"
CP858 = b"\x1b\x74\x13"
CENTER = b"\x1b\x61\x01"
QR_MODEL_2 = bytes.fromhex("1d286b040031413200")
QR_SIZE_6 = bytes.fromhex("1d286b0300314306")
QR_PRINT = bytes.fromhex("1d286b0300315130")
CUT = bytes.fromhex("1b6406 1d5600")


@pytest.fixture
def ticket_bytes() -> bytes:
    return render(TICKET)


def test_matches_the_golden_file(ticket_bytes: bytes) -> None:
    if os.environ.get("UPDATE_GOLDEN") == "1":  # regenerate after a deliberate layout change
        GOLDEN.write_bytes(ticket_bytes)
    assert ticket_bytes == GOLDEN.read_bytes()


def test_starts_with_init_then_the_french_code_page(ticket_bytes: bytes) -> None:
    assert ticket_bytes.startswith(INIT + CP858)
    assert ticket_bytes.count(b"\x1b\x74") == 1  # no automatic code-page switching mid-line


def test_accents_are_encoded_in_cp858(ticket_bytes: bytes) -> None:
    assert "Étienne".encode("cp858") in ticket_bytes
    assert "à quatorze".encode("cp858") in ticket_bytes
    assert "Hélène Lefèvre".encode("cp858") in ticket_bytes
    assert b"?" not in ticket_bytes.split(QR_PRINT)[1]  # the en dash became "-", not "?"


def test_native_qr_is_centred_and_carries_the_payload(ticket_bytes: bytes) -> None:
    payload = TICKET.qr_payload.encode()
    store = bytes([0x1D, 0x28, 0x6B, len(payload) + 3, 0x00, 0x31, 0x50, 0x30]) + payload
    qr_at = ticket_bytes.index(QR_MODEL_2)
    assert ticket_bytes.rfind(CENTER, 0, qr_at) > ticket_bytes.rfind(b"\x1b\x61\x00", 0, qr_at)
    assert QR_SIZE_6 in ticket_bytes
    assert ticket_bytes.index(store) < ticket_bytes.index(QR_PRINT)


def test_code_is_printed_large(ticket_bytes: bytes) -> None:
    large = b"\x1d\x21\x22"  # GS ! : triple width and height
    assert ticket_bytes.index(large) < ticket_bytes.index(b"K7 4Q")


def test_ends_with_feed_and_full_cut(ticket_bytes: bytes) -> None:
    assert ticket_bytes.endswith(CUT)


def test_long_lines_are_wrapped_to_the_paper_width() -> None:
    data = render_ticket("Site", "lundi", "A1", "x", ["mot " * 40])
    body = data.split(QR_PRINT)[1]
    assert all(len(line) <= 42 for line in body.split(b"\n"))


def test_typography_missing_from_cp858_is_made_plain() -> None:
    assert printable("l’heure — « oui »… cœur") == "l'heure - « oui »... coeur"
