"""Benchmark of `kyctui check` on phone-sized photos, as ratios against Pillow measured alongside.

Run:  .venv/bin/python bench/photo_check.py [--quick] [--strict] [--keep DIR]

Three measures, each against a reference taken in the same run on the same machine (no absolute
timings are asserted: a noisy 2-core runner and a fast laptop give the same ratios):

1. in process: median time of `check_photos` on a 12 MP JPEG / median time of Pillow fully
   decoding the same file (`Image.open(path).load()`). Goal <= 0.55: the check decodes at reduced
   scale (JPEG draft mode), so it must cost well under one full decode.
2. memory: peak resident memory added by checking a 48 MP JPEG, in a fresh process that has
   already imported everything and checked a small photo. Goal <= 30 MiB (a full decode of the
   48 MP photo, shown as the reference, needs about 140 MiB for its pixels alone).
3. cold process: median wall time of `python -m kyctui check photo12.jpg` / median wall time of
   `python -c "from PIL import Image; Image.open(p).load()"`, runs interleaved. Goal <= 1.5.

The exit status is 0 whatever the results (benchmarks report, they do not fail CI) unless
`--strict` is given: then 1 when any goal is missed.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):  # run as a script: make `kyctui` and `bench` importable
    sys.path.insert(0, str(ROOT))

from bench._timing import full_decode, interleaved  # noqa: E402  (after the path is set)

GOAL_IN_PROCESS = 0.55  # check / full Pillow decode, 12 MP, in process
GOAL_RSS_MIB = 30.0  # MiB of peak resident memory added by checking a 48 MP photo
GOAL_COLD = 1.5  # cold `kyctui check` / cold Pillow decode, 12 MP
KIND = "id-front"
EXCHANGE = "generic"
WARM_SIZE = (1024, 768)  # the small photo a child checks first, so lazy imports are done


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
    """One line of the table."""

    measure: str
    value: str
    reference: str
    ratio: float | None
    goal: str
    ok: bool


def make_photos(folder: Path) -> Photos:
    """Write the 12 MP, 48 MP and small warm-up phone JPEGs into `folder`."""
    from bench._photos import SIZE_12MP, SIZE_48MP, write_phone_jpeg

    folder.mkdir(parents=True, exist_ok=True)
    p12, p48, warm = folder / "photo12.jpg", folder / "photo48.jpg", folder / "warm.jpg"
    bytes12 = write_phone_jpeg(p12, SIZE_12MP)
    bytes48 = write_phone_jpeg(p48, SIZE_48MP)
    write_phone_jpeg(warm, WARM_SIZE)
    return Photos(p12, p48, warm, bytes12, bytes48)


def _median_seconds(fn: Callable[[], object], reps: int) -> float:
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(photo: Path, reps: int) -> tuple[float, float]:
    """(median seconds of check_photos, median seconds of a full Pillow decode) on `photo`."""
    from kyctui.domain.photos.runner import CheckContext, check_photos

    ctx = CheckContext.for_exchange(EXCHANGE)
    items = [(photo, KIND)]
    run = check_photos(items, ctx)  # warm-up, and a sanity check that the photo was decoded
    decode = [c for c in run.reports[0].checks if c.id == "image.decode"]
    if not decode or decode[0].status != "pass":
        raise RuntimeError(f"the benchmark photo did not decode: {run.reports[0].checks}")
    full_decode(photo)
    return interleaved(lambda: check_photos(items, ctx), lambda: full_decode(photo), reps)


# --- memory -------------------------------------------------------------------------------------


def _proc_status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Reset the peak resident size (VmHWM) to the current one; Linux >= 4.0 only."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        return False
    return True


def _peak_kib() -> int:
    # VmHWM, not ru_maxrss: a child started by vfork inherits its parent's peak in ru_maxrss.
    hwm = _proc_status_kib("VmHWM")
    return hwm if hwm is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def rss_child(mode: str, photo: Path, warm: Path) -> dict[str, float | bool]:
    """In a fresh process: KiB of peak resident memory added by one check (or full decode)."""
    from kyctui.domain.photos.runner import CheckContext, check_photos

    ctx = CheckContext.for_exchange(EXCHANGE)

    def check(path: Path) -> None:
        check_photos([(path, KIND)], ctx)

    action = check if mode == "check" else full_decode
    action(warm)  # every lazy import and first-use cache is paid before measuring
    gc.collect()
    reset = _reset_peak()
    before_rss = _proc_status_kib("VmRSS")
    before_peak = _peak_kib()
    before = before_rss if reset and before_rss is not None else before_peak
    action(photo)
    after = _peak_kib()
    # Without a reset the peak may still be the warm-up's: then the added peak reads as 0.
    return {"added_kib": float(after - before), "reset": reset, "before_kib": float(before)}


def rss_added_mib(mode: str, photo: Path, warm: Path) -> float:
    """MiB of peak resident memory one `mode` ("check" or "decode") adds, in a fresh process."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--rss-child",
        mode,
        str(photo),
        str(warm),
    ]
    out = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"memory child failed ({out.returncode}): {out.stderr.strip()}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    return float(result["added_kib"]) / 1024


