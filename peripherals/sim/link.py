"""Byte links that put a simulated device on a pty or a TCP port.

A :class:`DeviceModel` is the device's state machine: it gets the bytes the host
wrote and schedules its replies. A link runs one model in a thread, on the master
side of a pseudo-terminal (the host opens the slave path, like a USB serial
adapter) or behind ``socket://127.0.0.1:PORT``. ``unplug()`` closes the link the
way pulling the cable does; ``replug()`` brings it back at the same URL.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import threading
import time
import tty
from pathlib import Path

IDLE_TICK = 0.01  # how often a model's clock is looked at when nothing happens


class DeviceModel:
    """Base of simulated devices. Subclasses implement :meth:`receive` (and maybe :meth:`tick`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._outbox: list[tuple[float, bytes]] = []
        self._last_due = 0.0
        self.unplug_requested = False

    def receive(self, data: bytes, now: float) -> None:
        """Handle bytes the host wrote."""

    def tick(self, now: float) -> None:
        """Advance the device's own timeline (called at least every IDLE_TICK)."""

    def connected(self) -> None:
        """The link (re)opened: forget any half-received command."""
        with self._lock:
            self._outbox.clear()

    def send(self, data: bytes, *, delay: float = 0.0) -> None:
        """Queue ``data`` to go out after ``delay`` seconds, keeping send order."""
        with self._lock:
            due = max(time.monotonic() + delay, self._last_due)
            self._last_due = due
            self._outbox.append((due, data))

    def take_due(self, now: float) -> bytes:
        """Pop every queued output whose time has come (used by the link)."""
        with self._lock:
            ready = [data for due, data in self._outbox if due <= now]
            self._outbox = [(due, data) for due, data in self._outbox if due > now]
        return b"".join(ready)

    def next_due(self) -> float | None:
        """When the next queued output is due, if any."""
        with self._lock:
            return min((due for due, _ in self._outbox), default=None)

    def request_unplug(self) -> None:
        """Ask the link to drop the connection as if the cable were pulled."""
        self.unplug_requested = True


class Link:
    """Common thread handling for :class:`PtyLink` and :class:`TcpLink`."""

    def __init__(self, model: DeviceModel) -> None:
        self.model = model
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        """What the host passes to ``serial_for_url``."""
        raise NotImplementedError

    def start(self) -> None:
        """Open the link and start serving the model."""
        if self._thread is not None:
            return
        self._stop.clear()
        self.model.unplug_requested = False
        self._open()
        self.model.connected()
        self._thread = threading.Thread(target=self._run, name=f"sim-{self.url}", daemon=True)
        self._thread.start()

    def unplug(self) -> None:
        """Drop the connection now; the URL stops working until :meth:`replug`."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._close()

    def replug(self) -> None:
        """Bring the device back at the same URL."""
        self.unplug()
        self.start()

    stop = unplug

    def _run(self) -> None:
        try:
            while not self._stop.is_set() and not self.model.unplug_requested:
                self._serve_once()
        finally:
            if self.model.unplug_requested:
                self._close()

    def _serve_once(self) -> None:
        raise NotImplementedError

    def _timeout(self) -> float:
        due = self.model.next_due()
        if due is None:
            return IDLE_TICK
        return max(0.0, min(IDLE_TICK, due - time.monotonic()))

    def _open(self) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError


class PtyLink(Link):
    """The model on the master side of a pty; the host opens :attr:`url`.

    ``link_path`` (optional) is kept pointing at the current slave, like a udev
    by-id symlink, so the URL survives unplug/replug.
    """

    def __init__(self, model: DeviceModel, link_path: str | Path | None = None) -> None:
        super().__init__(model)
        self.link_path = Path(link_path) if link_path else None
        self._master = -1
        self._slave = -1
        self._slave_name = ""
        self._fd_lock = threading.Lock()

    @property
    def url(self) -> str:
        """The stable symlink if one was asked for, else the slave device path."""
        return str(self.link_path) if self.link_path else self._slave_name

    def _open(self) -> None:
        self._master, self._slave = os.openpty()
        # Raw mode from the start, so nothing is echoed or translated before the
        # host has configured the port itself.
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self._slave_name = os.ttyname(self._slave)
        if self.link_path:
            temp = self.link_path.with_name(self.link_path.name + ".new")
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()
            temp.symlink_to(self._slave_name)
            temp.replace(self.link_path)

    def _close(self) -> None:
        with self._fd_lock:
            if self.link_path:
                with contextlib.suppress(FileNotFoundError):
                    self.link_path.unlink()
            for fd in (self._master, self._slave):
                if fd >= 0:
                    with contextlib.suppress(OSError):
                        os.close(fd)
            self._master = self._slave = -1

    def _serve_once(self) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(self._master, selectors.EVENT_READ)
            ready = selector.select(self._timeout())
        now = time.monotonic()
        if ready:
            try:
                data = os.read(self._master, 4096)
            except (BlockingIOError, InterruptedError):
                data = b""
            if data:
                self.model.receive(data, now)
        self.model.tick(now)
        self._write(self.model.take_due(time.monotonic()))

    def _write(self, data: bytes) -> None:
        while data and not self._stop.is_set():
            try:
                data = data[os.write(self._master, data) :]
            except BlockingIOError:
                time.sleep(0.001)  # pty buffer full: the host is slow to read


class TcpLink(Link):
    """The model behind a TCP port on 127.0.0.1; one host connection at a time."""

    def __init__(self, model: DeviceModel, port: int = 0, host: str = "127.0.0.1") -> None:
        super().__init__(model)
        self.host = host
        self.port = port
        self._server: socket.socket | None = None
        self._client: socket.socket | None = None
        self._sock_lock = threading.Lock()

    @property
    def url(self) -> str:
        """``socket://127.0.0.1:PORT``."""
        return f"socket://{self.host}:{self.port}"

    def _open(self) -> None:
        server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind((self.host, self.port))
        server.listen(1)
        self.port = server.getsockname()[1]  # keep the port across replugs
        self._server = server

    def _close(self) -> None:
        with self._sock_lock:
            for sock in (self._client, self._server):
                if sock is not None:
                    sock.close()
            self._client = self._server = None

    def _serve_once(self) -> None:
        server, client = self._server, self._client
        if server is None:
            return
        with selectors.DefaultSelector() as selector:
            selector.register(server, selectors.EVENT_READ)
            if client is not None:
                selector.register(client, selectors.EVENT_READ)
            ready = [key.fileobj for key, _ in selector.select(self._timeout())]
        now = time.monotonic()
        if server in ready:
            incoming, _ = server.accept()
            if client is None:
                self._client = client = incoming
                self.model.connected()
            else:
                incoming.close()  # a real serial port has one user at a time
        if client is not None and client in ready:
            data = b""
            with contextlib.suppress(OSError):
                data = client.recv(4096)
            if not data:
                client.close()
                self._client = client = None
            else:
                self.model.receive(data, now)
        self.model.tick(now)
        out = self.model.take_due(time.monotonic())
        if out and client is not None:
            with contextlib.suppress(OSError):
                client.sendall(out)
