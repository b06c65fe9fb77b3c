"""Benchmark of `kyctui check` on phone-sized photos, as ratios against Pillow measured alongside.

Run:  .venv/bin/python bench/photo_check.py [--quick] [--strict] [--keep DIR] [--reps N]

Issue #3's goals are about its own checks, so they are measured without the content reads
(framing, faces, text: reads.py), as `kyctui check --quick` runs. Each measure is against a
reference taken in the same run (a noisy 2-core runner and a fast laptop give the same ratios):

1. in process: median time of `check_photos` without the reads on a 12 MP JPEG / median time of
   Pillow fully decoding the same file (`Image.open(path).load()`). Goal <= 0.55: the check
   decodes at reduced scale (JPEG draft mode), so it must cost well under one full decode.
   Shown with no goal: the full default check of the same id-front photo, and what its reads add.
2. memory: peak resident memory added by checking (without the reads) a 48 MP JPEG, in a fresh
   process that has already imported everything and checked a small photo. Goal <= 30 MiB (a
   full decode of the 48 MP photo, shown as the reference, needs about 140 MiB for its pixels).
3. cold process: median wall time of `python -m kyctui check --quick photo12.jpg` / median wall
   time of `python -c "from PIL import Image; Image.open(p).load()"`, interleaved. Goal <= 1.5.

The exit status is 0 whatever the results (benchmarks report, they do not fail CI) unless
`--strict` is given: then 1 when any goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make `kyctui` and `bench` importable
    sys.path.insert(0, str(ROOT))

from bench._timing import (  # noqa: E402  (after the path is set)
    full_decode,
    interleaved,
    peak_kib,
    proc_status_kib,
    reset_peak,
)

if TYPE_CHECKING:
    from kyctui.domain.photos.runner import CheckContext

GOAL_IN_PROCESS = 0.55  # check without the reads / full Pillow decode, 12 MP, in process
GOAL_RSS_MIB = 30.0  # MiB of peak resident memory added by checking a 48 MP photo
GOAL_COLD = 1.5  # cold `kyctui check --quick` / cold Pillow decode, 12 MP
KIND = "id-front"
EXCHANGE = "generic"
WARM_SIZE = (1024, 768)  # the small photo a child checks first, so lazy imports are done
DECODE_SCRIPT = "import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).load()"
MEASURES = ("in-process", "memory", "cold")


@dataclass(frozen=True)
class Photos:
    """The generated photos and their sizes in bytes."""

    p12: Path
    p48: Path
    warm: Path
    bytes12: int
    bytes48: int


@dataclass(frozen=True)
class Row:
    """One line of the table; `ok` is None for a row shown for information, with no goal."""

    measure: str
    value: str
    reference: str
    ratio: float | None
    goal: str
    ok: bool | None

    def cells(self) -> tuple[str, ...]:
        """The row as the table prints it."""
        ratio = "-" if self.ratio is None else f"{self.ratio:.2f}"
        result = "info" if self.ok is None else "OK" if self.ok else "OVER"
        return self.measure, self.value, self.reference, ratio, self.goal, result


def make_photos(folder: Path) -> Photos:
    """Write the 12 MP, 48 MP and small warm-up phone JPEGs into `folder`."""
    from bench._photos import SIZE_12MP, SIZE_48MP, write_phone_jpeg

    folder.mkdir(parents=True, exist_ok=True)
    p12, p48, warm = folder / "photo12.jpg", folder / "photo48.jpg", folder / "warm.jpg"
    bytes12 = write_phone_jpeg(p12, SIZE_12MP)
    bytes48 = write_phone_jpeg(p48, SIZE_48MP)
    write_phone_jpeg(warm, WARM_SIZE)
    return Photos(p12, p48, warm, bytes12, bytes48)


def context(reads: bool) -> CheckContext:
    """The benchmark's context: every read the photo's kind gets, or none (`--quick`)."""
    from kyctui.domain.photos.runner import CheckContext

    ctx = CheckContext.for_exchange(EXCHANGE)
    return ctx if reads else replace(ctx, reads=frozenset())


def _check_ids(photo: Path, reads: bool) -> list[str]:
    """The ids of the checks run on `photo`; refuses a photo that did not decode."""
    from kyctui.domain.photos.runner import check_photos

    checks = check_photos([(photo, KIND)], context(reads)).reports[0].checks
    if not any(c.id == "image.decode" and c.status == "pass" for c in checks):
        raise RuntimeError(f"the benchmark photo did not decode: {checks}")
    return [c.id for c in checks]


def read_ids(photo: Path) -> str:
    """The checks the reads add to those of `photo`, comma-separated."""
    quick = _check_ids(photo, reads=False)
    return ", ".join(i for i in _check_ids(photo, reads=True) if i not in quick) or "none ran"


def in_process(photo: Path, reps: int, reads: bool) -> tuple[float, float]:
    """(median seconds of check_photos with or without the reads, of a full Pillow decode) of
    `photo`, interleaved. Each pair is timed apart: a check without the reads timed between
    checks with them (numpy, face detection) would carry part of their cost (~5 ms measured)."""
    from kyctui.domain.photos.runner import check_photos

    ctx, items = context(reads), [(photo, KIND)]
    check_photos(items, ctx)  # warm-up: lazy imports, first-use caches
    full_decode(photo)
    return interleaved(lambda: check_photos(items, ctx), lambda: full_decode(photo), reps)


def rss_child(mode: str, photo: Path, warm: Path) -> dict[str, float | bool]:
    """In a fresh process: KiB of peak resident memory added by one check (or full decode)."""
    from kyctui.domain.photos.runner import check_photos

    ctx = context(reads=False)
    action = (lambda p: check_photos([(p, KIND)], ctx)) if mode == "check" else full_decode
    action(warm)  # every lazy import and first-use cache is paid before measuring
    gc.collect()
    reset = reset_peak()
    before_rss = proc_status_kib("VmRSS")
    before_peak = peak_kib()
    before = before_rss if reset and before_rss is not None else before_peak
    action(photo)
    after = peak_kib()
    # Without a reset the peak may still be the warm-up's: then the added peak reads as 0.
    return {"added_kib": float(after - before), "reset": reset, "before_kib": float(before)}


def rss_added_mib(mode: str, photo: Path, warm: Path) -> float:
    """MiB of peak resident memory one `mode` ("check" or "decode") adds, in a fresh process."""
    script = str(Path(__file__).resolve())
    cmd = [sys.executable, script, "--rss-child", mode, str(photo), str(warm)]
    out = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"memory child failed ({out.returncode}): {out.stderr.strip()}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["added_kib"]) / 1024


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    env["NO_COLOR"] = "1"
    # Like against like: Pillow loads from the bytecode compiled when it was installed, and so
    # does an installed kyctui. Where PYTHONDONTWRITEBYTECODE is set (some sandboxes), every cold
    # `kyctui check` would compile kyctui's sources instead; the caches the warm-up runs write
    # go to a private prefix (both commands use it), not into the checkout.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "kyctui-bench-pycache")
    return env


def _runner(cmd: list[str], ok_codes: tuple[int, ...]) -> Callable[[], None]:
    env = _env()

    def run() -> None:
        quiet = subprocess.DEVNULL
        code = subprocess.run(cmd, cwd=ROOT, env=env, stdout=quiet, stderr=quiet).returncode
        if code not in ok_codes:
            raise RuntimeError(f"{' '.join(cmd)} exited {code}")

    return run


def _validate(cmd: list[str], photo: Path) -> None:
    """Refuse to time a `kyctui check` that crashes or reports nothing (exit 1 is also a crash)."""
    out = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1) or "Traceback" in out.stderr or photo.name not in out.stdout:
        tail = "\n".join(out.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"`kyctui check` did not check the photo ({out.returncode}): {tail}")


def cold(photo: Path, reps: int) -> tuple[float, float]:
    """(median seconds of a cold `kyctui check --quick`, of a cold Pillow full decode)."""
    # 0 or 1: the photo may pass or fail a check; 2 means it could not be checked at all.
    check_cmd = [sys.executable, "-m", "kyctui", "check", "--quick", str(photo)]
    check = _runner(check_cmd, (0, 1))
    decode = _runner([sys.executable, "-c", DECODE_SCRIPT, str(photo)], (0,))
    _validate(check_cmd, photo)
    for _ in range(2):  # bytecode caches written, files in the page cache
        check()
        decode()
    return interleaved(check, decode, reps)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _ratio_row(measure: str, value: float, ref: float, ref_name: str, goal: float | None) -> Row:
    """A timing row: `value` seconds against `ref` seconds, held to `goal` when there is one."""
    ratio = value / ref
    ok = None if goal is None else ratio <= goal
    limit = "-" if goal is None else f"ratio <= {goal}"
    return Row(measure, _ms(value), f"{_ms(ref)} {ref_name}", ratio, limit, ok)


def measure(photos: Photos, reps: int, cold_reps: int, only: str | None = None) -> list[Row]:
    """Run the three measures (or the `only` one) and return the table's rows."""
    rows: list[Row] = []
    if only in (None, "in-process"):
        quick_s, decode_s = in_process(photos.p12, reps, reads=False)
        full_s, decode2_s = in_process(photos.p12, reps, reads=True)
        reads_s = full_s - quick_s * decode2_s / decode_s  # both against the second decode time
        rows += [
            _ratio_row("check 12 MP, in process", quick_s, decode_s, "decode", GOAL_IN_PROCESS),
            _ratio_row("  with the reads (info)", full_s, decode2_s, "decode", None),
            _ratio_row(f"  the reads: {read_ids(photos.p12)}", reads_s, decode2_s, "decode", None),
        ]
    if only in (None, "memory"):
        check_mib = rss_added_mib("check", photos.p48, photos.warm)
        decode_mib = rss_added_mib("decode", photos.p48, photos.warm)
        ratio = check_mib / decode_mib if decode_mib else None
        value, ref = f"{check_mib:.1f} MiB", f"{decode_mib:.1f} MiB decode"
        limit, ok = f"<= {GOAL_RSS_MIB:.0f} MiB", check_mib <= GOAL_RSS_MIB
        rows.append(Row("peak RSS added, check 48 MP", value, ref, ratio, limit, ok))
    if only in (None, "cold"):
        cold_check, cold_decode = cold(photos.p12, cold_reps)
        rows.append(
            _ratio_row("cold `check --quick`", cold_check, cold_decode, "cold decode", GOAL_COLD)
        )
    return rows