# --- cold process --------------------------------------------------------------------------------


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
        code = subprocess.run(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
            stderr=subprocess.DEVNULL,
        ).returncode
        if code not in ok_codes:
            raise RuntimeError(f"{' '.join(cmd)} exited {code}")

    return run


def _validate(cmd: list[str], photo: Path) -> None:
    """Refuse to time a `kyctui check` that crashes or reports nothing (exit 1 is also a crash)."""
    out = subprocess.run(cmd, cwd=ROOT, env=_env(), capture_output=True, text=True, check=False)
    if out.returncode not in (0, 1) or "Traceback" in out.stderr or photo.name not in out.stdout:
        tail = "\n".join(out.stderr.strip().splitlines()[-3:])
        raise RuntimeError(
            f"`kyctui check` did not check the photo (exit {out.returncode}): {tail}"
        )


def cold(photo: Path, reps: int) -> tuple[float, float]:
    """(median seconds of a cold `kyctui check`, of a cold Pillow full decode) of `photo`."""
    # 0 or 1: the photo may pass or fail a check; 2 means it could not be checked at all.
    check_cmd = [sys.executable, "-m", "kyctui", "check", str(photo)]
    check = _runner(check_cmd, (0, 1))
    decode = _runner(
        [
            sys.executable,
            "-c",
            "import sys\nfrom PIL import Image\nImage.open(sys.argv[1]).load()",
            str(photo),
        ],
        (0,),
    )
    _validate(check_cmd, photo)
    for _ in range(2):  # bytecode caches written, files in the page cache
        check()
        decode()
    return interleaved(check, decode, reps)


# --- report --------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def measure(photos: Photos, reps: int, cold_reps: int) -> list[Row]:
    """Run the three measures and return the table's rows."""
    rows: list[Row] = []
    check_s, decode_s = in_process(photos.p12, reps)
    ratio = check_s / decode_s
    rows.append(
        Row(
            "check 12 MP, in process",
            _ms(check_s),
            f"{_ms(decode_s)} Pillow decode",
            ratio,
            f"ratio <= {GOAL_IN_PROCESS}",
            ratio <= GOAL_IN_PROCESS,
        )
    )

    check_mib = rss_added_mib("check", photos.p48, photos.warm)
    decode_mib = rss_added_mib("decode", photos.p48, photos.warm)
    rows.append(
        Row(
            "peak RSS added, check 48 MP",
            f"{check_mib:.1f} MiB",
            f"{decode_mib:.1f} MiB Pillow decode",
            check_mib / decode_mib if decode_mib else None,
            f"<= {GOAL_RSS_MIB:.0f} MiB",
            check_mib <= GOAL_RSS_MIB,
        )
    )

    cold_check, cold_decode = cold(photos.p12, cold_reps)
    ratio = cold_check / cold_decode
    rows.append(
        Row(
            "cold `kyctui check` 12 MP",
            _ms(cold_check),
            f"{_ms(cold_decode)} cold decode",
            ratio,
            f"ratio <= {GOAL_COLD}",
            ratio <= GOAL_COLD,
        )
    )
    return rows


def format_table(rows: Sequence[Row]) -> str:
    """The rows as an aligned plain-text table."""
    header = ("measure", "value", "reference", "ratio", "goal", "result")
    lines = [
        (
            r.measure,
            r.value,
            r.reference,
            "-" if r.ratio is None else f"{r.ratio:.2f}",
            r.goal,
            "OK" if r.ok else "OVER",
        )
        for r in rows
    ]
    widths = [max(len(line[i]) for line in [header, *lines]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip()
        for line in [header, *lines]
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="photo_check", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions (a smoke run)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument(
        "--keep", type=Path, metavar="DIR", help="write the photos to DIR and keep them"
    )
    parser.add_argument(
        "--rss-child", nargs=3, metavar=("MODE", "PHOTO", "WARM"), help=argparse.SUPPRESS
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Generate the photos, measure, print the table; 1 only with --strict and a goal missed."""
    args = _parser().parse_args(argv)
    if args.rss_child:
        mode, photo, warm = args.rss_child
        print(json.dumps(rss_child(mode, Path(photo), Path(warm))))
        return 0
    reps, cold_reps = (3, 3) if args.quick else (21, 15)
    with tempfile.TemporaryDirectory(prefix="kyctui-bench-") as tmp:
        folder = args.keep if args.keep else Path(tmp)
        photos = make_photos(folder)
        print(
            f"photos: 12 MP {photos.bytes12 / 1e6:.1f} MB, 48 MP {photos.bytes48 / 1e6:.1f} MB"
            f"{f' in {folder}' if args.keep else ''}; {reps} in-process and {cold_reps} cold runs"
            f"{' (quick)' if args.quick else ''}"
        )
        rows = measure(photos, reps, cold_reps)
    print(format_table(rows))
    missed = [r.measure for r in rows if not r.ok]
    if missed:
        print(f"goals missed: {', '.join(missed)}")
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
