"""The Carte Vitale read sequence and T=0 handling, without pcscd (pure APDU level)."""

from __future__ import annotations

import datetime as dt

import pytest

from peripherals import apdu, vitale
from peripherals.errors import CardUnreadable, InvalidNir, NotAVitaleCard
from peripherals.sim.vitale_card import IDENTITIES, SimBeneficiary, VitaleCard, with_key


def test_read_sequence_sends_exactly_the_documented_commands() -> None:
    card = VitaleCard(IDENTITIES["normal"])
    vitale.read_card(card.transmit)
    sent = [command.hex() for command in card.commands]
    assert sent[0] == "00a40000023f00"  # select the master file
    assert sent[1] == "00b0820000"  # read short file 2, Le = 256
    assert sent[2].startswith("00b08200") and sent[2] != "00b0820000"  # 6Cxx: resent with Le
    assert sent[3] == "00a404000bd250000002564954414c45"  # select VITALE
    assert sent[4] == "00c000000f"  # 61 0F: GET RESPONSE
    assert sent[5] == "00b0820000" and sent[6].startswith("00b08200")
    assert len(sent) == 7


def test_one_beneficiary() -> None:
    contents = vitale.read_card(VitaleCard(IDENTITIES["normal"]).transmit)
    (holder,) = contents.beneficiaries
    assert (holder.surname, holder.first_name) == ("DUPONT", "ANDRÉ")
    assert holder.birth_date == dt.date(1948, 3, 2)
    assert holder.nir == with_key("1480375056123")


def test_every_beneficiary_in_card_order() -> None:
    contents = vitale.read_card(VitaleCard(IDENTITIES["family"]).transmit)
    assert [h.first_name for h in contents.beneficiaries] == ["JEANNE", "LÉA", "HUGO"]
    assert contents.beneficiaries[0].nir == "253072B07300470"


def test_corsican_nir_is_valid() -> None:
    (holder,) = vitale.read_card(VitaleCard(IDENTITIES["corsican"]).transmit).beneficiaries
    assert holder.nir == "253072B07300470"


def test_bad_nir_key_is_reported() -> None:
    with pytest.raises(InvalidNir) as caught:
        vitale.read_card(VitaleCard(IDENTITIES["bad_key"]).transmit)
    assert "253072B07300471" not in str(caught.value)  # no personal data in the log line


def test_not_a_vitale_card() -> None:
    card = VitaleCard(vitale=False)
    with pytest.raises(NotAVitaleCard):
        vitale.read_card(card.transmit)
    assert len(card.commands) == 1


def test_a_long_file_is_read_in_chunks() -> None:
    people = tuple(
        SimBeneficiary(f"NOM{i:02d}" * 4, "PRENOM" * 3, "20000101", with_key(f"100017505{i:04d}"))
        for i in range(8)
    )
    card = VitaleCard(people)
    assert len(card.files["MF"]) > 256
    contents = vitale.read_card(card.transmit)
    assert len(contents.beneficiaries) == 8
    assert contents.beneficiaries[7].surname == "NOM07" * 4


def test_holder_repr_hides_personal_data() -> None:
    (holder,) = vitale.read_card(VitaleCard(IDENTITIES["normal"]).transmit).beneficiaries
    assert "DUPONT" not in repr(holder) and holder.nir not in repr(holder)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("19480302", dt.date(1948, 3, 2)), ("19480300", None), ("19480002", None), ("1948", None)],
)
def test_birth_dates_that_are_not_on_the_calendar_give_none(
    raw: str, expected: dt.date | None
) -> None:
    assert vitale.parse_birth_date(raw) == expected


def test_mismatched_record_counts_are_unreadable() -> None:
    people = IDENTITIES["family"]
    ids = VitaleCard(people).files["MF"]
    nirs = VitaleCard(people[:1]).files["VITALE"]
    with pytest.raises(CardUnreadable):
        vitale.pair_records(ids, nirs)


def test_t0_get_response_chain_and_wrong_length() -> None:
    script = {
        bytes.fromhex("00b0000000"): bytes.fromhex("6c03"),
        bytes.fromhex("00b0000003"): bytes.fromhex("010203 6102"),
        bytes.fromhex("00c0000002"): bytes.fromhex("0405 9000"),
    }
    sent: list[bytes] = []

    def transmit(command: bytes) -> bytes:
        sent.append(command)
        return script[command]

    data, sw = apdu.exchange(transmit, bytes.fromhex("00b0000000"))
    assert (data, sw) == (bytes.fromhex("0102030405"), 0x9000)
    assert [s.hex() for s in sent] == ["00b0000000", "00b0000003", "00c0000002"]


def test_t0_exchange_is_bounded_against_an_endless_card() -> None:
    with pytest.raises(CardUnreadable):
        apdu.exchange(lambda command: bytes.fromhex("aa 6101"), bytes.fromhex("00b0000000"))


def test_tlv_round_trip_with_long_lengths() -> None:
    value = bytes(range(256)) * 2
    encoded = apdu.encode_tlv(0x65, value) + b"\x00\xff" + apdu.encode_tlv(0x80, b"x" * 130)
    assert list(apdu.iter_tlv(encoded)) == [(0x65, value), (0x80, b"x" * 130)]


@pytest.mark.parametrize("bad", ["6505 8003", "6581", "1f01 00", "6584 00000001 00"])
def test_broken_tlv_is_unreadable(bad: str) -> None:
    with pytest.raises(CardUnreadable):
        list(apdu.iter_tlv(bytes.fromhex(bad)))
