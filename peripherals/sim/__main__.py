"""``python -m peripherals.sim bp|card|printer|scanner --scenario NAME``.

Prints the URL (or reader name) to configure, then runs until Ctrl-C. The
scanner simulator "scans" every line typed on standard input. The card goes into a private
pcscd of its own (peripherals.sim.pcscd): the kiosk reaches it with the PCSCLITE_CSOCK_NAME
printed beside the reader's name.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from peripherals.sim import KINDS, SCENARIOS, SerialSimulator, pcscd, run
from peripherals.sim.scanner_device import ScannerDevice

SETTING = {
    "bp": "KIOSK_BP_URL",
    "card": "KIOSK_CARD_READER",
    "printer": "KIOSK_PRINTER_URL",
    "scanner": "KIOSK_SCANNER_URL",
}


def build_parser() -> argparse.ArgumentParser:
    """Command-line options (reused by ``kiosk simulate``)."""
    parser = argparse.ArgumentParser(prog="python -m peripherals.sim", description=__doc__)
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--scenario", default="normal", help="see peripherals.sim.SCENARIOS")
    parser.add_argument("--socket", action="store_true", help="serve on socket:// instead of a pty")
    parser.add_argument("--port", type=int, default=0, help="TCP port (with --socket)")
    parser.add_argument(
        "--link", default=None, help="stable symlink to the pty, e.g. /tmp/kiosk-bp"
    )
    parser.add_argument(
        "--measure-time", type=float, default=None, help="bp only: seconds per measurement"
    )
    return parser


def main(argv: Sequence[str] | None = None, *, stop: threading.Event | None = None) -> int:
    """Run one simulator until Ctrl-C (or until ``stop`` is set); return an exit status."""
    args = build_parser().parse_args(argv)
    if args.scenario not in SCENARIOS[args.kind]:
        print(
            f"unknown scenario {args.scenario!r} for {args.kind}; "
            f"choose from: {', '.join(SCENARIOS[args.kind])}",
            file=sys.stderr,
        )
        return 2
    options: dict[str, object] = {}
    if args.kind == "bp" and args.measure_time is not None:
        options["measure_time"] = args.measure_time
    readers = None
    if args.kind == "card":
        try:
            readers = pcscd.start()
        except pcscd.PcscdError as exc:
            print(f"card simulator not started: {exc}", file=sys.stderr)
            return 1
        options["readers"] = readers
    sim = run(
        args.kind,
        args.scenario,
        transport="socket" if args.socket else "pty",
        port=args.port,
        link_path=args.link,
        **options,
    )
    where = "".join(f" {name}={value}" for name, value in (readers.env if readers else {}).items())
    print(
        f"{args.kind} simulator ({args.scenario}) ready: {SETTING[args.kind]}={sim.url}{where}",
        flush=True,
    )
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        # A service manager stops us with SIGTERM, a person with Ctrl-C (SIGINT): close the pty
        # cleanly either way. SIGINT is set here too because a process started in the
        # background of a script inherits it ignored, and would then never stop on Ctrl-C.
        for stopping in (signal.SIGTERM, signal.SIGINT):
            signal.signal(stopping, lambda *_: stop.set())
    try:
        if isinstance(sim, SerialSimulator) and isinstance(sim.device, ScannerDevice):
            print("type a code and press Enter to scan it", flush=True)
            # A thread reads stdin, so that SIGTERM is not stuck behind a blocking read.
            reader = threading.Thread(
                target=_feed_codes, args=(sim.device, stop), name="sim-stdin", daemon=True
            )
            reader.start()
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        sim.stop()
        if readers is not None:
            readers.stop()
    return 0


def _feed_codes(scanner: ScannerDevice, stop: threading.Event) -> None:
    for line in sys.stdin:
        if stop.is_set():
            return
        if line.strip():
            scanner.emit(line.strip())


if __name__ == "__main__":
    sys.exit(main())
