"""What the interface keeps out of the garbage collector's full scans (gc.freeze), and when.

A full collection stops the interface for as long as it takes to scan every tracked object that
is not frozen: 100 ms and more once Textual, the wizard's pages and Pillow are loaded. Frozen
objects are skipped, so what lives long is frozen once made; frozen garbage is never collected,
so what is frozen is collected first, and thawed when it is done with.
"""

from __future__ import annotations

import gc
import sys

_started = False  # start-up's heap frozen (once a process: see freeze_startup)
_DEFAULT_THRESHOLDS = gc.get_threshold()
# A full collection after every 100 collections of the middle generation, not 10: Textual makes
# garbage at every frame, and with the rest frozen a full collection was due about once a
# second, each 10-30 ms, in the middle of key presses (measured over 80 presses in
# bench/responsiveness.py: 9 full collections, 154 ms in all, before; none after).
_THRESHOLDS = (*_DEFAULT_THRESHOLDS[:2], 100)
_modules_frozen = 0  # how many modules were loaded when the heap was last frozen for them
_running = False  # between collect_rarely (the app mounted) and thaw (it is done)


def collect_rarely() -> None:
    """Full collections rarer while the app runs (see _THRESHOLDS; undone by `thaw`)."""
    global _running
    _running = True
    gc.set_threshold(*_THRESHOLDS)


def freeze_startup() -> None:
    """What start-up built lives as long as the app (modules, styles, screens). Only in a
    fresh process: in one that ran an app before (tests), its garbage would be frozen too.
    (Measured in the wizard: full collections stopped it for ~100 ms every few seconds.)"""
    global _started
    if not _started:
        _started = True
        gc.freeze()


def freeze_pages() -> None:
    """The wizard's pages, just built ahead, live as long as the wizard: collected first (in
    the pause after they are built), then frozen. (Measured while photos were checked: full
    collections of 60-170 ms down to 25-45 ms.)"""
    gc.collect()
    gc.freeze()


def freeze_new_modules() -> None:
    """Freeze the heap when a photo check has loaded new modules: Pillow, numpy and the
    readers' models add hundreds of thousands of objects that every full collection scanned
    again (measured: 30-50 ms pauses, every few seconds, while checking)."""
    global _modules_frozen
    if len(sys.modules) > _modules_frozen:
        _modules_frozen = len(sys.modules)
        gc.collect(1)  # the young garbage of the check, not frozen with the rest
        gc.freeze()


def thaw_closed() -> None:
    """A wizard closed: its frozen pages are collected, and the rest frozen again at once.
    Thawed and left so, the whole heap was scanned by each full collection until the next
    wizard froze its pages (measured: three pauses of ~115 ms while that wizard was built).
    Nothing once the app is done: the wizard closed with it, and nothing is to be frozen."""
    if not _running:
        return
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def thaw() -> None:
    """Everything collectable again, as often as before: the app is done (another may follow
    in this process)."""
    global _running
    _running = False
    gc.unfreeze()
    gc.set_threshold(*_DEFAULT_THRESHOLDS)
