"""Key-press latency in the wizard while ten photos are checked, against the same app idle.

A press counts as handled at the frame that shows the new step: its page on screen, the focus
in it and the key bar redrawn for that focus, with nothing left to paint. Each phase opens a
fresh wizard and walks every step forward and back, so first visits of a page are measured too.
In the busy phase every press is made while photos are being checked: when the ten queued are
done, ten more are queued before the next press.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# Like against like, as in bench/startup.py: an installed kyctui loads from the bytecode compiled
# when it was installed. Where PYTHONDONTWRITEBYTECODE is set (some sandboxes), each run would
# compile every module it imports, the checks' own in the middle of the key presses; the bytecode
# is kept in a private prefix instead (not in the checkout).
sys.dont_write_bytecode = False
sys.pycache_prefix = str(Path(tempfile.gettempdir()) / "kyctui-bench-pycache")
# ruff: noqa: E402  (kyctui is imported below, once the bytecode is set up)

from textual.widgets import ContentSwitcher
from textual.worker import WorkerCancelled

from bench._photos import write_phone_jpeg
from kyctui.domain.store import Store
from kyctui.tui.app import KycApp
from kyctui.tui.factory import make_app
from kyctui.tui.screens.wizard import WizardScreen
from kyctui.tui.widgets.key_bar import KeyBar
from kyctui.tui.widgets.step_view import StepView, page_id

GOAL_MS = 100.0
NOW = datetime(2026, 11, 23, 10, 30, tzinfo=UTC)
VERBOSE = False
Press = tuple[str, float]  # the step pressed to ("-> profile"), and the seconds it took


class Run(NamedTuple):
    """One fresh run's presses made while photos were checked."""

    median_ms: float
    worst_ms: float
    within: int  # presses within the goal
    presses: int


class Frames:
    """The times of the frames the app paints, each with whether `check()` held when painted."""

    def __init__(self, app: KycApp) -> None:
        self.times: list[tuple[float, bool]] = []
        self.check: Callable[[], bool] = lambda: False
        display = app._display

        def recorded(screen: object, renderable: object) -> None:
            display(screen, renderable)  # type: ignore[arg-type]
            self.times.append((time.perf_counter(), self.check()))

        app._display = recorded  # type: ignore[method-assign]


def _shown(wizard: WizardScreen, target: str) -> Callable[[], bool]:
    """A check that the page `target` is current, the focus is in it, and the key bar shows
    the focus's keys (the widgets looked up once: the check runs at every frame)."""
    switcher = wizard.query_one("#body", ContentSwitcher)
    bar = wizard.query_one(KeyBar)

    def shown() -> bool:
        focused = wizard.focused
        return (
            switcher.current == target
            and focused is not None
            and (focused.id == target or any(a.id == target for a in focused.ancestors))
            and bar.shown == bar.line_for(wizard).plain
        )

    return shown


def _quiet(wizard: WizardScreen) -> bool:
    """Nothing queued for the screen or a widget on it, nothing on it marked to repaint."""
    if wizard._dirty_widgets or wizard._layout_required or wizard._repaint_required:
        return False
    if wizard._message_queue.qsize():
        return False
    # Hidden widgets may keep a stale mark: only what is laid out can be painted.
    return not any(
        w._message_queue.qsize() or w._repaint_required or w._layout_required
        for w in wizard._compositor.visible_widgets
    )


async def _press(wizard: WizardScreen, frames: Frames, key: str) -> float:
    """Seconds from a key press reaching the app to the frame that shows the step settled."""
    before = wizard.step_index
    target = page_id(wizard.plan[before + (1 if key == "right_square_bracket" else -1)])
    frames.check = _shown(wizard, target)
    frames.times.clear()
    start = time.perf_counter()
    wizard.app.simulate_key(key)
    try:
        while time.perf_counter() - start < 10:
            await asyncio.sleep(0.002)  # the frames carry their own times: polling only ends it
            shown = [t for t, ok in frames.times if ok]
            if wizard.step_index != before and shown and _quiet(wizard):
                return shown[0] - start
        state = (wizard.step_index, len(frames.times), frames.check(), _quiet(wizard))
        raise RuntimeError(f"{key} to {target} never settled: {state}")
    finally:
        frames.check = lambda: False


async def _check_ten(wizard: WizardScreen, photos: list[Path]) -> None:
    """Ten photos checking at once, each in its own thread worker, unless ten still are."""
    if any(w.group == "photos" and w.is_running for w in wizard.app.workers):
        return
    for path in photos:
        wizard._check("id-front", path)
    await asyncio.sleep(0.2)  # the first decode under way, as when a user moves on at once


async def _walk(
    wizard: WizardScreen, frames: Frames, presses: int, photos: list[Path] | None = None
) -> list[Press]:
    """Forward through every step, back to the first, and again: `presses` key presses; with
    `photos`, each press made while they are being checked (ten more once they are done)."""
    steps = len(wizard.plan) - 1
    keys = (["right_square_bracket"] * steps + ["left_square_bracket"] * steps) * presses
    out = []
    for key in keys[:presses]:
        if photos:
            await _check_ten(wizard, photos)
        seconds = await _press(wizard, frames, key)
        arrow = "->" if key == "right_square_bracket" else "<-"
        out.append((f"{arrow} {wizard.current.step.id}", seconds))
        if VERBOSE:
            print(f"  {out[-1][0]:16} {seconds * 1000:6.1f} ms")
        await asyncio.sleep(0.02)
    return out


