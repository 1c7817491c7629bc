"""A one-line progress bar on stderr: documents done, docs/s, ETA.

Silent unless the stream is a terminal (logs and pipes stay clean), or when
switched off (``--quiet``).
"""

from __future__ import annotations

import sys
import time
from typing import IO


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s" if m else f"{s}s"


class Progress:
    """``update(n)`` after each document; ``message(text)`` prints a line without garbling the bar."""

    def __init__(self, total: int | None = None, *, stream: IO[str] | None = None,
                 enabled: bool | None = None, interval: float = 0.25, unit: str = "docs"):
        self.stream = stream or sys.stderr
        isatty = getattr(self.stream, "isatty", lambda: False)
        self.enabled = isatty() if enabled is None else enabled
        self.total, self.unit, self.interval = total, unit, interval
        self.done, self.start, self._last, self._width = 0, time.monotonic(), 0.0, 0

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        rate = self.done / elapsed
        if self.total:
            frac = min(1.0, self.done / self.total)
            bar = "#" * int(frac * 20)
            eta = _duration((self.total - self.done) / rate) if rate and self.done < self.total else "0s"
            return f"[{bar:<20}] {self.done}/{self.total} {self.unit}  {rate:.1f} {self.unit}/s  ETA {eta}"
        return f"{self.done} {self.unit}  {rate:.1f} {self.unit}/s  {_duration(elapsed)}"

    def _draw(self) -> None:
        text = self.line()
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)

    def _clear(self) -> None:
        if self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self._width = 0

    def update(self, n: int = 1) -> None:
        self.done += n
        now = time.monotonic()
        if self.enabled and now - self._last >= self.interval:
            self._last = now
            self._draw()

    def message(self, text: str) -> None:
        """Print ``text`` on its own line (always, bar or not)."""
        if self.enabled:
            self._clear()
        print(text, file=self.stream, flush=True)
        if self.enabled and self.done:
            self._draw()

    def close(self) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0
