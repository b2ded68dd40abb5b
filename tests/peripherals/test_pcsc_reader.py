"""The card reader through a real pcscd and the vpcd virtual reader (started by conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from processes import listening_addresses, net_namespace, process_tree
from smartcard import scard

from peripherals.errors import CardRemoved, InvalidNir, NoCard, NoReader, NotAVitaleCard
from peripherals.pcsc import PcscCardReader, PcscTiming, list_readers
from peripherals.sim import CardSimulator, run
from peripherals.sim.pcscd import PrivatePcscd

FAST = PcscTiming(retry_delay=0.02, removal_grace=3.0)


@pytest.fixture
def reader(pcscd: str) -> Iterator[PcscCardReader]:
    with PcscCardReader(pcscd, timing=FAST) as opened:
        yield opened


@pytest.fixture
def card(
    pcscd: str,
    virtual_readers: PrivatePcscd,
    card_slot: int,
    reader: PcscCardReader,
    wait_until: Callable[..., bool],
) -> Iterator[Callable[[str], CardSimulator]]:
    """``card(scenario)`` puts a simulated card in the test reader and waits until pcscd sees it."""
    sims: list[CardSimulator] = []

    def insert(scenario: str) -> CardSimulator:
        sim = run("card", scenario, readers=virtual_readers, slot=card_slot)
        assert isinstance(sim, CardSimulator)
        sims.append(sim)
        assert sim.url == pcscd
        assert wait_until(reader.card_present, timeout=10), "pcscd never saw the card"
        return sim

    yield insert
    for sim in sims:
        sim.stop()
    # Leave the reader empty for the next test.
    assert wait_until(lambda: not reader.card_present(), timeout=10)


def test_virtual_readers_are_listed(pcscd: str) -> None:
    assert pcscd in list_readers()


def test_reads_one_beneficiary(
    card: Callable[[str], CardSimulator], reader: PcscCardReader
) -> None:
    card("normal")
    (holder,) = reader.read().beneficiaries
    assert holder.surname == "DUPONT" and holder.first_name == "ANDRÉ"
    assert len(holder.nir) == 15


def test_reads_every_beneficiary(
    card: Callable[[str], CardSimulator], reader: PcscCardReader
) -> None:
    card("family")
    holders = reader.read().beneficiaries
    assert [h.first_name for h in holders] == ["JEANNE", "LÉA", "HUGO"]


def test_corsican_nir(card: Callable[[str], CardSimulator], reader: PcscCardReader) -> None:
    card("corsican")
    assert reader.read().beneficiaries[0].nir == "253072B07300470"


def test_bad_nir_key(card: Callable[[str], CardSimulator], reader: PcscCardReader) -> None:
    card("bad_key")
    with pytest.raises(InvalidNir):
        reader.read()


def test_wrong_card(card: Callable[[str], CardSimulator], reader: PcscCardReader) -> None:
    card("not_vitale")
    with pytest.raises(NotAVitaleCard) as caught:
        reader.read()
    assert caught.value.user_message == "Cette carte n'est pas une carte Vitale."


def test_card_pulled_out_mid_read(
    card: Callable[[str], CardSimulator], reader: PcscCardReader
) -> None:
    sim = card("pulled_out")
    with pytest.raises(CardRemoved):
        reader.read()
    assert len(sim.card.card.commands) == 3  # it went after the master file, as scripted


def test_empty_reader(reader: PcscCardReader) -> None:
    assert not reader.card_present()
    with pytest.raises(NoCard):
        reader.read()


def test_auto_picks_a_reader_pcscd_lists(pcscd: str) -> None:
    with PcscCardReader("auto") as auto:
        assert auto.reader_name in list_readers()


def test_unknown_reader_name(pcscd: str) -> None:
    with pytest.raises(NoReader, match="not found"):
        PcscCardReader("Lecteur qui n'existe pas").open()


def test_pcscd_down_is_no_reader() -> None:
    """Pointed at a socket where no pcscd listens, both entry points say NoReader."""
    script = textwrap.dedent(
        """
        from peripherals.errors import NoReader
        from peripherals.pcsc import PcscCardReader, list_readers
        for attempt in (list_readers, lambda: PcscCardReader("auto").open()):
            try:
                attempt()
            except NoReader as exc:
                print("NoReader:", exc.user_message)
        """
    )
    env = dict(os.environ, PCSCLITE_CSOCK_NAME="/nonexistent/pcscd.comm")
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("NoReader: Le lecteur de carte est indisponible.") == 2


def test_a_flaky_transmit_is_retried(
    card: Callable[[str], CardSimulator],
    reader: PcscCardReader,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    card("normal")
    real_transmit = scard.SCardTransmit
    failures = iter([scard.SCARD_F_COMM_ERROR, scard.SCARD_E_NOT_TRANSACTED])
    calls: list[int] = []

    def flaky(handle: int, pci: int, apdu: list[int]) -> tuple[int, list[int]]:
        calls.append(len(apdu))
        failure = next(failures, None)  # the first two attempts fail, like a worn contact
        if failure is not None:
            return failure, []
        return real_transmit(handle, pci, apdu)

    monkeypatch.setattr(scard, "SCardTransmit", flaky)
    (holder,) = reader.read().beneficiaries
    assert holder.surname == "DUPONT"
    assert len(calls) == 7 + 2  # the seven commands of the sequence, two of them retried


def test_the_virtual_reader_listens_on_no_network_of_this_machine(
    virtual_readers: PrivatePcscd,
) -> None:
    """vpcd listens on all interfaces (issue 13): our pcscd holds it in a network namespace of
    its own, whose only interface is its own loopback, and answers on a Unix socket."""
    helper = virtual_readers.process.pid
    tree = process_tree(helper)
    pcscd = [p for p in tree if Path(f"/proc/{p}/comm").read_text().strip() == "kiosk-pcscd"]
    assert len(pcscd) == 1
    assert net_namespace(pcscd[0]) != net_namespace(os.getpid())
    assert listening_addresses(tree) == []  # nothing in this machine's network
    assert virtual_readers.socket_path.is_socket()
