"""Self-tests staff run from ``kiosk devices test``, and the printer's health verdict.

Summaries are plain French and carry no personal data: the card test says how
many beneficiaries it read, never who.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peripherals.device_worker import Verdict
from peripherals.errors import (
    CoverOpen,
    DeviceNotConfigured,
    DeviceUnavailable,
    OutOfPaper,
    PeripheralError,
    PrinterOffline,
)
from peripherals.interfaces import CardReader, TicketPrinter
from peripherals.models import PrinterStatus, SelfTestResult, Ticket

if TYPE_CHECKING:
    from peripherals.manager import DeviceManager

SCANNER_WAIT = 5.0
TEST_TICKET = Ticket(
    site="Test de l'imprimante",
    when="Ticket de test",
    code="TEST",
    qr_payload="kiosk:self-test",
    lines=("Accents : é è à ç ù ê ô € « »",),
)


def printer_verdict(status: PrinterStatus) -> Verdict:
    """Health of a printer from its status; silence is "unknown", never "ok"."""
    state = status.state
    if state == "ok":
        return None
    if state == "paper_low":
        return ("ok", "Le papier va bientôt manquer.")
    if state == "out_of_paper":
        return ("unavailable", OutOfPaper.user_message)
    if state == "offline":
        return ("unavailable", (CoverOpen if status.cover_open else PrinterOffline).user_message)
    return ("unknown", "L'imprimante ne répond pas quand on lui demande son état.")


def _card_check(reader: CardReader) -> SelfTestResult:
    name = reader.reader_name
    if not reader.card_present():
        return SelfTestResult("card", True, f"Lecteur « {name} » prêt. Aucune carte insérée.")
    count = len(reader.read().beneficiaries)
    return SelfTestResult(
        "card", True, f"Lecteur « {name} » prêt. Carte Vitale lue : {count} bénéficiaire(s)."
    )


def _printer_check(printer: TicketPrinter) -> SelfTestResult:
    status = printer.print_ticket(TEST_TICKET)
    if status.ok:
        note = " Le papier va bientôt manquer." if status.paper == "low" else ""
        return SelfTestResult("printer", True, "Ticket de test imprimé." + note)
    return SelfTestResult(
        "printer",
        False,
        "Ticket de test envoyé, mais l'imprimante ne donne pas son état : "
        "vérifiez qu'il est bien sorti.",
    )


def run_self_test(manager: DeviceManager, kind: str, timeout: float | None) -> SelfTestResult:
    """Run the self-test of ``kind`` through the manager (so it obeys deadlines)."""
    if kind not in manager.workers:
        return SelfTestResult(kind, False, DeviceNotConfigured.user_message)
    try:
        if kind == "bp":
            reading = manager.measure_bp(deadline=timeout)
            return SelfTestResult("bp", True, reading.summary(), reading)
        if kind == "card":
            return manager.run_on("card", _card_check, timeout)
        if kind == "printer":
            return manager.run_on("printer", _printer_check, timeout)
        health = manager.health()["scanner"]
        if health.state != "ok":
            return SelfTestResult("scanner", False, health.error or DeviceUnavailable.user_message)
        code = manager.wait_for_code(SCANNER_WAIT if timeout is None else timeout)
        seen = f" Code lu : {code}" if code else " (aucun code scanné pendant le test)"
        return SelfTestResult("scanner", True, "Scanner prêt." + seen)
    except PeripheralError as exc:
        return SelfTestResult(kind, False, f"{exc.user_message} ({exc})")