def format_table(rows: Sequence[Row]) -> str:
    """The rows as an aligned plain-text table."""
    header = ("measure", "value", "reference", "ratio", "goal", "result")
    lines = [r.cells() for r in rows]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photo_check", description=__doc__.split("\n")[0])
    add = parser.add_argument
    add("--quick", action="store_true", help="few repetitions (a smoke run)")
    add("--strict", action="store_true", help="exit 1 when a goal is missed")
    add("--keep", type=Path, metavar="DIR", help="write the photos to DIR and keep them")
    add("--reps", type=int, metavar="N", help="in-process runs (21; cold runs: 5/7 of it)")
    add("--only", choices=MEASURES, help="run this measure only")
    add("--rss-child", nargs=3, metavar=("MODE", "PHOTO", "WARM"), help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Generate the photos, measure, print the table; 1 only with --strict and a goal missed."""
    args = _parser().parse_args(argv)
    if args.rss_child:
        mode, photo, warm = args.rss_child
        print(json.dumps(rss_child(mode, Path(photo), Path(warm))))
        return 0
    reps, cold_reps = (3, 3) if args.quick else (21, 15)
    if args.reps:
        reps, cold_reps = args.reps, max(3, args.reps * 5 // 7)
    with tempfile.TemporaryDirectory(prefix="kyctui-bench-") as tmp:
        folder = args.keep if args.keep else Path(tmp)
        photos = make_photos(folder)
        print(
            f"photos: 12 MP {photos.bytes12 / 1e6:.1f} MB, 48 MP {photos.bytes48 / 1e6:.1f} MB"
            f"{f' in {folder}' if args.keep else ''}; {reps} in-process and {cold_reps} cold runs"
            f"{' (quick)' if args.quick else ''}"
        )
        rows = measure(photos, reps, cold_reps, args.only)
    print(format_table(rows))
    missed = [r.measure for r in rows if r.ok is False]
    if missed:
        print(f"goals missed: {', '.join(missed)}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
