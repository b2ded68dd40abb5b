"""The SunTech driver against simulated modules on real ptys: each failure mode of DEVICES.md §7."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from peripherals import suntech_protocol as proto
from peripherals.errors import (
    DeviceBusy,
    DeviceTimeout,
    DeviceUnavailable,
    MeasurementCancelled,
    MeasurementError,
    MeasurementTimeout,
    ProtocolError,
)
from peripherals.models import BloodPressureReading
from peripherals.sim import SerialSimulator, run
from peripherals.sim.link import DeviceModel, PtyLink
from peripherals.sim.suntech_device import GOLDEN_RESULT, CommandDecoder, SunTechDevice
from peripherals.suntech import SunTechMonitor, SunTechTiming
from peripherals.suntech_codes import ERROR_CODES, Ack

START = proto.start_command("adult")
ACK = {ack: proto.encode_reply(bytes([ack.value])) for ack in Ack}


def pressure(mmhg: int) -> bytes:
    return proto.encode_reply(mmhg.to_bytes(2, "little"))


@pytest.fixture
def bp_sim() -> Iterator[Callable[..., SerialSimulator[SunTechDevice]]]:
    started: list[SerialSimulator[SunTechDevice]] = []

    def start(scenario: str, **options: Any) -> SerialSimulator[SunTechDevice]:
        options.setdefault("measure_time", 0.4)
        sim = run("bp", scenario, **options)
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


def measure(
    url: str, timing: SunTechTiming, deadline: float | None = None
) -> tuple[BloodPressureReading | Exception, list[int]]:
    """Run one measurement; return (reading or exception, pressures seen)."""
    pressures: list[int] = []
    with SunTechMonitor(url, timing=timing) as monitor:
        try:
            return monitor.measure(pressures.append, deadline=deadline), pressures
        except Exception as exc:  # the test inspects it
            return exc, pressures


def test_normal_measurement_returns_the_golden_reading_with_live_pressure(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("normal")
    reading, pressures = measure(sim.url, fast_bp)
    assert isinstance(reading, BloodPressureReading), reading
    assert (reading.systolic, reading.diastolic, reading.pulse, reading.mean) == (115, 74, 85, 88)
    assert len(pressures) >= 3 and max(pressures) > 100  # the cuff was seen inflating
    assert sim.device.aborts == 1  # abort even after success: the cuff is surely deflated
    assert not sim.device.measuring


def test_leading_garbage_and_frames_split_byte_by_byte(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("garbage")
    with SunTechMonitor(sim.url, timing=fast_bp) as monitor:
        reading = monitor.measure()
        assert (reading.systolic, reading.diastolic) == (115, 74)
        assert monitor.bad_frames > 0  # the junk frames were seen, counted and dropped


@pytest.mark.parametrize(
    ("scenario", "code", "key", "sentence"),
    [
        ("loose_cuff", 87, "loose_cuff", "Le brassard est mal serré."),
        ("movement", 2, "movement", "Vous avez bougé"),
        ("weak_signal", 1, "weak_signal", "Le signal est trop faible"),
    ],
)
def test_cuff_error_scenarios_raise_measurement_error(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]],
    fast_bp: SunTechTiming,
    scenario: str,
    code: int,
    key: str,
    sentence: str,
) -> None:
    sim = bp_sim(scenario)
    error, _ = measure(sim.url, fast_bp)
    assert isinstance(error, MeasurementError)
    assert (error.code, error.key) == (code, key)
    assert error.user_message.startswith(sentence)
    assert sim.device.aborts == 1


def test_busy_module_is_retried_then_reported(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("busy")
    error, _ = measure(sim.url, fast_bp)
    assert isinstance(error, DeviceBusy)
    assert sim.device.commands.count(START) == fast_bp.busy_retries + 1
    assert sim.device.aborts == 1


def test_silent_module_times_out_and_is_still_sent_abort(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("silent")
    error, _ = measure(sim.url, fast_bp)
    assert isinstance(error, DeviceTimeout)
    assert sim.device.aborts == 1


def test_slow_module_still_measures_within_its_reply_timeout(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("slow", reply_delay=0.1, measure_time=0.2)
    reading, _ = measure(sim.url, fast_bp)
    assert isinstance(reading, BloodPressureReading), reading
    assert (reading.systolic, reading.diastolic) == (115, 74)


def test_overall_deadline_stops_a_long_measurement_and_deflates(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("normal", measure_time=30.0)
    error, pressures = measure(sim.url, fast_bp, deadline=0.5)
    assert isinstance(error, MeasurementTimeout)
    assert pressures  # it was measuring when the deadline struck
    assert sim.device.aborts == 1 and not sim.device.measuring


def test_cancel_from_the_app_deflates_the_cuff(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("normal", measure_time=30.0)
    cancel = threading.Event()
    with SunTechMonitor(sim.url, timing=fast_bp) as monitor:
        with pytest.raises(MeasurementCancelled):
            monitor.measure(lambda mmhg: cancel.set(), cancel=cancel)
    assert sim.device.aborts == 1 and not sim.device.measuring


def test_unplugged_mid_measurement_is_a_clear_device_error_within_the_deadline(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("unplugged", unplug_after=0.15, measure_time=5.0)
    started = time.monotonic()
    with SunTechMonitor(sim.url, timing=fast_bp) as monitor:
        with pytest.raises(DeviceUnavailable) as caught:
            monitor.measure(deadline=5.0)
        assert not monitor.is_open  # the driver let go of the dead port
    assert time.monotonic() - started < 5.0
    assert caught.value.user_message == "L'appareil n'est pas branché ou ne marche pas."


def test_missing_port_is_unavailable(tmp_path: Path, fast_bp: SunTechTiming) -> None:
    monitor = SunTechMonitor(str(tmp_path / "no-such-tty"), timing=fast_bp)
    with pytest.raises(DeviceUnavailable):
        monitor.open()
    with pytest.raises(DeviceUnavailable):
        monitor.measure()


def test_busy_port_is_unavailable_to_a_second_program(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("normal")
    with SunTechMonitor(sim.url, timing=fast_bp):
        with pytest.raises(DeviceUnavailable, match="lock"):
            SunTechMonitor(sim.url, timing=fast_bp).open()


def test_probe_reads_the_version_string(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("normal")
    with SunTechMonitor(sim.url, timing=fast_bp) as monitor:
        assert "SunTech" in monitor.probe()
    silent = bp_sim("silent")
    with SunTechMonitor(silent.url, timing=fast_bp) as monitor:
        with pytest.raises(DeviceTimeout):
            monitor.probe()


# -- a scripted module, for acknowledgements the simulator never sends ----------


Script = dict[bytes, Callable[[int], list[bytes]]]


class ScriptedModule(DeviceModel):
    """Answers the n-th occurrence of a command with ``script[command](n)``; else silence."""

    def __init__(self, script: Script) -> None:
        super().__init__()
        self.script = script
        self.decoder = CommandDecoder()
        self.seen: Counter[bytes] = Counter()

    def receive(self, data: bytes, now: float) -> None:
        for frame in self.decoder.feed(data):
            count = self.seen[frame]
            self.seen[frame] += 1
            for reply in self.script.get(frame, lambda n: [])(count):
                self.send(reply)


@pytest.fixture
def scripted() -> Iterator[Callable[[Script], tuple[str, ScriptedModule]]]:
    links: list[PtyLink] = []

    def start(script: Script) -> tuple[str, ScriptedModule]:
        model = ScriptedModule(script)
        link = PtyLink(model)
        link.start()
        links.append(link)
        return link.url, model

    yield start
    for link in links:
        link.stop()


def completes_with(result: bytes, end: Ack = Ack.COMPLETE) -> Script:
    return {
        START: lambda n: [ACK[Ack.RECEIVED]],
        proto.GET_CUFF_PRESSURE: lambda n: [pressure(100)] if n < 2 else [ACK[end]],
        proto.GET_RESULT: lambda n: [result],
        proto.ABORT: lambda n: [ACK[Ack.ABORTED]],
    }


@pytest.mark.parametrize("code", sorted(ERROR_CODES))
def test_every_error_code_becomes_its_measurement_error(
    scripted: Callable[[Script], tuple[str, ScriptedModule]], fast_bp: SunTechTiming, code: int
) -> None:
    url, module = scripted(completes_with(proto.encode_result(0, 0, 0, 0, error=code)))
    error, _ = measure(url, fast_bp)
    assert isinstance(error, MeasurementError)
    assert error.code == code and error.user_message == ERROR_CODES[code][1]
    assert module.seen[proto.ABORT] == 1


def test_sleeping_module_is_woken_by_a_retry(
    scripted: Callable[[Script], tuple[str, ScriptedModule]], fast_bp: SunTechTiming
) -> None:
    script = completes_with(GOLDEN_RESULT)
    script[START] = lambda n: [ACK[Ack.SLEEPING] if n == 0 else ACK[Ack.RECEIVED]]
    url, module = scripted(script)
    reading, _ = measure(url, fast_bp)
    assert isinstance(reading, BloodPressureReading), reading
    assert reading.systolic == 115 and module.seen[START] == 2


@pytest.mark.parametrize(
    ("start_ack", "error_type"),
    [(Ack.UNRECOGNISED, ProtocolError), (Ack.ERROR, ProtocolError), (Ack.TIMEOUT, DeviceTimeout)],
)
def test_refused_start_is_reported(
    scripted: Callable[[Script], tuple[str, ScriptedModule]],
    fast_bp: SunTechTiming,
    start_ack: Ack,
    error_type: type[Exception],
) -> None:
    url, module = scripted({START: lambda n: [ACK[start_ack]]})
    error, _ = measure(url, fast_bp)
    assert isinstance(error, error_type)
    assert module.seen[proto.ABORT] == 1


@pytest.mark.parametrize("end", [Ack.ERROR, Ack.TIMEOUT])
def test_error_ending_without_a_code_does_not_return_a_stale_reading(
    scripted: Callable[[Script], tuple[str, ScriptedModule]], fast_bp: SunTechTiming, end: Ack
) -> None:
    url, _ = scripted(completes_with(GOLDEN_RESULT, end=end))
    error, _ = measure(url, fast_bp)
    assert isinstance(error, ProtocolError | DeviceTimeout)


def test_module_abort_mid_measurement_is_a_cancellation(
    scripted: Callable[[Script], tuple[str, ScriptedModule]], fast_bp: SunTechTiming
) -> None:
    url, _ = scripted(completes_with(GOLDEN_RESULT, end=Ack.ABORTED))
    error, _ = measure(url, fast_bp)
    assert isinstance(error, MeasurementCancelled)


def test_module_gone_after_five_missed_polls(
    scripted: Callable[[Script], tuple[str, ScriptedModule]], fast_bp: SunTechTiming
) -> None:
    script = completes_with(GOLDEN_RESULT)
    script[proto.GET_CUFF_PRESSURE] = lambda n: [pressure(90)] if n < 2 else []
    url, module = scripted(script)
    error, pressures = measure(url, fast_bp)
    assert isinstance(error, DeviceTimeout) and "5 polls" in str(error)
    assert pressures == [90, 90]
    assert module.seen[proto.GET_CUFF_PRESSURE] == 2 + fast_bp.missed_polls_limit
    assert module.seen[proto.ABORT] == 1


def test_invalid_pressure_is_not_shown(
    scripted: Callable[[Script], tuple[str, ScriptedModule]], fast_bp: SunTechTiming
) -> None:
    script = completes_with(GOLDEN_RESULT)
    script[proto.GET_CUFF_PRESSURE] = lambda n: (
        [proto.encode_reply(b"\xff\xff")]
        if n == 0
        else [pressure(120)]
        if n == 1
        else [ACK[Ack.COMPLETE]]
    )
    url, _ = scripted(script)
    reading, pressures = measure(url, fast_bp)
    assert isinstance(reading, BloodPressureReading), reading
    assert pressures == [120] and reading.systolic == 115


def test_a_failing_display_callback_does_not_stop_the_measurement(
    bp_sim: Callable[..., SerialSimulator[SunTechDevice]], fast_bp: SunTechTiming
) -> None:
    sim = bp_sim("normal")

    def broken(mmhg: int) -> None:
        raise RuntimeError("display bug")

    with SunTechMonitor(sim.url, timing=fast_bp) as monitor:
        assert monitor.measure(broken).systolic == 115