async def _open(app: KycApp, attempt_id: int) -> WizardScreen:
    """Open the attempt like the attempts screen does; return its wizard once it has shown
    the first step and built and warmed the others (while a user reads it, or picks a photo)."""
    app.open_attempt(attempt_id)
    while not (isinstance(app.screen, WizardScreen) and app.screen.attempt.id == attempt_id):
        await asyncio.sleep(0.001)
    wizard = app.screen
    while len([p for p in wizard.query(StepView) if p.built.is_set()]) < len(wizard.plan):
        await asyncio.sleep(0.001)
    while any(w.group == "step-pages" and w.is_running for w in app.workers):
        await asyncio.sleep(0.001)  # and warmed (step_view.build_ahead)
    return wizard


async def measure(photos: list[Path], data: Path, presses: int) -> tuple[list[Press], list[Press]]:
    store = Store(data / "kyctui.sqlite3")
    idle_attempt = store.create_attempt("okx", "basic", "national-id", "documents", NOW)
    busy_attempt = store.create_attempt("okx", "basic", "national-id", "documents", NOW)
    app = make_app(store=store, clock=lambda: NOW, picker_start=data)
    async with app.run_test(size=(120, 40)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        frames = Frames(app)
        wizard = await _open(app, idle_attempt.id)
        await pilot.pause(0.2)
        idle = await _walk(wizard, frames, presses)
        app.pop_screen()
        await pilot.pause(0.2)
        wizard = await _open(app, busy_attempt.id)
        busy = await _walk(wizard, frames, presses, photos)
        with contextlib.suppress(WorkerCancelled):  # a preview replaced by a newer one
            await app.workers.wait_for_complete()
    return idle, busy


def _summary(name: str, times: list[Press]) -> str:
    secs = [t for _, t in times]
    worst_name, worst = max(times, key=lambda p: p[1])
    return (f"{name + ':':22}median {statistics.median(secs) * 1000:.1f} ms, "
            f"max {worst * 1000:.1f} ms ({worst_name})")  # fmt: skip


def _one_run(photos: list[Path], data: Path, presses: int) -> tuple[list[Press], list[Press]]:
    idle, busy = asyncio.run(measure(photos, data, presses))
    print(_summary("idle", idle))
    print(_summary("ten photos checking", busy))
    worst = max(t for _, t in busy) * 1000
    ratio = statistics.median(t for _, t in busy) / statistics.median(t for _, t in idle)
    within = sum(t * 1000 <= GOAL_MS for _, t in busy)
    print(f"{within} of {len(busy)} presses within {GOAL_MS:.0f} ms while checking")
    print(f"ratio of medians {ratio:.1f}; worst {worst:.0f} ms (goal <= {GOAL_MS:.0f} ms)",
          "OK" if worst <= GOAL_MS else "OVER", flush=True)  # fmt: skip
    return idle, busy


def _runs_apart(args: argparse.Namespace, photos: Path) -> list[Run]:
    """Each run in a fresh process, as a user starts kyctui."""
    found = []
    for run in range(args.runs):
        print(f"run {run + 1} of {args.runs}", flush=True)
        cmd = [sys.executable, __file__, "--presses", str(args.presses), "--photos", str(photos)]
        out = subprocess.run(cmd + ["--verbose"] * args.verbose, capture_output=True, text=True)
        sys.stdout.write(out.stdout)
        sys.stderr.write(out.stderr)
        if out.returncode != 0:
            raise SystemExit(out.returncode)
        busy = re.search(r"checking: *median ([\d.]+) ms, max ([\d.]+) ms", out.stdout)
        assert busy is not None, out.stdout
        presses = re.search(r"(\d+) of (\d+) presses within", out.stdout)
        assert presses is not None, out.stdout
        found.append(Run(float(busy[1]), float(busy[2]), int(presses[1]), int(presses[2])))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1, help="fresh processes, one after another")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the goal is missed")
    parser.add_argument("--verbose", action="store_true", help="print every press")
    parser.add_argument("--photos", type=Path, help=argparse.SUPPRESS)  # made by the first run
    args = parser.parse_args(argv)
    global VERBOSE
    VERBOSE = args.verbose
    if args.quick:
        args.presses = 6
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        photos = sorted(args.photos.glob("IMG_*.jpg")) if args.photos else []
        if not photos:
            for i in range(10):
                path = data / f"IMG_{i:04d}.jpg"
                write_phone_jpeg(path, (4032, 3024))
                photos.append(path)
        if args.runs > 1:
            runs = _runs_apart(args, photos[0].parent)
            medians = ", ".join(f"{r.median_ms:.0f}" for r in runs)
            worsts = ", ".join(f"{r.worst_ms:.0f}" for r in runs)
            within = sum(r.worst_ms <= GOAL_MS for r in runs)
            presses = sum(r.presses for r in runs)
            in_time = sum(r.within for r in runs)
            print(f"ten photos checking, each run: median {medians} ms; worst {worsts} ms")
            print(f"{within} of {len(runs)} runs within the goal (worst <= {GOAL_MS:.0f} ms);",
                  f"{in_time} of {presses} presses ({100 * in_time / presses:.1f}%)")  # fmt: skip
            worst = max(r.worst_ms for r in runs)
        else:
            _, busy = _one_run(photos, data, args.presses)
            worst = max(t for _, t in busy) * 1000
    return 1 if args.strict and worst > GOAL_MS else 0


if __name__ == "__main__":
    raise SystemExit(main())
