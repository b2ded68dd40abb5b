"""What a simulated ESC/POS printer puts on paper: its text and QR codes, read from the job's
bytes, written as a text file and a picture (for the demo only: a unit never writes a print to
disk, SECURITY.md item 27).

The reader knows the commands the kiosk's tickets use (python-escpos: ESC @, ESC t, ESC !,
ESC E, ESC a, ESC d, GS !, GS ( k for the native QR code, GS V) and steps over others it
knows the length of.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

ESC, GS, LF = 0x1B, 0x1D, 0x0A
COLUMNS = 42  # font A on 80 mm paper (TM-T88V)
CODE_PAGES = {0: "cp437", 2: "cp850", 16: "cp1252", 19: "cp858"}
# ESC and GS commands and how many parameter bytes follow them (the rest are read apart).
_ESC_PARAMS = {0x40: 0, 0x74: 1, 0x21: 1, 0x45: 1, 0x61: 1, 0x64: 1, 0x2D: 1, 0x4D: 1,
               0x47: 1, 0x32: 0, 0x33: 1, 0x4A: 1, 0x7B: 1, 0x70: 3, 0x56: 1}
_GS_PARAMS = {0x21: 1, 0x42: 1, 0x48: 1, 0x66: 1, 0x68: 1, 0x77: 1, 0x62: 1}
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
DOTS = 512  # printable width of 80 mm paper at 180 dpi
LINE = 30  # pixels of one normal line in the picture


@dataclass
class Line:
    """One printed line: its text, alignment, weight and size (1 or more in each direction)."""

    text: str = ""
    align: str = "left"
    bold: bool = False
    width: int = 1
    height: int = 1
    qr: str | None = None  # a QR code instead of text: its content


@dataclass
class Paper:
    """What came out of the printer for one job."""

    lines: list[Line] = field(default_factory=list)
    cut: bool = False

    def text(self) -> str:
        """The print as plain text, laid out on 42 columns; a QR code shows its content."""
        out = []
        for line in self.lines:
            content = f"[QR: {line.qr}]" if line.qr is not None else line.text
            room = COLUMNS if line.qr is not None else max(COLUMNS // line.width, 1)
            for part in textwrap.wrap(content, room) or [""]:
                out.append(_aligned(part, line.align).rstrip())
        return "\n".join(out).rstrip("\n") + "\n"


def _aligned(text: str, align: str) -> str:
    if align == "center":
        return text.center(COLUMNS)
    if align == "right":
        return text.rjust(COLUMNS)
    return text


class _Reader:
    def __init__(self, job: bytes) -> None:
        self.job = job
        self.at = 0
        self.paper = Paper()
        self.codec = CODE_PAGES[0]
        self.style = Line()
        self.pending = bytearray()
        self.qr_data = ""

    def read(self) -> Paper:
        while self.at < len(self.job):
            byte = self.job[self.at]
            self.at += 1
            if byte == LF:
                self._end_line()
            elif byte == ESC:
                self._esc()
            elif byte == GS:
                self._gs()
            elif byte >= 0x20:
                self.pending.append(byte)
        if self.pending:
            self._end_line()
        return self.paper

    def _take(self, count: int) -> bytes:
        taken = self.job[self.at:self.at + count]
        self.at += count
        return taken

    def _end_line(self) -> None:
        text = self.pending.decode(self.codec, "replace")
        self.pending.clear()
        style = self.style
        self.paper.lines.append(Line(text, style.align, style.bold, style.width, style.height))

    def _esc(self) -> None:
        command = self._take(1)
        if not command:
            return
        params = self._take(_ESC_PARAMS.get(command[0], 0))
        value = params[0] if params else 0
        if command == b"@":
            self.codec, self.style = CODE_PAGES[0], Line()
        elif command == b"t":
            self.codec = CODE_PAGES.get(value, CODE_PAGES[0])
        elif command == b"!":
            self.style.bold = bool(value & 0x08)
            self.style.height = 2 if value & 0x10 else 1
            self.style.width = 2 if value & 0x20 else 1
        elif command == b"E":
            self.style.bold = bool(value & 1)
        elif command == b"a":
            self.style.align = {0: "left", 1: "center", 2: "right", 48: "left", 49: "center",
                                50: "right"}.get(value, "left")
        elif command == b"d":
            for _ in range(value):
                self._end_line()

    def _gs(self) -> None:
        command = self._take(1)
        if command == b"!":
            value = self._take(1)
            if value:
                self.style.width, self.style.height = (value[0] >> 4) + 1, (value[0] & 0x0F) + 1
        elif command == b"(":  # GS ( k pL pH cn fn [data]: the native QR code
            kind, size = self._take(1), int.from_bytes(self._take(2), "little")
            body = self._take(size)
            if kind == b"k" and body[:1] == b"\x31" and body[1:2] == b"\x50":
                self.qr_data = body[3:].decode("utf-8", "replace")
            elif kind == b"k" and body[:1] == b"\x31" and body[1:2] == b"\x51":
                if self.pending:
                    self._end_line()
                self.paper.lines.append(Line(align=self.style.align, qr=self.qr_data))
        elif command == b"V":
            mode = self._take(1)
            if mode and mode[0] in (65, 66):
                self._take(1)
            self.paper.cut = True
        elif command:
            self._take(_GS_PARAMS.get(command[0], 0))


def read_job(job: bytes) -> Paper:
    """The paper one ESC/POS job prints."""
    return _Reader(job).read()


def picture(paper: Paper) -> bytes:
    """The print as a PNG: black on white, about as wide as the paper."""
    import segno
    from PIL import Image, ImageDraw, ImageFont

    def font(bold: bool, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
        path = FONT_DIR / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
        return ImageFont.truetype(str(path), size) if path.exists() else \
            ImageFont.load_default(size)

    pieces: list[tuple[Line, Image.Image | None]] = []
    height = LINE
    for line in paper.lines:
        if line.qr is not None:
            buffer = io.BytesIO()
            # What the printer prints: a full QR code (never a Micro QR), its error level as set.
            segno.make_qr(line.qr, error="l", boost_error=False).save(
                buffer, kind="png", scale=6, border=4)
            image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
            pieces.append((line, image))
            height += image.height
        else:
            pieces.append((line, None))
            height += LINE * line.height
    sheet = Image.new("L", (DOTS + 2 * LINE, height + LINE), 255)
    draw = ImageDraw.Draw(sheet)
    y = LINE
    for line, qr_image in pieces:
        if qr_image is not None:
            sheet.paste(qr_image, (_x(line.align, qr_image.width), y))
            y += qr_image.height
            continue
        face = font(line.bold, int(LINE * 0.7 * line.height))
        left, _top, right, _bottom = draw.textbbox((0, 0), line.text, font=face)
        stretch = line.width / line.height  # double width alone: the text gets wider
        width = int((right - left) * stretch)
        if stretch != 1 and line.text:
            words = Image.new("L", (max(int(right - left), 1), LINE * line.height), 255)
            ImageDraw.Draw(words).text((-left, 0), line.text, font=face, fill=0)
            sheet.paste(words.resize((max(width, 1), words.height)), (_x(line.align, width), y))
        else:
            draw.text((_x(line.align, width) - left, y), line.text, font=face, fill=0)
        y += LINE * line.height
    out = io.BytesIO()
    sheet.save(out, format="PNG")
    return out.getvalue()


def _x(align: str, width: int) -> int:
    if align == "center":
        return LINE + max((DOTS - width) // 2, 0)
    if align == "right":
        return LINE + max(DOTS - width, 0)
    return LINE


class PrintsFolder:
    """Writes each job as ``<time>.txt`` and ``<time>.png`` in a folder (the demo's var/prints)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def __call__(self, job: bytes) -> Path:
        """Write one job; returns the text file's path."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stem = datetime.now().strftime("%Y-%m-%d_%H-%M-%S_%f")
        paper = read_job(job)
        (self.folder / f"{stem}.png").write_bytes(picture(paper))
        text_file = self.folder / f"{stem}.txt"
        text_file.write_text(paper.text(), encoding="utf-8")
        return text_file
