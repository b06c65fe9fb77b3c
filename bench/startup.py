"""Time from process start to the first frame of `kyctui`, against a bare Textual app (a ratio)."""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

BARE_APP = (
    "from textual.app import App\n"
    "from textual.widgets import Static\n"
    "class Bare(App):\n"
    "    def compose(self):\n"
    "        yield Static('first frame of a bare app')\n"
    "Bare().run()\n"
)
KYCTUI = "from kyctui.cli import main\nraise SystemExit(main([]))\n"
GOAL = 1.15
# Answers a real terminal gives at once: DA1 (a VT220 without Sixel) and the cell size in pixels.
# Kitty's graphics query goes unanswered, as in most terminals (textual-image waits 0.1 s for it).
_ANSWERS = {b"\x1b[c": b"\x1b[?62;22c", b"\x1b[16t": b"\x1b[6;20;10t"}


def first_frame(code: str, marker: bytes, env: dict[str, str], timeout: float = 20.0) -> float:
    """Seconds from fork to `marker` appearing on a pseudo-terminal of 100x30."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of a known size, then the program
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.execve(sys.executable, [sys.executable, "-c", code], env)
    seen = b""
    try:
        while time.perf_counter() - start < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            for question, answer in _ANSWERS.items():
                if question in chunk:
                    os.write(fd, answer)
            if marker in seen:
                return time.perf_counter() - start
        raise RuntimeError(f"no first frame within {timeout}s: {seen[-300:]!r}")
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--quick", action="store_true", help="3 runs, for a smoke test")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else args.runs
    bare: list[float] = []
    ours: list[float] = []
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "KYCTUI_DATA_DIR": data, "TERM": "xterm-256color"}
        env.pop("NO_COLOR", None)
        # Like against like: Textual loads from the bytecode compiled when it was installed, and
        # so does an installed kyctui. Where PYTHONDONTWRITEBYTECODE is set (some sandboxes),
        # kyctui would compile its sources on every start; the warm-up writes the caches to a
        # private prefix (both apps use it), not into the checkout.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kyctui-bench-pycache")
        first_frame(KYCTUI, b"No attempts yet", env)  # warm the file cache and bytecode
        first_frame(BARE_APP, b"first frame of a bare app", env)
        for i in range(runs):  # alternate, so drift on a shared machine hits both alike
            pair = [
                (BARE_APP, b"first frame of a bare app", bare),
                (KYCTUI, b"No attempts yet", ours),
            ]
            for code, marker, into in pair if i % 2 else reversed(pair):
                into.append(first_frame(code, marker, env))
    ratio = statistics.median(ours) / statistics.median(bare)
    for name, times in (("bare Textual app", bare), ("kyctui", ours)):
        median_ms = statistics.median(times) * 1000
        print(f"{name + ', first frame:':32} median {median_ms:.0f} ms ({runs} runs)")
    print(f"ratio {ratio:.2f} (goal <= {GOAL}) {'OK' if ratio <= GOAL else 'OVER'}")
    return 1 if args.strict and ratio > GOAL else 0


if __name__ == "__main__":
    raise SystemExit(main())
