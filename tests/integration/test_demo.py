"""`kiosk demo` as a newcomer runs it (issue 13): from a fresh folder, with its default data
folder, then the kiosk, its voice, a booking, the printed ticket, the scanner, the staff page,
`kiosk devices`, and what listens on the network. The demo is slow to start, so one test
reaches that state once and checks everything there."""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import wave
from pathlib import Path

from demo_server import DemoServer, HttpClient, start_demo
from processes import listening_addresses, net_namespace, process_tree
from staff_support import Portal, book_at_the_kiosk
from support import Kiosk, wait_until


def kiosk_command(*args: str, cwd: Path) -> str:
    """The `kiosk` command as typed in the demo's folder: no setting given, as in the README."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("KIOSK_") and k != "PCSCLITE_CSOCK_NAME"}
    done = subprocess.run([str(Path(sys.executable).parent / "kiosk"), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def seconds_of(wav_bytes: bytes) -> float:
    assert wav_bytes[:4] == b"RIFF" and wav_bytes[8:12] == b"WAVE"
    with wave.open(io.BytesIO(wav_bytes)) as audio:
        return audio.getnframes() / audio.getframerate()


def spoken(kiosk: Kiosk) -> str:
    assert kiosk.soup is not None
    return str(kiosk.soup.select_one("audio#speech")["data-src"])


def test_the_demo_from_a_fresh_folder(tmp_path: Path) -> None:
    server = start_demo(None, cwd=tmp_path, args=("--bp-seconds", "1"))
    try:
        processes = check_the_running_demo(server, tmp_path)
    finally:
        code = server.stop()
    output = server.output()
    assert code == 0, output
    assert "Traceback" not in output, output  # 160 of them in the walk-through of issue 13
    assert "demo stopped" in output
    port = int(server.url.rsplit(":", 1)[1])
    with socket.socket() as probe:  # nothing is left listening
        assert probe.connect_ex(("127.0.0.1", port)) != 0
    assert not (tmp_path / "var" / "devices" / "bp").exists()  # the simulators are gone
    assert not (tmp_path / "var" / "kiosk.url").exists()
    # Every process the demo started is gone: gunicorn, the speech worker, pcscd and its helper.
    assert wait_until(lambda: not [p for p in processes if Path(f"/proc/{p}").exists()])


def check_the_running_demo(server: DemoServer, folder: Path) -> set[int]:
    """Everything a newcomer meets; returns the demo's processes."""
    data = folder / "var"
    assert (data / "kiosk.db").is_file()  # the default data folder, in the folder it ran in
    # It says where everything is, with the demo logins.
    said = server.read_until("Stop with Ctrl-C.")
    for expected in (f"Kiosk:          {server.url}/",
                     f"Doctor portal:  {server.url}/doctor/   login dr.martin / demo-martin",
                     f"Staff portal:   {server.url}/staff/    login sophie / demo-sophie",
                     f"Prints:         a picture and a text of each in {data / 'prints'}",
                     "QR scanner:     type a ticket's code here"):
        assert expected in said, said

    # Item 1: the welcome screen speaks, and so does the inactivity warning.
    person = Kiosk(HttpClient(server.url))  # type: ignore[arg-type]
    person.open("/")
    assert person.question == "Bonjour. Que voulez-vous faire ?"
    answer = person.client.get(spoken(person))
    assert answer.status_code == 200 and seconds_of(answer.get_data()) > 2.0
    warning = person.client.get("/voice/prompt/timeout.wav")
    assert warning.status_code == 200 and seconds_of(warning.get_data()) > 2.0
    health = HttpClient(server.url).get("/healthz")
    assert '"out":"ok"' in health.get_data(as_text=True).replace(" ", "")

    # A booking prints its ticket into var/prints, as a text and a picture with the code.
    book_at_the_kiosk(person)
    assert person.soup is not None
    code = person.soup.select_one(".code").get_text(strip=True)
    assert person.client.get(spoken(person)).status_code == 200
    texts = wait_until(lambda: sorted((data / "prints").glob("*.txt")), timeout=20)
    ticket = texts[-1].read_text(encoding="utf-8")
    assert code in ticket and "[QR: " in ticket
    assert texts[-1].with_suffix(".png").read_bytes().startswith(b"\x89PNG")

    # Item 2: the staff page names the visit's screen in words; accepting help comes back to it.
    sophie = Portal(HttpClient(server.url))  # type: ignore[arg-type]
    sophie.sign_in()
    assert "Prendre rendez-vous, rendez-vous pris" in sophie.text and "/booking" not in sophie.text
    assert sophie.soup.select_one("dd[data-voice-out]").get_text(strip=True) == "Marche"
    assert "touch-only" not in sophie.text
    ref = sophie.soup.select_one("tr[data-visit]")["data-visit"]
    sophie.press("Aider", near=ref)
    person.open("/assist/question")
    assert person.client.get(spoken(person)).status_code == 200  # the question is said
    person.tap("Oui")
    assert person.client_path() == "/booking/done"
    assert "Sophie" in person.soup.select_one("#assist-banner").get_text()

    # The README's way to show a ticket to the scanner: type its code in the demo's terminal.
    person.tap("Terminer")
    person.open("/")
    person.tap("J'ai un rendez-vous")
    person.tap("Avec le QR code du ticket")
    server.type_line(ticket.split("[QR: ", 1)[1].split("]", 1)[0])
    token = person.csrf_token()

    def scanned() -> str | None:
        answer = person.client.post("/appointment/scan", data={"csrf_token": token},
                                    headers={"HX-Request": "true"})
        return answer.headers.get("HX-Redirect") if answer.status_code == 204 else "error"

    # The QR code holds the ticket's token: the ticket is in hand, the second proof comes next.
    assert wait_until(scanned, timeout=20) == "/appointment/prove"

    # Item 4: `kiosk devices` in the demo's folder finds it on its port, with no setting.
    assert (data / "kiosk.url").stat().st_mode & 0o777 == 0o600  # where it listens: ours only
    states = kiosk_command("devices", cwd=folder)
    assert f"running kiosk at {server.url}" in states
    for kind in ("bp", "card", "printer", "scanner"):
        assert re.search(rf"^  {kind} +ok", states, re.MULTILINE), states
    tested = kiosk_command("devices", "test", "bp", "card", "printer", cwd=folder)
    assert "115/74 mmHg, pouls 85, moyenne 88" in tested

    # Item 5: nothing of the demo listens beyond the loopback; pcscd and its virtual reader
    # live in a network namespace of their own.
    tree = process_tree(server.process.pid)
    addresses = listening_addresses(tree)
    assert "127.0.0.1" in addresses
    assert all(address in ("127.0.0.1", "::1") for address in addresses), addresses
    readers = [p for p in tree if Path(f"/proc/{p}/comm").read_text().strip() == "kiosk-pcscd"]
    assert len(readers) == 1
    assert net_namespace(readers[0]) != net_namespace(os.getpid())
    return tree - {server.process.pid}
