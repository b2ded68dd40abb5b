"""SECURITY.md items 13 and 15 over real HTTP (issue 15 item 12): `kiosk run` in server mode,
gunicorn with several workers, people driving the booking screens up to Confirmer.

- Item 13: many visits confirm the same time at once -> exactly one booking; every other
  person gets "Ce créneau vient d'être pris." and never an error page. On SQLite and on
  PostgreSQL.
- Item 15: the worker handling Confirmer is killed with SIGKILL after the booking is committed
  and before its answer leaves; the kiosk sends the same page again (same idempotency key) ->
  still one booking, shown with its code; gunicorn's master starts a new worker and the next
  request works. The worker is held at the right moment without any hook in the kiosk: the
  test locks the visit rows in PostgreSQL (FOR NO KEY UPDATE), so the booking commits and the
  visit's own save, which comes after it, waits; PostgreSQL names the waiting connection's
  port, and /proc names the worker holding it. (SQLite has no row locks: a lock taken there
  would stop the booking itself, so this one runs on PostgreSQL, the server mode's database.)
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
import pytest
from demo_server import DemoServer, HttpClient, free_port, kiosk_command, kiosk_env, start_kiosk
from processes import owner_of_local_port, process_tree
from sqlalchemy import func, select
from support import Kiosk, wait_until

from kiosk.core.db import Database
from kiosk.core.records import Appointment

RACERS = 12
WORKERS = 4
BOOKED = "C'est réservé."
TAKEN = "Ce créneau vient d'être pris."
SLOW = 240  # seconds: a hang guard on a loaded 2-core machine, not an expected duration


def _kiosk(data_dir: Path, env: dict[str, str], *args: str) -> None:
    done = subprocess.run([kiosk_command(), *args], env=kiosk_env(data_dir, env),
                          capture_output=True, text=True, timeout=SLOW, check=False)
    assert done.returncode == 0, done.stderr


def serve(tmp_path: Path, database_url: str, workers: int) -> DemoServer:
    """`kiosk run` as a central server runs it: migrated, demo data, ``workers`` workers."""
    data_dir = tmp_path / "data"
    port = free_port()
    env = {"KIOSK_MODE": "server", "KIOSK_WORKERS": str(workers),
           "KIOSK_DATABASE_URL": database_url, "KIOSK_BIND": f"127.0.0.1:{port}",
           "KIOSK_SPEECH_ENABLED": "false"}
    _kiosk(data_dir, env, "db", "upgrade")
    _kiosk(data_dir, env, "seed-demo")
    server = start_kiosk(data_dir, ("run",), port, env, timeout=SLOW)
    wait_until(lambda: len(workers_of(server)) == workers, timeout=SLOW)
    return server


def workers_of(server: DemoServer) -> set[int]:
    """gunicorn's workers: `kiosk run` becomes gunicorn's master (exec), they are its children."""
    return process_tree(server.process.pid) - {server.process.pid}


@pytest.fixture
def stopped() -> Iterator[list[DemoServer]]:
    """Servers started by a test, stopped whatever happens."""
    servers: list[DemoServer] = []
    yield servers
    for server in servers:
        server.stop()


def to_the_check_screen(server: DemoServer) -> tuple[Kiosk, str]:
    """A new visit types a name and a birth date, gives a reason and takes the earliest time,
    up to the summary with Confirmer; returns the person and the slot they chose."""
    person = Kiosk(HttpClient(server.url))  # type: ignore[arg-type]
    person.open("/")
    for word in ("Prendre rendez-vous", "Je n'ai pas de carte", *"DURAND", "Valider",
                 *"JEANNE", "Valider", "15", "mars", *"1941", "Valider", "Passer", "Passer",
                 "Oui, c'est moi", "Autre", "Passer les questions"):
        person.tap(word)
    assert person.question == "Quand voulez-vous voir le médecin ?"
    assert person.soup is not None
    earliest = next(b for b in person.soup.select("main button")
                    if " ".join(b.get_text().split()).startswith("Le plus tôt"))
    person.tap(" ".join(earliest.get_text().split()))
    assert "Confirmer" in person.text, person.question
    return person, str(earliest["value"])


def appointments(database_url: str) -> int:
    database = Database(database_url)
    try:
        with database.read() as db:
            return int(db.scalar(select(func.count()).select_from(Appointment)) or 0)
    finally:
        database.dispose()


def race(people: list[Kiosk]) -> list[tuple[int, str]]:
    """Everyone presses Confirmer at the same moment; (status, question) of each answer."""
    start = threading.Barrier(len(people))

    def confirm(person: Kiosk) -> tuple[int, str]:
        start.wait(timeout=SLOW)
        answer = person.tap("Confirmer")
        return answer.status_code, person.question

    with ThreadPoolExecutor(len(people)) as pool:
        return list(pool.map(confirm, people, timeout=SLOW))


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_item_13_people_confirming_the_same_time_at_once_make_one_booking(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest, stopped: list[DemoServer]
) -> None:
    database_url = (f"sqlite:///{tmp_path / 'data' / 'kiosk.db'}" if kind == "sqlite"
                    else str(request.getfixturevalue("postgres_url")))
    server = serve(tmp_path, database_url, WORKERS)
    stopped.append(server)
    with ThreadPoolExecutor(4) as pool:  # getting there is not the race: four at a time
        ready = list(pool.map(lambda _: to_the_check_screen(server), range(RACERS),
                              timeout=SLOW))
    people = [person for person, _slot in ready]
    assert len({slot for _person, slot in ready}) == 1, "everyone chose the same time"
    assert appointments(database_url) == 0

    outcomes = race(people)

    assert all(status == 200 for status, _ in outcomes), outcomes
    questions = sorted(question for _, question in outcomes)
    assert questions == [BOOKED] + [TAKEN] * (RACERS - 1), outcomes
    assert appointments(database_url) == 1
    assert "Quelqu'un l'a choisi juste avant vous." in next(
        p for p in people if p.question == TAKEN).text


def _waiting_connection_port(admin: psycopg.Connection[Any]) -> int | None:
    row = admin.execute("SELECT client_port FROM pg_stat_activity WHERE datname = "
                        "current_database() AND wait_event_type = 'Lock'").fetchone()
    return int(row[0]) if row else None


def test_item_15_a_worker_killed_after_booking_then_the_same_page_again_makes_one_booking(
    tmp_path: Path, postgres_url: str, stopped: list[DemoServer]
) -> None:
    server = serve(tmp_path, postgres_url, 2)
    stopped.append(server)
    person, _slot = to_the_check_screen(server)
    before = workers_of(server)

    # Hold the visit's row: the booking goes through, the visit's save after it waits.
    holder = psycopg.connect(postgres_url)
    holder.execute("SELECT id_hash FROM kiosk_session FOR NO KEY UPDATE").fetchall()
    answered: list[Any] = []

    def press_confirmer() -> None:
        try:
            answered.append(person.tap("Confirmer"))
        except Exception as exc:  # the connection dropped: what this test wants
            answered.append(exc)

    pressing = threading.Thread(target=press_confirmer)
    pressing.start()
    try:
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            port = wait_until(lambda: appointments(postgres_url) == 1
                              and _waiting_connection_port(admin), timeout=SLOW)
        worker = owner_of_local_port(before, port)
        assert worker in before, "the waiting connection belongs to a gunicorn worker"
        os.kill(worker, signal.SIGKILL)
    finally:
        holder.rollback()
        holder.close()
    pressing.join(timeout=SLOW)
    assert len(answered) == 1 and isinstance(answered[0], Exception), answered  # no answer

    # gunicorn's master starts another worker in its place.
    wait_until(lambda: len(workers_of(server)) == len(before) and worker not in
               workers_of(server), timeout=SLOW)
    assert appointments(postgres_url) == 1

    # The kiosk sends the same page again: the same idempotency key, so the same booking.
    person.tap("Confirmer")
    assert person.question == BOOKED
    assert person.soup is not None
    code = person.soup.select_one(".code").get_text(strip=True)
    database = Database(postgres_url)
    try:
        with database.read() as db:
            assert list(db.scalars(select(Appointment.code))) == [code]
    finally:
        database.dispose()

    # And the next person is served as usual.
    for _ in range(4):
        someone = Kiosk(HttpClient(server.url))  # type: ignore[arg-type]
        assert someone.open("/").status_code == 200
        assert someone.question == "Bonjour. Que voulez-vous faire ?"
